import { describe, expect, it } from 'vitest'
import { buildRoadGraph, type RoadGraph } from './road-graph.js'
import { buildContractionHierarchy } from './contraction-hierarchy.js'
import { FastestPathFinder } from './fastest-path.js'
import { computeManyToMany } from './many-to-many.js'
import { findDirectOnPiece, seedsArriving, seedsLeaving } from './road-position-seeds.js'
import { SegmentGrid, type RoadPosition } from './segment-grid.js'
import { MinHeap } from './min-heap.js'
import { measureLineM } from '../../test/support/router-contract.js'
import { loadMonacoNetwork } from '../../test/support/test-data.js'

/** Plain Dijkstra over every piece, the reference the hierarchy must agree with. */
function createReference(graph: RoadGraph): (from: RoadPosition, to: RoadPosition) => number {
  const arcs: [number, number][][] = Array.from({ length: graph.nodeCount }, () => [])
  for (let p = 0; p < graph.pieceCount; p++) {
    if (graph.pieceForward[p]) arcs[graph.pieceFrom[p]]!.push([graph.pieceTo[p], graph.pieceDurationS[p]])
    if (graph.pieceBackward[p]) arcs[graph.pieceTo[p]]!.push([graph.pieceFrom[p], graph.pieceDurationS[p]])
  }
  return (from, to) => {
    const durationS = new Float64Array(graph.nodeCount).fill(Infinity)
    const heap = new MinHeap()
    for (const seed of seedsLeaving(graph, from)) {
      durationS[seed.node] = Math.min(durationS[seed.node], seed.durationS)
      heap.push(seed.durationS, seed.node)
    }
    while (heap.size > 0) {
      const key = heap.peekKey()
      const v = heap.pop()
      if (key > durationS[v]) continue
      for (const [w, stepS] of arcs[v]!) {
        if (key + stepS < durationS[w]) {
          durationS[w] = key + stepS
          heap.push(durationS[w], w)
        }
      }
    }
    const viaNodes = Math.min(
      ...seedsArriving(graph, to).map((seed) => durationS[seed.node] + seed.durationS),
    )
    return Math.min(viaNodes, findDirectOnPiece(graph, from, to)?.durationS ?? Infinity)
  }
}

/** Road positions near seeded random points of the network's area. */
function createRandomPositions(graph: RoadGraph, count: number): RoadPosition[] {
  const grid = new SegmentGrid(graph)
  const { minLat, maxLat, minLon, maxLon } = graph.bounds
  let state = 12345
  const random = () => (state = (state * 16807) % 2147483647) / 2147483647
  const positions: RoadPosition[] = []
  while (positions.length < count) {
    const [position] = grid.findNearest(
      minLat + random() * (maxLat - minLat),
      minLon + random() * (maxLon - minLon),
      200,
      1,
    )
    if (position) positions.push(position)
  }
  return positions
}

describe('contraction hierarchy on Monaco', () => {
  const graph = buildRoadGraph(loadMonacoNetwork())
  const ch = buildContractionHierarchy(graph)
  const finder = new FastestPathFinder(graph, ch)
  const positions = createRandomPositions(graph, 40)
  const referenceDurationS = createReference(graph)

  it('finds the same fastest durations as plain Dijkstra, with shapes as long as the distances', () => {
    for (let i = 0; i + 1 < positions.length; i += 2) {
      const [from, to] = [positions[i]!, positions[i + 1]!]
      const path = finder.find(from, to)!
      expect(path.durationS).toBeCloseTo(referenceDurationS(from, to), 6)
      expect(measureLineM(path.coordinates)).toBeCloseTo(path.distanceM, 0)
    }
  })

  it('fills a many-to-many table with the same durations as one-to-one queries', () => {
    const sources = positions.slice(0, 15)
    const destinations = positions.slice(15)
    const table = computeManyToMany(
      ch,
      sources.map((position) => seedsLeaving(graph, position)),
      destinations.map((position) => seedsArriving(graph, position)),
    )
    sources.forEach((from, i) =>
      destinations.forEach((to, j) => {
        const path = finder.find(from, to, false)!
        const direct = findDirectOnPiece(graph, from, to)
        const cellS = Math.min(table.durationS[i * destinations.length + j]!, direct?.durationS ?? Infinity)
        expect(cellS).toBeCloseTo(path.durationS, 6)
      }),
    )
  })
})
