import type { RoadGraph } from './road-graph.js'
import { MinHeap } from './min-heap.js'
import { GrowableEdges } from './growable-edges.js'

/**
 * Contraction hierarchies (Geisberger et al. 2008). Nodes are contracted one by one, least
 * important first, adding a shortcut u→w wherever the only shortest path from u to w ran through
 * the contracted node. A query then searches only upwards in the order from both ends, a few
 * hundred nodes on a city network, which is what makes 1,000 × 1,000 tables cheap (see
 * many-to-many.ts). Plain Dijkstra per source spread over worker_threads was the alternative: it
 * gains at most the core count (two here) over 1,000 full searches, while the hierarchy makes
 * each search a few hundred nodes, for a preprocessing of well under a second on a city.
 */
export interface ContractionHierarchy {
  nodeCount: number
  /** Edges to higher-ranked nodes, searched from a source. */
  up: SearchRows
  /** Edges from higher-ranked nodes, reversed: searched from a target. */
  down: SearchRows
  edgeFrom: Int32Array
  edgeTo: Int32Array
  /** The road arc (2 × piece + 1 when driven against the piece's direction) of an original edge, or -1. */
  edgeArc: Int32Array
  /** The two halves of a shortcut. */
  edgeFirst: Int32Array
  edgeSecond: Int32Array
}

export interface SearchRows {
  start: Int32Array
  head: Int32Array
  durationS: Float64Array
  distanceM: Float64Array
  edge: Int32Array
}

/** Settled nodes a witness search may spend; past it a shortcut is added, which is always correct. */
const WITNESS_SETTLE_LIMIT = 250

export function buildContractionHierarchy(graph: RoadGraph): ContractionHierarchy {
  const n = graph.nodeCount
  const edges = new GrowableEdges(graph.pieceCount * 2)
  const outEdges: number[][] = Array.from({ length: n }, () => [])
  const inEdges: number[][] = Array.from({ length: n }, () => [])
  const addOrImprove = (
    from: number,
    to: number,
    durationS: number,
    distanceM: number,
    arc: number,
    a = -1,
    b = -1,
  ) => {
    for (const e of outEdges[from]) {
      if (edges.to[e] !== to) continue
      if (edges.durationS[e] > durationS) edges.set(e, durationS, distanceM, arc, a, b)
      return
    }
    const e = edges.add(from, to, durationS, distanceM, arc, a, b)
    outEdges[from].push(e)
    inEdges[to].push(e)
  }
  for (let p = 0; p < graph.pieceCount; p++) {
    const [from, to, durationS, lengthM] = [
      graph.pieceFrom[p],
      graph.pieceTo[p],
      graph.pieceDurationS[p],
      graph.pieceLengthM[p],
    ]
    if (graph.pieceForward[p]) addOrImprove(from, to, durationS, lengthM, 2 * p)
    if (graph.pieceBackward[p]) addOrImprove(to, from, durationS, lengthM, 2 * p + 1)
  }

  const contracted = new Uint8Array(n)
  const deletedNeighbours = new Int32Array(n)
  const level = new Int32Array(n)
  const witness = new WitnessSearch(n, edges, outEdges)

  /** The shortcuts contracting a node needs, as (in-edge, out-edge, duration) triples. */
  const shortcuts: number[] = []
  const findShortcuts = (v: number) => {
    shortcuts.length = 0
    for (const e1 of inEdges[v]) {
      const u = edges.from[e1]
      let maxDurationS = -1
      for (const e2 of outEdges[v]) {
        if (edges.to[e2] === u) continue
        maxDurationS = Math.max(maxDurationS, edges.durationS[e1] + edges.durationS[e2])
      }
      if (maxDurationS < 0) continue
      witness.run(u, v, maxDurationS, outEdges[v])
      for (const e2 of outEdges[v]) {
        const viaS = edges.durationS[e1] + edges.durationS[e2]
        if (edges.to[e2] !== u && witness.durationTo(edges.to[e2]) > viaS) shortcuts.push(e1, e2, viaS)
      }
    }
  }
  /**
   * Edge difference (shortcuts added minus edges removed), plus terms that spread contraction
   * evenly over the network: neighbours already contracted, and depth in the hierarchy so far.
   */
  const priorityOf = (v: number) => {
    findShortcuts(v)
    return (
      2 * (shortcuts.length / 3 - inEdges[v].length - outEdges[v].length) + deletedNeighbours[v] + level[v]
    )
  }

  const queue = new MinHeap(n)
  const priority = new Float64Array(n)
  for (let v = 0; v < n; v++) queue.push((priority[v] = priorityOf(v)), v)
  const rank = new Int32Array(n)
  let nextRank = 0
  while (queue.size > 0) {
    const key = queue.peekKey()
    const v = queue.pop()
    if (contracted[v] || key !== priority[v]) continue
    const fresh = priorityOf(v)
    if (fresh > queue.peekKey()) {
      queue.push((priority[v] = fresh), v)
      continue
    }
    for (let k = 0; k < shortcuts.length; k += 3) {
      const [e1, e2] = [shortcuts[k]!, shortcuts[k + 1]!]
      addOrImprove(
        edges.from[e1],
        edges.to[e2],
        shortcuts[k + 2]!,
        edges.distanceM[e1] + edges.distanceM[e2],
        -1,
        e1,
        e2,
      )
    }
    contracted[v] = 1
    rank[v] = nextRank++
    const neighbours = detachNode(v, inEdges, outEdges, edges)
    for (const neighbour of neighbours) {
      deletedNeighbours[neighbour]++
      level[neighbour] = Math.max(level[neighbour], level[v] + 1)
    }
  }
  return {
    nodeCount: n,
    up: buildSearchRows(
      n,
      edges,
      (e) => (rank[edges.from[e]] < rank[edges.to[e]] ? edges.from[e] : -1),
      edges.to,
    ),
    down: buildSearchRows(
      n,
      edges,
      (e) => (rank[edges.from[e]] > rank[edges.to[e]] ? edges.to[e] : -1),
      edges.from,
    ),
    edgeFrom: edges.from.slice(0, edges.count),
    edgeTo: edges.to.slice(0, edges.count),
    edgeArc: edges.arc.slice(0, edges.count),
    edgeFirst: edges.first.slice(0, edges.count),
    edgeSecond: edges.second.slice(0, edges.count),
  }
}

