import type { ContractionHierarchy } from './contraction-hierarchy.js'
import { UpwardSearch, type SearchSeed } from './upward-search.js'

export interface TableResult {
  /** Row-major: [source × destinations + destination]; Infinity where no path exists. */
  durationS: Float64Array
  distanceM: Float64Array
}

/**
 * Many-to-many fastest paths with buckets (Knopp et al. 2007): one backward upward search per
 * destination leaves (destination, cost) in a bucket at every node it settles; one forward search
 * per source then meets every destination by scanning the buckets of the nodes it settles. That is
 * S + D small searches instead of S full Dijkstras.
 */
export function computeManyToMany(
  ch: ContractionHierarchy,
  sources: readonly SearchSeed[][],
  destinations: readonly SearchSeed[][],
): TableResult {
  const buckets = fillBuckets(ch, destinations)
  const width = destinations.length
  const durationS = new Float64Array(sources.length * width).fill(Infinity)
  const distanceM = new Float64Array(sources.length * width).fill(Infinity)
  const forward = UpwardSearch.forward(ch)
  sources.forEach((seeds, i) => {
    forward.run(seeds)
    const row = i * width
    for (let k = 0; k < forward.settledCount; k++) {
      const v = forward.settled[k]
      const toV = forward.durationS[v]
      const toVM = forward.distanceM[v]
      for (let b = buckets.start[v]; b < buckets.start[v + 1]; b++) {
        const cell = row + buckets.destination[b]
        const totalS = toV + buckets.durationS[b]
        if (totalS < durationS[cell]) {
          durationS[cell] = totalS
          distanceM[cell] = toVM + buckets.distanceM[b]
        }
      }
    }
  })
  return { durationS, distanceM }
}

interface Buckets {
  start: Int32Array
  destination: Int32Array
  durationS: Float64Array
  distanceM: Float64Array
}

function fillBuckets(ch: ContractionHierarchy, destinations: readonly SearchSeed[][]): Buckets {
  const backward = UpwardSearch.backward(ch)
  const nodes: Int32Array[] = []
  const costs: Float64Array[] = []
  const start = new Int32Array(ch.nodeCount + 1)
  for (const seeds of destinations) {
    backward.run(seeds)
    const settled = backward.settled.slice(0, backward.settledCount)
    const cost = new Float64Array(settled.length * 2)
    settled.forEach((v, k) => {
      start[v + 1]++
      cost[2 * k] = backward.durationS[v]
      cost[2 * k + 1] = backward.distanceM[v]
    })
    nodes.push(settled)
    costs.push(cost)
  }
  for (let v = 0; v < ch.nodeCount; v++) start[v + 1] += start[v]
  const fill = start.slice(0, ch.nodeCount)
  const size = start[ch.nodeCount]
  const buckets: Buckets = {
    start,
    destination: new Int32Array(size),
    durationS: new Float64Array(size),
    distanceM: new Float64Array(size),
  }
  nodes.forEach((settled, j) => {
    const cost = costs[j]!
    settled.forEach((v, k) => {
      const slot = fill[v]++
      buckets.destination[slot] = j
      buckets.durationS[slot] = cost[2 * k]
      buckets.distanceM[slot] = cost[2 * k + 1]
    })
  })
  return buckets
}
