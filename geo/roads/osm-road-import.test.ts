import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { importOsmRoads } from './osm-road-import.js'
import { decodeOsmPbf } from './osm-pbf-decoder.js'
import type { OsmTags } from './osm-elements.js'
import { buildRoadGraph } from '../routing/road-graph.js'
import { MONACO_PBF, OSRM_RECORDINGS_DIR } from '../../test/support/test-data.js'

describe('importOsmRoads on the Monaco extract', () => {
  const bytes = readFileSync(MONACO_PBF)
  const { network, stats } = importOsmRoads(bytes, { format: 'pbf', source: 'Monaco' })
  const raw = new Map<number, { refs: number[]; tags: OsmTags }>()
  const nodes = new Map<number, [number, number]>()
  decodeOsmPbf(bytes, {
    node: (id, lon, lat) => nodes.set(id, [lon, lat]),
    way: (id, refs, tags) => raw.set(id, { refs, tags }),
  })
  const byId = new Map(network.ways.map((way) => [way.id, way]))
  const rawOf = (id: string) => raw.get(Number(id.replace(/^way\/(\d+).*$/, '$1')))!

  it('keeps part of the highways and none of the ways without one', () => {
    expect(stats.waysRead).toBe(raw.size)
    const highways = [...raw.values()].filter((way) => way.tags.highway !== undefined).length
    expect(stats.roadWaysKept).toBeGreaterThan(1000)
    expect(stats.roadWaysKept).toBeLessThan(highways)
    expect(stats.missingNodeRefs).toBe(0)
    expect(network.ways.every((way) => rawOf(way.id).tags.highway !== undefined)).toBe(true)
  })

  it('drops footways, steps, paths and closed roads, by their raw tags', () => {
    const droppedKinds = new Set([
      'footway',
      'steps',
      'path',
      'pedestrian',
      'track',
      'cycleway',
      'construction',
    ])
    for (const [id, way] of raw) {
      const shouldDrop =
        droppedKinds.has(way.tags.highway ?? '') || way.tags.access === 'no' || way.tags.access === 'private'
      if (shouldDrop && !way.tags.bus && !way.tags.psv && !way.tags.motor_vehicle) {
        expect(byId.has(`way/${id}`), `way/${id} ${JSON.stringify(way.tags)}`).toBe(false)
      }
    }
    expect(
      [...raw.values()].filter((way) => droppedKinds.has(way.tags.highway ?? '')).length,
    ).toBeGreaterThan(500)
  })

  it('marks one-ways, including implied ones, and turns oneway=-1 ways around', () => {
    expect(stats.onewayRoadWays).toBeGreaterThan(100)
    const roundabouts = network.ways.filter((way) => rawOf(way.id).tags.junction === 'roundabout')
    expect(roundabouts.length).toBeGreaterThan(10)
    expect(roundabouts.every((way) => way.oneway)).toBe(true)
    const motorways = network.ways.filter((way) => rawOf(way.id).tags.highway === 'motorway')
    expect(motorways.length).toBeGreaterThan(0)
    expect(motorways.every((way) => way.oneway || rawOf(way.id).tags.oneway === 'no')).toBe(true)
    const reversed = network.ways.filter((way) => rawOf(way.id).tags.oneway === '-1')
    expect(reversed.length).toBeGreaterThan(0)
    for (const way of reversed) {
      const firstRef = rawOf(way.id).refs[0]!
      expect(way.coords[way.coords.length - 1]).toEqual(nodes.get(firstRef))
    }
  })

  it('knows the streets OSRM names in its recorded answers on the same extract', () => {
    const recorded = readFileSync(`${OSRM_RECORDINGS_DIR}match-trace.json`, 'utf8')
    const names = [...recorded.matchAll(/"name":"([^"]+)"/g)].map(([, name]) => name!)
    expect(names).toContain('Boulevard Albert 1er')
    const ours = new Set(network.ways.map((way) => way.name))
    expect(names.filter((name) => !ours.has(name))).toEqual([])
  })

  it('leaves out of the routing graph what cannot be reached both ways', () => {
    const graph = buildRoadGraph(network)
    expect(graph.stats.droppedNodeCount).toBeGreaterThan(0)
    expect(graph.stats.droppedNodeCount).toBeLessThan(graph.stats.nodesBeforePruning / 5)
    expect(graph.nodeCount).toBe(graph.stats.nodesBeforePruning - graph.stats.droppedNodeCount)
  })
})
