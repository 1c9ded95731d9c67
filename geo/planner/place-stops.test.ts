import { describe, expect, it } from 'vitest'
import type { LatLon, LonLatPosition } from '../lat-lon.js'
import type { RoadClass, RoadNetwork } from '../roads/road-network.js'
import { createLocalProjection, measureDistanceM } from '../routing/earth-distance.js'
import { buildRoadGraph } from '../routing/road-graph.js'
import { GeoError } from '../geo-error.js'
import { placeStops, type StopPlacement, type StopSettings } from './place-stops.js'
import type { PlanPupil } from './plan-model.js'
import { expectValidPlacement, NetworkWalker } from '../../test/support/stop-placement-checks.js'

/**
 * A made-up river town, in metres east and north of its south-west corner. 河北路 runs 2 km east
 * on the north bank, 河南路 back west on the south bank 120 m away; the only bridge is at the
 * east end. A motorway leaves 河北路 at 1 km and runs 3 km north; a dead-end trunk-class frontage
 * road (walkable, no stops) runs beside it 100 m east, from 1 km north down to 100 m north of 河北路, joined to the motorway at its
 * north end only. A trunk road runs 1.5 km north from the west end to a short unnamed lane.
 */
const projection = createLocalProjection(30.2, 121.3)
const placeAt = (eastM: number, northM: number): LatLon => ({
  lat: projection.lat(northM),
  lon: projection.lon(eastM),
})
const position = (eastM: number, northM: number): LonLatPosition => [
  projection.lon(eastM),
  projection.lat(northM),
]

const way = (id: string, roadClass: RoadClass, points: [number, number][], name?: string) => ({
  id,
  name,
  roadClass,
  coords: points.map(([eastM, northM]) => position(eastM, northM)),
  speedKmh: roadClass === 'motorway' ? 100 : 40,
  oneway: false,
})

const riverTown: RoadNetwork = {
  source: 'synthetic: a river town',
  ways: [
    way(
      'north-bank',
      'residential',
      [
        [0, 0],
        [1000, 0],
        [2000, 0],
      ],
      '河北路',
    ),
    way('bridge', 'residential', [
      [2000, 0],
      [2000, -120],
    ]),
    way(
      'south-bank',
      'residential',
      [
        [2000, -120],
        [0, -120],
      ],
      '河南路',
    ),
    way(
      'motorway',
      'motorway',
      [
        [1000, 0],
        [1000, 1000],
        [1000, 3000],
      ],
      '沈海高速',
    ),
    way('frontage', 'trunk', [
      [1100, 100],
      [1100, 1000],
      [1000, 1000],
    ]),
    way(
      'trunk',
      'trunk',
      [
        [0, 0],
        [0, 1500],
      ],
      '国道',
    ),
    way('lane', 'residential', [
      [0, 1500],
      [400, 1500],
    ]),
  ],
}
const graph = buildRoadGraph(riverTown)
if (graph.stats.droppedPieceCount > 0) throw new Error('the river town must be connected')

const settings: StopSettings = {
  walkLimitM: 500,
  youngWalkLimitM: 300,
  youngGradesUpTo: 2,
  stopCapacity: 40,
  minStopPupils: 2,
}

