import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { RoadClass, RoadNetwork, RoadWay } from '../../geo/roads/road-network.js'
import { parseRoadNetwork } from '../../geo/roads/road-network-schema.js'
import {
  indexRoads,
  maxRoadBoxSpanDeg,
  roadBoxProblem,
  roadClassesAtZoom,
  selectRoads,
  type RoadBox,
} from './map-roads.js'

const way = (id: string, roadClass: RoadClass, coords: [number, number][], name?: string): RoadWay => ({
  id,
  roadClass,
  coords,
  speedKmh: 30,
  oneway: false,
  ...(name ? { name } : {}),
})

/** Four roads around Hushan: an expressway, a main road, a street and a lane far off to the east. */
const town: RoadNetwork = {
  source: 'test',
  ways: [
    way('m', 'motorway', [
      [121.1, 30.1],
      [121.5, 30.2],
    ]),
    way(
      'p',
      'primary',
      [
        [121.25, 30.16],
        [121.26, 30.17],
      ],
      '北三环路',
    ),
    way('r', 'residential', [
      [121.255, 30.165],
      [121.256, 30.166],
    ]),
    way('far', 'residential', [
      [121.6, 30.3],
      [121.61, 30.31],
    ]),
  ],
}
const hushan: RoadBox = { west: 121.24, south: 30.15, east: 121.27, north: 30.18 }
const ids = (zoom: number, box: RoadBox, network = town) =>
  selectRoads(indexRoads(network), { box, zoom }).features.map(
    (feature) => `${feature.properties.roadClass}:${feature.geometry.coordinates[0]!.join(',')}`,
  )

describe('the road layer of the map', () => {
  it('draws only the major classes at a low zoom, and every class up close', () => {
    expect(roadClassesAtZoom(8)).toEqual(['motorway', 'trunk'])
    expect(roadClassesAtZoom(11)).toEqual(['motorway', 'trunk', 'primary', 'secondary'])
    expect(roadClassesAtZoom(16)).toHaveLength(8)
    expect(ids(8, hushan)).toEqual(['motorway:121.1,30.1'])
    expect(ids(14, hushan)).toEqual([
      'residential:121.255,30.165',
      'primary:121.25,30.16',
      'motorway:121.1,30.1',
    ])
  })

  it('answers with the roads reaching into the box, a long road crossing it too', () => {
    const east: RoadBox = { west: 121.55, south: 30.25, east: 121.65, north: 30.35 }
    expect(ids(16, east)).toEqual(['residential:121.6,30.3'])
    // The expressway crosses the box without a vertex inside it: its own extent reaches in.
    const middle: RoadBox = { west: 121.29, south: 30.13, east: 121.31, north: 30.16 }
    expect(ids(16, middle)).toEqual(['motorway:121.1,30.1'])
    expect(ids(16, { west: 120, south: 29, east: 120.1, north: 29.1 })).toEqual([])
  })

  it('gives each road its class and its name where it has one, as GeoJSON', () => {
    const answer = selectRoads(indexRoads(town), { box: hushan, zoom: 12 })
    expect(answer.type).toBe('FeatureCollection')
    expect(answer.features.map((f) => f.properties)).toEqual([
      { roadClass: 'primary', name: '北三环路' },
      { roadClass: 'motorway' },
    ])
    expect(answer.features[0]!.geometry).toEqual({
      type: 'LineString',
      coordinates: [
        [121.25, 30.16],
        [121.26, 30.17],
      ],
    })
  })

  it('refuses a box larger than the zoom allows, or turned inside out', () => {
    expect(maxRoadBoxSpanDeg(10)).toBeCloseTo(11.25, 6)
    expect(maxRoadBoxSpanDeg(16)).toBeCloseTo(11.25 / 64, 9)
    expect(roadBoxProblem(hushan, 16)).toBeNull()
    expect(roadBoxProblem({ west: 121, south: 30, east: 122, north: 30.5 }, 16)).toMatch(
      /too large for zoom 16/,
    )
    expect(roadBoxProblem({ west: 121, south: 30, east: 122, north: 30.5 }, 10)).toBeNull()
    expect(roadBoxProblem({ ...hushan, east: hushan.west }, 14)).toMatch(/west < east/)
    expect(roadBoxProblem({ ...hushan, north: hushan.south - 0.1 }, 14)).toMatch(/south < north/)
  })

  describe('on the Cixi network', () => {
    const cixi = parseRoadNetwork(
      JSON.parse(readFileSync(new URL('../../fixtures/cixi/roads.json', import.meta.url), 'utf8')),
    )
    const index = indexRoads(cixi)

    it('finds through its grid exactly the roads a full scan finds', () => {
      const boxes: RoadBox[] = [
        hushan,
        { west: 121.45, south: 30.12, east: 121.56, north: 30.2 },
        { west: 121.2, south: 30.1, east: 121.21, north: 30.11 },
      ]
      for (const box of boxes) {
        for (const zoom of [11, 13, 15]) {
          const shown = new Set(roadClassesAtZoom(zoom))
          const scanned = cixi.ways.filter((w) => {
            if (!shown.has(w.roadClass)) return false
            const lons = w.coords.map(([lon]) => lon)
            const lats = w.coords.map(([, lat]) => lat)
            return (
              Math.min(...lons) <= box.east &&
              Math.max(...lons) >= box.west &&
              Math.min(...lats) <= box.north &&
              Math.max(...lats) >= box.south
            )
          })
          const found = selectRoads(index, { box, zoom }).features
          expect(found.length, `${JSON.stringify(box)} at ${zoom}`).toBe(scanned.length)
          expect(new Set(found.map((f) => JSON.stringify(f.geometry.coordinates)))).toEqual(
            new Set(scanned.map((w) => JSON.stringify(w.coords))),
          )
        }
      }
    })

    it('keeps a whole-county view to its arterials, a few hundred roads', () => {
      const county: RoadBox = { west: 121.0, south: 29.95, east: 121.65, north: 30.4 }
      const wide = selectRoads(index, { box: county, zoom: 10 }).features
      const all = selectRoads(index, { box: county, zoom: 16 }).features
      expect(all.length).toBe(cixi.ways.length)
      expect(wide.length).toBeGreaterThan(100)
      expect(wide.length).toBeLessThan(all.length / 5)
      expect(new Set(wide.map((f) => f.properties.roadClass))).toEqual(
        new Set(['motorway', 'trunk', 'primary', 'secondary']),
      )
    })
  })
})
