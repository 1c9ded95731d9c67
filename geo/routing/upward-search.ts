import type { ContractionHierarchy, SearchRows } from './contraction-hierarchy.js'
import { MinHeap } from './min-heap.js'

/** Where a search starts: a graph node, already this far from the snapped point. */
export interface SearchSeed {
  node: number
  durationS: number
  distanceM: number
}

/**
 * One direction of a contraction-hierarchy query: a Dijkstra search that only climbs the order,
 * from one or more seeds, settling the whole upward search space. Stall-on-demand skips nodes
 * reached more cheaply from above, which roughly halves the space. Reusable: state is reset by
 * bumping a stamp, not by clearing arrays.
 */
export class UpwardSearch {
  readonly durationS: Float64Array
  readonly distanceM: Float64Array
  /** The edge a node was reached by, -1 at a seed. */
  readonly parentEdge: Int32Array
  /** The index of the seed a node's path starts from. */
  readonly seedOf: Int32Array
  /** Nodes settled and not stalled by the last run, in the order settled. */
  settled: Int32Array
  settledCount = 0
  private readonly stamp: Int32Array
  private current = 0
  private readonly heap = new MinHeap()

  constructor(
    nodeCount: number,
    private readonly rows: SearchRows,
    private readonly stallRows: SearchRows,
  ) {
    this.durationS = new Float64Array(nodeCount)
    this.distanceM = new Float64Array(nodeCount)
    this.parentEdge = new Int32Array(nodeCount)
    this.seedOf = new Int32Array(nodeCount)
    this.stamp = new Int32Array(nodeCount)
    this.settled = new Int32Array(256)
  }

  static forward(ch: ContractionHierarchy): UpwardSearch {
    return new UpwardSearch(ch.nodeCount, ch.up, ch.down)
  }

  static backward(ch: ContractionHierarchy): UpwardSearch {
    return new UpwardSearch(ch.nodeCount, ch.down, ch.up)
  }

  reached(node: number): boolean {
    return this.stamp[node] === this.current
  }

  run(seeds: readonly SearchSeed[]): void {
    const { durationS, distanceM, parentEdge, seedOf, stamp, heap, rows, stallRows } = this
    const current = ++this.current
    heap.clear()
    this.settledCount = 0
    seeds.forEach((seed, index) => {
      if (stamp[seed.node] === current && durationS[seed.node] <= seed.durationS) return
      stamp[seed.node] = current
      durationS[seed.node] = seed.durationS
      distanceM[seed.node] = seed.distanceM
      parentEdge[seed.node] = -1
      seedOf[seed.node] = index
      heap.push(seed.durationS, seed.node)
    })
    while (heap.size > 0) {
      const key = heap.peekKey()
      const v = heap.pop()
      if (key > durationS[v]) continue
      if (this.isStalled(v, key, stallRows)) continue
      this.pushSettled(v)
      for (let slot = rows.start[v]; slot < rows.start[v + 1]; slot++) {
        const w = rows.head[slot]
        const next = key + rows.durationS[slot]
        if (stamp[w] !== current || next < durationS[w]) {
          stamp[w] = current
          durationS[w] = next
          distanceM[w] = distanceM[v] + rows.distanceM[slot]
          parentEdge[w] = rows.edge[slot]
          seedOf[w] = seedOf[v]
          heap.push(next, w)
        }
      }
    }
  }

  /** True when a higher node already reached reaches v more cheaply: v is not on a shortest path. */
  private isStalled(v: number, durationS: number, stallRows: SearchRows): boolean {
    for (let slot = stallRows.start[v]; slot < stallRows.start[v + 1]; slot++) {
      const x = stallRows.head[slot]
      if (this.stamp[x] === this.current && this.durationS[x] + stallRows.durationS[slot] < durationS)
        return true
    }
    return false
  }

  private pushSettled(v: number): void {
    if (this.settledCount === this.settled.length) {
      const grown = new Int32Array(this.settled.length * 2)
      grown.set(this.settled)
      this.settled = grown
    }
    this.settled[this.settledCount++] = v
  }
}
