import type { RoadGraph } from '../routing/road-graph.js'
import { MinHeap } from '../routing/min-heap.js'

/**
 * The road graph as pedestrians use it: every piece both ways, one-way streets included, but no
 * motorway. Adjacency lists in compressed rows: the pieces at node v are piece[start[v]..start[v+1]).
 */
export interface WalkNetwork {
  start: Int32Array
  piece: Int32Array
  neighbour: Int32Array
}

export function isWalkablePiece(graph: RoadGraph, piece: number): boolean {
  return graph.pieceRoadClass[piece] !== 'motorway'
}

export function buildWalkNetwork(graph: RoadGraph): WalkNetwork {
  const start = new Int32Array(graph.nodeCount + 1)
  for (let p = 0; p < graph.pieceCount; p++) {
    if (!isWalkablePiece(graph, p)) continue
    start[graph.pieceFrom[p] + 1]++
    start[graph.pieceTo[p] + 1]++
  }
  for (let v = 0; v < graph.nodeCount; v++) start[v + 1] += start[v]
  const fill = start.slice(0, graph.nodeCount)
  const piece = new Int32Array(start[graph.nodeCount])
  const neighbour = new Int32Array(start[graph.nodeCount])
  for (let p = 0; p < graph.pieceCount; p++) {
    if (!isWalkablePiece(graph, p)) continue
    const [from, to] = [graph.pieceFrom[p], graph.pieceTo[p]]
    piece[fill[from]] = p
    neighbour[fill[from]++] = to
    piece[fill[to]] = p
    neighbour[fill[to]++] = from
  }
  return { start, piece, neighbour }
}

/**
 * Shortest walks from a few seed nodes, abandoned beyond a limit. It is reused for every home:
 * a stamp per node marks which search a distance belongs to, so nothing is cleared between runs.
 */
export class BoundedWalkSearch {
  /** The nodes the last run reached within its limit, in the order they were settled. */
  readonly settled: number[] = []
  private readonly distanceM: Float64Array
  private readonly stamp: Int32Array
  private run = 0
  private readonly heap = new MinHeap()

  constructor(
    private readonly graph: RoadGraph,
    private readonly network: WalkNetwork,
  ) {
    this.distanceM = new Float64Array(graph.nodeCount)
    this.stamp = new Int32Array(graph.nodeCount)
  }

  search(seeds: { node: number; walkM: number }[], limitM: number): void {
    this.run++
    this.settled.length = 0
    this.heap.clear()
    for (const seed of seeds) this.improve(seed.node, seed.walkM, limitM)
    const { start, piece, neighbour } = this.network
    while (this.heap.size > 0) {
      const walkM = this.heap.peekKey()
      const node = this.heap.pop()
      if (walkM > this.distanceM[node]) continue
      this.settled.push(node)
      for (let k = start[node]; k < start[node + 1]; k++)
        this.improve(neighbour[k], walkM + this.graph.pieceLengthM[piece[k]], limitM)
    }
  }

  /** The walk to a node in the last run; Infinity when it lies beyond the limit. */
  walkTo(node: number): number {
    return this.stamp[node] === this.run ? this.distanceM[node] : Infinity
  }

  private improve(node: number, walkM: number, limitM: number): void {
    if (walkM > limitM || walkM >= this.walkTo(node)) return
    this.stamp[node] = this.run
    this.distanceM[node] = walkM
    this.heap.push(walkM, node)
  }
}
