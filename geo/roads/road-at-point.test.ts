import { describe, expect, it } from 'vitest'
import { buildRoadGraph } from '../routing/road-graph.js'
import { GeoError } from '../geo-error.js'
import { createRoadAtPointIndex } from './road-at-point.js'
import type { RoadNetwork } from './road-network.js'

/**
 * An east–west street crossed at 121.005 by a bridge, ending at a dual carriageway: a northbound
 * carriageway at 121.010 and a southbound one about 19 m east of it, joined at both ends.
 */
const network: RoadNetwork = {
  source: 'test: a crossing and a dual carriageway',
  ways: [
    {
      id: 'street',
      name: 'Street',
      roadClass: 'primary',
      coords: [
        [121.0, 30.0],
        [121.005, 30.0],
        [121.01, 30.0],
      ],
      speedKmh: 40,
      maxSpeedKmh: 50,
      oneway: false,
    },
    {
      id: 'bridge',
      name: 'Bridge',
      roadClass: 'tertiary',
      coords: [
        [121.005, 29.995],
        [121.005, 30.0],
        [121.005, 30.005],
      ],
      speedKmh: 30,
      oneway: false,
      hazard: true,
    },
    {
      id: 'north',
      roadClass: 'motorway',
      coords: [
        [121.01, 30.0],
        [121.01, 30.01],
      ],
      speedKmh: 90,
      maxSpeedKmh: 100,
      oneway: true,
    },
    {
      id: 'top',
      roadClass: 'motorway',
      coords: [
        [121.01, 30.01],
        [121.0102, 30.01],
      ],
      speedKmh: 40,
      oneway: true,
    },
    {
      id: 'south',
      roadClass: 'motorway',
      coords: [
        [121.0102, 30.01],
        [121.0102, 30.0],
      ],
      speedKmh: 90,
      maxSpeedKmh: 100,
      oneway: true,
    },
    {
      id: 'bottom',
      roadClass: 'motorway',
      coords: [
        [121.0102, 30.0],
        [121.01, 30.0],
      ],
      speedKmh: 40,
      oneway: true,
    },
  ],
}

const index = createRoadAtPointIndex(buildRoadGraph(network), { radiusM: 30 })