/** `count` pupils at one place, ids `${prefix}1`, `${prefix}2`… */
function pupilsAt(prefix: string, count: number, eastM: number, northM: number, grade = 5): PlanPupil[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${i + 1}`,
    home: placeAt(eastM, northM),
    grade,
    schoolId: `school-${prefix}`,
    dismissalWaveId: 'wave-1',
  }))
}

function place(pupils: PlanPupil[], overrides: Partial<StopSettings> = {}): StopPlacement {
  const merged = { ...settings, ...overrides }
  const placement = placeStops(pupils, graph, merged)
  expectValidPlacement(pupils, graph, merged, placement)
  return placement
}

const stopOf = (placement: StopPlacement, pupilId: string) =>
  placement.stops.find((stop) => stop.pupilIds.includes(pupilId))
const reasonOf = (placement: StopPlacement, pupilId: string) =>
  placement.unserved.find((entry) => entry.pupilId === pupilId)?.reason

describe('placeStops', () => {
  it('counts the walk on roads: a home across the river is not served by a stop it sees', () => {
    const north = pupilsAt('n', 3, 500, 20)
    const south = pupilsAt('s', 2, 500, -100)
    const placement = place([...north, ...south])

    expect(placement.stops).toHaveLength(2)
    const northStop = stopOf(placement, 'n1')!
    const southStop = stopOf(placement, 's1')!
    expect(southStop.id).not.toBe(northStop.id)
    expect(southStop.pupilIds.sort()).toEqual(['s1', 's2'])
    expect(southStop.name).toBe('河南路站')
    expect(northStop.name).toBe('河北路站')
    expect(measureDistanceM(south[0]!.home, northStop.location)).toBeLessThan(settings.walkLimitM)
    const walker = new NetworkWalker(graph)
    expect(walker.measureWalkM(south[0]!.home, northStop.location, 5000)).toBeGreaterThan(3000)
    expect(placement.walkM.get('s1')).toBeCloseTo(20, 0)
  })

  it('leaves a lone home across the river unserved rather than over its limit', () => {
    const placement = place([...pupilsAt('n', 3, 500, 20), ...pupilsAt('s', 1, 500, -100)])
    expect(placement.stops).toHaveLength(1)
    expect(reasonOf(placement, 's1')).toBe('lone_home')
  })

  it('applies the shorter limit to the youngest, walking along a trunk road with no stop', () => {
    const older = pupilsAt('old', 2, 10, 400, 5)
    const young = pupilsAt('young', 2, 10, 400, 1)
    const placement = place([...older, ...young])

    expect(placement.stops).toHaveLength(1)
    expect(placement.stops[0]!.pupilIds.sort()).toEqual(['old1', 'old2'])
    expect(placement.walkM.get('old1')).toBeCloseTo(410, 0)
    expect(reasonOf(placement, 'young1')).toBe('no_bus_road_within_walk_limit')
    expect(reasonOf(placement, 'young2')).toBe('no_bus_road_within_walk_limit')
  })

  it('neither walks along nor stops on a motorway', () => {
    const byTheMotorway = pupilsAt('m', 2, 1015, 2000)
    // 20 m from the motorway, 200 m along it from 河北路; the frontage road, 80 m away, is the
    // nearest road a pedestrian may use and leads nowhere near.
    const nearTheJunction = pupilsAt('j', 2, 1020, 200)
    const onTheBank = pupilsAt('b', 2, 950, 30)
    const placement = place([...byTheMotorway, ...nearTheJunction, ...onTheBank])

    for (const id of ['m1', 'm2', 'j1', 'j2'])
      expect(reasonOf(placement, id)).toBe('no_bus_road_within_walk_limit')
    expect(placement.stops).toHaveLength(1)
    expect(placement.stops[0]!.pupilIds).toEqual(['b1', 'b2'])
  })

  it('keeps each stop within its capacity and opens as few stops as the pupils need', () => {
    const placement = place(pupilsAt('c', 6, 1500, 20), { stopCapacity: 3 })
    expect(placement.stops.map((stop) => stop.pupilIds.length)).toEqual([3, 3])
    expect(placement.unserved).toEqual([])
  })

  it('opens no stop for a home that only others could walk to', () => {
    // The young pupil cannot walk the 420 m to the others' full stop; one of them could walk to a
    // stop by its home, but a second stop for one more pupil is not worth the bus's detour.
    const placement = place([...pupilsAt('g', 4, 1500, 20), ...pupilsAt('y', 1, 1900, 20, 1)], {
      stopCapacity: 4,
    })
    expect(placement.stops).toHaveLength(1)
    expect(reasonOf(placement, 'y1')).toBe('lone_home')
  })

  it('spares pupils of full stops so that a seventh one is not left alone', () => {
    const placement = place(pupilsAt('c', 7, 1500, 20), { stopCapacity: 3 })
    expect(placement.stops.map((stop) => stop.pupilIds.length).sort()).toEqual([2, 2, 3])
    expect(placement.unserved).toEqual([])
  })

  it('lists the pupils of a stop too small to keep as lone homes, unless they can join a kept stop', () => {
    const pair = pupilsAt('p', 2, 1500, 20)
    expect(place(pair, { minStopPupils: 3 }).unserved).toEqual([
      { pupilId: 'p1', reason: 'lone_home' },
      { pupilId: 'p2', reason: 'lone_home' },
    ])
    const placement = place([...pair, ...pupilsAt('q', 3, 1700, 20)], { minStopPupils: 3 })
    expect(placement.stops).toHaveLength(1)
    expect(placement.stops[0]!.pupilIds).toHaveLength(5)
  })

  it('gathers many homes into few stops and walks each to the nearest one with room', () => {
    const pupils = [0, 100, 200, 300, 400, 500, 600, 700, 800, 900].flatMap((eastM) =>
      pupilsAt(`h${eastM}-`, 2, eastM, 30),
    )
    const placement = place(pupils)
    expect(placement.stops.length).toBeLessThanOrEqual(2)
    expect(placement.unserved).toEqual([])
    const walker = new NetworkWalker(graph)
    for (const pupil of pupils) {
      const nearestM = Math.min(
        ...placement.stops.map((stop) => walker.measureWalkM(pupil.home, stop.location, 5000)),
      )
      expect(placement.walkM.get(pupil.id)).toBeCloseTo(nearestM, 3)
    }
    const again = placeStops(pupils, graph, settings)
    expect(again.stops).toEqual(placement.stops)
  })

  it('closes a stop made redundant by the stops opened after it', () => {
    // Young pupils (300 m) in four groups along 河北路: the first stop gathers the two middle
    // groups, the outer groups need a stop each, and those two can take the middle groups too.
    const pupils = [
      ...pupilsAt('a', 2, 0, 10, 1),
      ...pupilsAt('b', 3, 280, 10, 1),
      ...pupilsAt('c', 3, 560, 10, 1),
      ...pupilsAt('d', 2, 840, 10, 1),
    ]
    const placement = place(pupils)
    expect(placement.unserved).toEqual([])
    expect(placement.stops.map((stop) => stop.pupilIds.map((id) => id[0]).join(''))).toEqual(
      expect.arrayContaining(['aabbb', 'cccdd']),
    )
    expect(placement.stops).toHaveLength(2)
  })

  it('refuses bad input with the field at fault', () => {
    const [first, second] = pupilsAt('x', 2, 500, 20)
    const fieldOf = (run: () => unknown) => {
      try {
        run()
      } catch (error) {
        expect(error).toBeInstanceOf(GeoError)
        return (error as GeoError).field
      }
      return undefined
    }
    expect(fieldOf(() => placeStops([first!, first!], graph, settings))).toBe('pupils[1].id')
    const lost = { ...second!, home: { lat: Number.NaN, lon: 121.3 } }
    expect(fieldOf(() => placeStops([first!, lost], graph, settings))).toBe('pupils[1].home')
    expect(fieldOf(() => placeStops([first!], graph, { ...settings, minStopPupils: 41 }))).toBe(
      'settings.minStopPupils',
    )
  })
})
