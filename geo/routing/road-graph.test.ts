import { describe, expect, it } from 'vitest'
import type { RoadWay } from '../roads/road-network.js'
import { buildRoadGraph, type RoadGraph } from './road-graph.js'
import { labelStronglyConnectedComponents } from './strongly-connected.js'
import { loadMonacoNetwork } from '../../test/support/test-data.js'
import { GeoError } from '../geo-error.js'

const road = (id: string, coords: [number, number][], oneway = false): RoadWay => ({
  id,
  roadClass: 'residential',
  coords,
  speedKmh: 36,
  oneway,
})

/** Nodes reachable from node 0 along the pieces' allowed directions, or against them. */
function countReachable(graph: RoadGraph, against: boolean): number {
  const next: number[][] = Array.from({ length: graph.nodeCount }, () => [])
  for (let p = 0; p < graph.pieceCount; p++) {
    const [from, to] = [graph.pieceFrom[p], graph.pieceTo[p]]
    if (graph.pieceForward[p]) (against ? next[to] : next[from])!.push(against ? from : to)
    if (graph.pieceBackward[p]) (against ? next[from] : next[to])!.push(against ? to : from)
  }
  const seen = new Uint8Array(graph.nodeCount)
  const stack = [0]
  seen[0] = 1
  while (stack.length > 0) {
    for (const w of next[stack.pop()!]!) {
      if (!seen[w]) {
        seen[w] = 1
        stack.push(w)
      }
    }
  }
  return seen.reduce((sum, flag) => sum + flag, 0)
}

describe('buildRoadGraph', () => {
  it('makes nodes where ways cross or end and cuts the ways there', () => {
    const graph = buildRoadGraph({
      source: 'cross',
      ways: [
        road('ew', [
          [121.0, 30.0],
          [121.001, 30.0],
          [121.002, 30.0],
        ]),
        road('ns', [
          [121.001, 29.999],
          [121.001, 29.9995],
          [121.001, 30.0],
          [121.001, 30.001],
        ]),
      ],
    })
    expect(graph.nodeCount).toBe(5)
    expect(graph.pieceCount).toBe(4)
    const lengths = Array.from(graph.pieceLengthM).sort((a, b) => a - b)
    expect(lengths[0]).toBeCloseTo(96.5, 0)
    expect(lengths[3]).toBeCloseTo(111.2, 0)
    expect(graph.pieceDurationS[0]).toBeCloseTo(graph.pieceLengthM[0] / 10, 6)
  })

  it('cuts a closed way with one exit in two and skips repeated positions', () => {
    const graph = buildRoadGraph({
      source: 'loop',
      ways: [
        road('stem', [
          [121.0, 29.999],
          [121.0, 30.0],
        ]),
        road('loop', [
          [121.0, 30.0],
          [121.001, 30.0],
          [121.001, 30.0],
          [121.001, 30.001],
          [121.0, 30.001],
          [121.0, 30.0],
        ]),
      ],
    })
    expect(graph.pieceCount).toBe(3)
    expect(graph.stats.droppedNodeCount).toBe(0)
    expect(Array.from(graph.pieceFrom).every((from, p) => from !== graph.pieceTo[p])).toBe(true)
    expect(graph.coordLon.length).toBe(2 + 3 + 3)
  })

  it('drops a one-way spur that cannot be left again', () => {
    const graph = buildRoadGraph({
      source: 'spur',
      ways: [
        road('main', [
          [121.0, 30.0],
          [121.001, 30.0],
          [121.002, 30.0],
        ]),
        road(
          'spur',
          [
            [121.001, 30.0],
            [121.001, 30.001],
          ],
          true,
        ),
      ],
    })
    expect(graph.stats).toMatchObject({ nodesBeforePruning: 4, droppedNodeCount: 1, droppedPieceCount: 1 })
    expect(graph.pieceCount).toBe(2)
  })

  it("carries each way's class, posted limit and hazard onto its pieces", () => {
    const graph = buildRoadGraph({
      source: 'attributes',
      ways: [
        {
          ...road('street', [
            [121.0, 30.0],
            [121.001, 30.0],
            [121.002, 30.0],
          ]),
          maxSpeedKmh: 30,
        },
        {
          ...road('bridge', [
            [121.001, 29.999],
            [121.001, 30.0],
            [121.001, 30.001],
          ]),
          hazard: true,
        },
        {
          ...road('ring', [
            [121.002, 30.0],
            [121.002, 30.001],
            [121.001, 30.001],
          ]),
          roadClass: 'primary',
        },
      ],
    })
    const attributes = Array.from({ length: graph.pieceCount }, (_, p) =>
      [graph.pieceRoadClass[p], graph.pieceMaxSpeedKmh[p], graph.pieceHazard[p]].join(' '),
    ).sort()
    expect(attributes).toEqual([
      'primary 0 0',
      'residential 0 1',
      'residential 0 1',
      'residential 30 0',
      'residential 30 0',
    ])
  })

  it('refuses a network with nothing drivable', () => {
    expect(() => buildRoadGraph({ source: 'empty', ways: [] })).toThrow(GeoError)
  })

  it('keeps Monaco as one strongly connected component', () => {
    const graph = buildRoadGraph(loadMonacoNetwork())
    expect(graph.stats.droppedNodeCount).toBeGreaterThan(0)
    expect(countReachable(graph, false)).toBe(graph.nodeCount)
    expect(countReachable(graph, true)).toBe(graph.nodeCount)
  })
})

describe('labelStronglyConnectedComponents', () => {
  it('finds the cycles of a small graph', () => {
    // 0 ⇄ 1 → 2 → 3 → 2, 4 alone
    const start = Int32Array.from([0, 1, 3, 4, 5, 5])
    const targets = Int32Array.from([1, 0, 2, 3, 2])
    const { component, componentCount } = labelStronglyConnectedComponents(5, { start, targets })
    expect(componentCount).toBe(3)
    expect(component[0]).toBe(component[1])
    expect(component[2]).toBe(component[3])
    expect(new Set(component).size).toBe(3)
  })

  it('walks a long one-way chain without exhausting the call stack', () => {
    const n = 200_000
    const start = Int32Array.from({ length: n + 1 }, (_, v) => v)
    const targets = Int32Array.from({ length: n }, (_, v) => (v + 1) % n)
    expect(labelStronglyConnectedComponents(n, { start, targets }).componentCount).toBe(1)
  })
})
