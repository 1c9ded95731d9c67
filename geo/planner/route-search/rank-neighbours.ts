import type { RouteInstance } from './prepare-route-instance.js'

/** Row width of the neighbour table: string removal rarely walks farther than this. */
const MAX_NEIGHBOURS = 100

export interface NeighbourTable {
  width: number
  /** neighbours[c * width + k]: the k-th closest customer to c (k = 0 is c itself). */
  neighbours: Int32Array
}

/** Ranks customers around each customer by travel both ways, so asymmetric matrices rank fairly. */
export function rankNeighbours(instance: RouteInstance): NeighbourTable {
  const { nodeCount: n, travel } = instance
  const width = Math.min(n - 1, MAX_NEIGHBOURS)
  const neighbours = new Int32Array(n * width)
  const others = Array.from({ length: n - 1 }, (_, i) => i + 1)
  for (let c = 1; c < n; c++) {
    const gap = (o: number): number => (o === c ? -1 : travel[c * n + o] + travel[o * n + c])
    const ranked = others.slice().sort((a, b) => gap(a) - gap(b) || a - b)
    for (let k = 0; k < width; k++) neighbours[c * width + k] = ranked[k]
  }
  return { width, neighbours }
}
