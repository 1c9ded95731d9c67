import { GeoError } from '../geo-error.js'

/** A piece of work a vehicle must do whole: a school route, a line's run. */
export interface ChainableTrip {
  startS: number
  endS: number
  startPlace: number
  endPlace: number
}

export interface ChainTripsOptions {
  /** Idle time a vehicle needs between arriving at a trip's end and driving on. */
  turnaroundS?: number
}

type Deadhead = (fromPlace: number, toPlace: number) => number

/**
 * Fewest vehicles, then least deadhead: each chain is trip indexes in driving order. The trips and
 * the "may follow" pairs form a DAG whose fewest vehicles is a minimum path cover, i.e. the trip
 * count less a maximum matching of trips to successors; among those, the assignment of least
 * deadhead is found by the Hungarian method, O(n³).
 */
export function chainTrips(
  trips: ChainableTrip[],
  deadheadS: Deadhead,
  options: ChainTripsOptions = {},
): number[][] {
  const n = trips.length
  const { follows, costs } = buildSuccessors(trips, deadheadS, options)
  return readChains(trips, assignSuccessors(n, follows, costs))
}

/** Chains of trip indexes from each trip's successor (-1: none), earliest first. */
function readChains(trips: ChainableTrip[], successor: Int32Array): number[][] {
  const n = trips.length
  const hasPredecessor = new Uint8Array(n)
  for (const j of successor) if (j >= 0) hasPredecessor[j] = 1
  const chains: number[][] = []
  for (let i = 0; i < n; i++) {
    if (hasPredecessor[i]) continue
    const chain = [i]
    for (let j = successor[i]; j >= 0; j = successor[j]) chain.push(j)
    chains.push(chain)
  }
  return chains.sort((a, b) => trips[a[0]].startS - trips[b[0]].startS || a[0] - b[0])
}

/** The vehicle count of `chainTrips` alone (Hopcroft–Karp), much cheaper when deadhead does not matter. */
export function countChainVehicles(
  trips: ChainableTrip[],
  deadheadS: Deadhead,
  options: ChainTripsOptions = {},
): number {
  return trips.length - maximumMatching(trips.length, buildSuccessors(trips, deadheadS, options).follows)
}

/**
 * Some fewest-vehicle chaining, in the form of `chainTrips`, found by Hopcroft–Karp alone: much
 * cheaper, without the least-deadhead choice among such chainings.
 */
export function chainTripsQuickly(
  trips: ChainableTrip[],
  deadheadS: Deadhead,
  options: ChainTripsOptions = {},
): number[][] {
  const successor = new Int32Array(trips.length).fill(-1)
  const follows = buildSuccessors(trips, deadheadS, options).follows
  maximumMatching(trips.length, follows, successor)
  return readChains(trips, successor)
}

function buildSuccessors(trips: ChainableTrip[], deadheadS: Deadhead, options: ChainTripsOptions) {
  const turnaroundS = options.turnaroundS ?? 0
  trips.forEach((trip, i) => {
    if (!(trip.startS <= trip.endS)) {
      throw new GeoError('invalid_input', `trip ${i} ends before it starts`, { field: `trips[${i}]` })
    }
  })
  const follows: number[][] = []
  const costs: number[][] = []
  trips.forEach((from, i) => {
    const next: number[] = []
    const cost: number[] = []
    trips.forEach((to, j) => {
      // Zero-length trips at one place could otherwise follow each other in a cycle.
      if (i === j || (to.startS === from.startS && j < i)) return
      const deadS = deadheadS(from.endPlace, to.startPlace)
      if (from.endS + turnaroundS + deadS <= to.startS) {
        next.push(j)
        cost.push(deadS)
      }
    })
    follows.push(next)
    costs.push(cost)
  })
  return { follows, costs }
}

/** The size of a maximum matching of trips to successors, each trip's successor in `matchOfLeft`. */
function maximumMatching(n: number, follows: number[][], matchOfLeft = new Int32Array(n).fill(-1)): number {
  const matchOfRight = new Int32Array(n).fill(-1)
  const layer = new Int32Array(n)
  let matched = 0
  const findLayers = () => {
    const queue: number[] = []
    let reachesFree = false
    for (let i = 0; i < n; i++) {
      layer[i] = matchOfLeft[i] < 0 ? 0 : -1
      if (layer[i] === 0) queue.push(i)
    }
    for (let head = 0; head < queue.length; head++) {
      const i = queue[head]
      for (const j of follows[i]) {
        const k = matchOfRight[j]
        if (k < 0) reachesFree = true
        else if (layer[k] < 0) {
          layer[k] = layer[i] + 1
          queue.push(k)
        }
      }
    }
    return reachesFree
  }
  const augment = (i: number): boolean => {
    for (const j of follows[i]) {
      const k = matchOfRight[j]
      if (k < 0 || (layer[k] === layer[i] + 1 && augment(k))) {
        matchOfLeft[i] = j
        matchOfRight[j] = i
        return true
      }
    }
    layer[i] = -1
    return false
  }
  while (findLayers()) {
    for (let i = 0; i < n; i++) if (matchOfLeft[i] < 0 && augment(i)) matched++
  }
  return matched
}

/** successor[i]: the trip after i, or -1. Unmatched pairs cost more than any whole matching's deadhead. */
function assignSuccessors(n: number, follows: number[][], costs: number[][]): Int32Array {
  let maxCost = 0
  for (const row of costs) for (const cost of row) maxCost = Math.max(maxCost, cost)
  const unmatched = (n + 1) * (maxCost + 1)
  const cost = new Float64Array(n * n).fill(unmatched)
  follows.forEach((row, i) => row.forEach((j, c) => (cost[i * n + j] = costs[i][c])))

  // Hungarian method with potentials (rows 1..n, column 0 a sentinel).
  const u = new Float64Array(n + 1)
  const v = new Float64Array(n + 1)
  const rowOfColumn = new Int32Array(n + 1)
  const way = new Int32Array(n + 1)
  const minSlack = new Float64Array(n + 1)
  const used = new Uint8Array(n + 1)
  for (let row = 1; row <= n; row++) {
    rowOfColumn[0] = row
    let column = 0
    minSlack.fill(Infinity)
    used.fill(0)
    do {
      used[column] = 1
      const i = rowOfColumn[column]
      let delta = Infinity
      let nextColumn = 0
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue
        const slack = cost[(i - 1) * n + j - 1] - u[i] - v[j]
        if (slack < minSlack[j]) {
          minSlack[j] = slack
          way[j] = column
        }
        if (minSlack[j] < delta) {
          delta = minSlack[j]
          nextColumn = j
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[rowOfColumn[j]] += delta
          v[j] -= delta
        } else minSlack[j] -= delta
      }
      column = nextColumn
    } while (rowOfColumn[column] !== 0)
    do {
      const previous = way[column]
      rowOfColumn[column] = rowOfColumn[previous]
      column = previous
    } while (column !== 0)
  }
  const successor = new Int32Array(n).fill(-1)
  for (let j = 1; j <= n; j++) {
    const i = rowOfColumn[j] - 1
    if (cost[i * n + j - 1] < unmatched) successor[i] = j - 1
  }
  return successor
}
