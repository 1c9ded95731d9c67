import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { decodeOsmPbf } from './osm-pbf-decoder.js'
import type { OsmTags } from './osm-elements.js'
import { GeoError } from '../geo-error.js'
import { MONACO_PBF, OSRM_RECORDINGS_DIR } from '../../test/support/test-data.js'

describe('decodeOsmPbf on the Monaco extract', () => {
  const bytes = readFileSync(MONACO_PBF)
  const nodes = new Map<number, [number, number]>()
  const ways = new Map<number, { refs: number[]; tags: OsmTags }>()
  decodeOsmPbf(bytes, {
    node: (id, lon, lat) => nodes.set(id, [lon, lat]),
    way: (id, refs, tags) => ways.set(id, { refs, tags }),
  })

  it('reads every node of every way, at the positions OSRM reports on the same extract', () => {
    expect(nodes.size).toBeGreaterThan(100_000)
    expect(ways.size).toBeGreaterThan(20_000)
    const missing = [...ways.values()].flatMap((way) => way.refs.filter((ref) => !nodes.has(ref)))
    expect(missing).toEqual([])
    const recorded = JSON.parse(readFileSync(`${OSRM_RECORDINGS_DIR}route-two-points.json`, 'utf8')) as {
      routes: { geometry: { coordinates: [number, number][] } }[]
    }
    // OSRM keeps 6 decimals and rounds halves its own way: a node may differ by one in the last digit.
    const micro = (degrees: number) => Math.round(degrees * 1e6)
    const positions = new Set([...nodes.values()].map(([lon, lat]) => `${micro(lon)},${micro(lat)}`))
    const nearNode = ([lon, lat]: [number, number]) =>
      [-1, 0, 1].some((dx) => [-1, 0, 1].some((dy) => positions.has(`${micro(lon) + dx},${micro(lat) + dy}`)))
    const interior = recorded.routes[0]!.geometry.coordinates.slice(1, -1)
    expect(interior.length).toBeGreaterThan(50)
    expect(interior.filter((position) => !nearNode(position))).toEqual([])
  })

  it('decodes tags with their strings and ways with delta-coded references', () => {
    const highways = [...ways.values()].filter((way) => way.tags.highway !== undefined)
    expect(highways.length).toBeGreaterThan(2_000)
    expect(highways.some((way) => way.tags.name === 'Boulevard Albert 1er')).toBe(true)
    let longestStepDeg = 0
    for (const way of ways.values()) {
      way.refs.slice(1).forEach((ref, i) => {
        const [fromLon, fromLat] = nodes.get(way.refs[i]!)!
        const [toLon, toLat] = nodes.get(ref)!
        longestStepDeg = Math.max(longestStepDeg, Math.hypot(fromLon - toLon, fromLat - toLat))
      })
    }
    expect(longestStepDeg).toBeLessThan(0.05)
  })

  it('refuses a truncated file with a GeoError', () => {
    expect(() => decodeOsmPbf(bytes.subarray(0, 1000), { node() {}, way() {} })).toThrow(GeoError)
  })
})