describe('createRoadAtPointIndex', () => {
  it('answers the road a fix is on, with its class, posted limit and hazard', () => {
    expect(index.findRoadAtPoint({ lat: 30.00005, lon: 121.002 })).toMatchObject({
      name: 'Street',
      roadClass: 'primary',
      maxSpeedKmh: 50,
      hazard: false,
      oneway: false,
    })
    const onBridge = index.findRoadAtPoint({ lat: 29.998, lon: 121.00503 })
    expect(onBridge).toMatchObject({ name: 'Bridge', roadClass: 'tertiary', hazard: true })
    expect(onBridge).not.toHaveProperty('maxSpeedKmh')
    expect(onBridge!.distanceM).toBeCloseTo(2.9, 1)
  })

  it('tells crossing roads apart by heading, either way along a two-way road', () => {
    const crossing = { lat: 30.00001, lon: 121.00501 }
    expect(index.findRoadAtPoint({ ...crossing, headingDeg: 2 })?.name).toBe('Bridge')
    expect(index.findRoadAtPoint({ ...crossing, headingDeg: 184 })?.name).toBe('Bridge')
    expect(index.findRoadAtPoint({ ...crossing, headingDeg: 88 })?.name).toBe('Street')
    expect(index.findRoadAtPoint({ ...crossing, headingDeg: 272 })?.name).toBe('Street')
  })

  it('puts a bus on its own carriageway though the other one is nearer', () => {
    const nearerNorthbound = { lat: 30.005, lon: 121.01006 }
    const north = index.findRoadAtPoint({ ...nearerNorthbound, headingDeg: 0 })
    const south = index.findRoadAtPoint({ ...nearerNorthbound, headingDeg: 180 })
    expect(north).toMatchObject({ roadClass: 'motorway', oneway: true })
    expect(south).toMatchObject({ roadClass: 'motorway', oneway: true })
    expect(south!.piece).not.toBe(north!.piece)
    expect(south!.distanceM).toBeGreaterThan(north!.distanceM)
    expect(index.findRoadAtPoint(nearerNorthbound)!.piece).toBe(north!.piece)
  })

  it('falls back to the nearest road when no road runs along the heading', () => {
    const nearStreet = { lat: 30.0001, lon: 121.002 }
    expect(index.findRoadAtPoint({ ...nearStreet, headingDeg: 45 })?.name).toBe('Street')
    expect(index.findRoadAtPoint({ ...nearStreet, headingDeg: null })?.name).toBe('Street')
  })

  it('finds no road beyond the radius', () => {
    expect(index.findRoadAtPoint({ lat: 30.0004, lon: 121.002 })).toBeUndefined()
    const wide = createRoadAtPointIndex(buildRoadGraph(network), { radiusM: 60 })
    expect(wide.findRoadAtPoint({ lat: 30.0004, lon: 121.002 })?.name).toBe('Street')
  })

  it('knows the lowest posted limit, so slower fixes need no lookup', () => {
    expect(index.lowestMaxSpeedKmh).toBe(50)
    const unposted = createRoadAtPointIndex(
      buildRoadGraph({
        ...network,
        ways: network.ways.map(({ maxSpeedKmh: _posted, ...way }) => way),
      }),
    )
    expect(unposted.lowestMaxSpeedKmh).toBe(Number.POSITIVE_INFINITY)
  })

  it('tells the roads running alongside that the GPS cannot tell apart from the one found', () => {
    // A lane drawn 6.7 m north of a trunk road for 380 m, joined to it at both ends.
    const beside = buildRoadGraph({
      source: 'test: a lane beside a trunk road',
      ways: [
        {
          id: 'trunk',
          name: 'Trunk',
          roadClass: 'trunk',
          coords: [
            [121.0, 30.0],
            [121.003, 30.0],
            [121.007, 30.0],
            [121.01, 30.0],
          ],
          speedKmh: 60,
          oneway: false,
        },
        {
          id: 'lane',
          name: 'Lane',
          roadClass: 'unclassified',
          coords: [
            [121.003, 30.0],
            [121.0032, 30.00006],
            [121.0068, 30.00006],
            [121.007, 30.0],
          ],
          speedKmh: 30,
          maxSpeedKmh: 40,
          oneway: false,
        },
      ],
    })
    const roads = createRoadAtPointIndex(beside)
    const nearLane = roads.findRoadAtPoint({ lat: 30.00005, lon: 121.005, headingDeg: 90 })
    expect(nearLane).toMatchObject({ name: 'Lane', maxSpeedKmh: 40 })
    expect(nearLane!.alongside).toEqual([expect.objectContaining({ name: 'Trunk', roadClass: 'trunk' })])
    // Heading across both, no road runs the bus's way: none is alongside. Past the lane, the trunk is alone.
    expect(roads.findRoadAtPoint({ lat: 30.00005, lon: 121.005, headingDeg: 0 })?.alongside).toBeUndefined()
    expect(roads.findRoadAtPoint({ lat: 30.00001, lon: 121.009, headingDeg: 90 })).not.toHaveProperty(
      'alongside',
    )
    const strict = createRoadAtPointIndex(beside, { alongsideWithinM: 2 })
    expect(strict.findRoadAtPoint({ lat: 30.00005, lon: 121.005, headingDeg: 90 })).not.toHaveProperty(
      'alongside',
    )
  })

  it('refuses a radius that is not positive', () => {
    expect(() => createRoadAtPointIndex(buildRoadGraph(network), { radiusM: 0 })).toThrow(GeoError)
  })
})