/**
 * Takes a contracted node's edges out of its neighbours' lists, so that later contraction steps
 * only walk the remaining graph; the edges stay in the store for the final hierarchy.
 */
function detachNode(v: number, inEdges: number[][], outEdges: number[][], edges: GrowableEdges): Set<number> {
  const neighbours = new Set<number>()
  for (const e of inEdges[v]) {
    neighbours.add(edges.from[e])
    removeItem(outEdges[edges.from[e]], e)
  }
  for (const e of outEdges[v]) {
    neighbours.add(edges.to[e])
    removeItem(inEdges[edges.to[e]], e)
  }
  inEdges[v] = []
  outEdges[v] = []
  return neighbours
}

function removeItem(list: number[], item: number): void {
  const index = list.indexOf(item)
  list[index] = list[list.length - 1]
  list.pop()
}

/** Rows of the edges `ownerOf` assigns to a node (or -1 to none), leading to `headOf[e]`. */
function buildSearchRows(
  n: number,
  edges: GrowableEdges,
  ownerOf: (e: number) => number,
  headOf: Int32Array,
): SearchRows {
  const start = new Int32Array(n + 1)
  for (let e = 0; e < edges.count; e++) {
    const owner = ownerOf(e)
    if (owner >= 0) start[owner + 1]++
  }
  for (let v = 0; v < n; v++) start[v + 1] += start[v]
  const fill = start.slice(0, n)
  const size = start[n]
  const rows: SearchRows = {
    start,
    head: new Int32Array(size),
    durationS: new Float64Array(size),
    distanceM: new Float64Array(size),
    edge: new Int32Array(size),
  }
  for (let e = 0; e < edges.count; e++) {
    const owner = ownerOf(e)
    if (owner < 0) continue
    const slot = fill[owner]++
    rows.head[slot] = headOf[e]
    rows.durationS[slot] = edges.durationS[e]
    rows.distanceM[slot] = edges.distanceM[e]
    rows.edge[slot] = e
  }
  return rows
}

/**
 * A bounded Dijkstra over the not-yet-contracted nodes (contracted ones are detached from the
 * lists), avoiding the node being contracted.
 */
class WitnessSearch {
  private readonly durationS: Float64Array
  private readonly stamp: Int32Array
  private readonly isTarget: Int32Array
  private current = 0
  private readonly heap = new MinHeap()

  constructor(
    n: number,
    private readonly edges: GrowableEdges,
    private readonly outEdges: number[][],
  ) {
    this.durationS = new Float64Array(n)
    this.stamp = new Int32Array(n)
    this.isTarget = new Int32Array(n)
  }

  /** Stops once every target (the heads of `targetEdges`) is settled, or past `maxDurationS`. */
  run(source: number, avoid: number, maxDurationS: number, targetEdges: number[]): void {
    const { durationS, stamp, heap, edges, isTarget } = this
    const current = ++this.current
    let targetsLeft = 0
    for (const e of targetEdges) {
      const w = edges.to[e]
      if (isTarget[w] !== current && w !== source) {
        isTarget[w] = current
        targetsLeft++
      }
    }
    heap.clear()
    stamp[source] = current
    durationS[source] = 0
    heap.push(0, source)
    let settled = 0
    while (heap.size > 0 && settled < WITNESS_SETTLE_LIMIT && targetsLeft > 0) {
      const key = heap.peekKey()
      const x = heap.pop()
      if (key > durationS[x]) continue
      if (key > maxDurationS) break
      settled++
      if (isTarget[x] === current) {
        isTarget[x] = 0
        targetsLeft--
      }
      for (const e of this.outEdges[x]) {
        const y = edges.to[e]
        if (y === avoid) continue
        const next = key + edges.durationS[e]
        if (stamp[y] !== current || next < durationS[y]) {
          stamp[y] = current
          durationS[y] = next
          heap.push(next, y)
        }
      }
    }
  }

  durationTo(node: number): number {
    return this.stamp[node] === this.current ? this.durationS[node] : Infinity
  }
}
