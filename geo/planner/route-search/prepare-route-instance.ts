import { GeoError } from '../../geo-error.js'
import type { RouteProblem } from './route-problem.js'

/** A RouteProblem checked and copied into the flat typed form the search loops read. */
export interface RouteInstance {
  nodeCount: number
  demand: Float64Array
  capacity: number
  travel: Float64Array
  serviceS: Float64Array
  toDepot: boolean
  /** Infinity when the problem sets no limit. */
  maxRideS: number
  maxRouteS: number
  routeCost: number
  /** Most customers one route can hold under capacity: the row width of route storage. */
  maxRouteLength: number
}

function invalid(field: string, message: string): GeoError {
  return new GeoError('invalid_input', message, { field })
}

function readNonNegative(values: ArrayLike<number>, field: string, length: number): Float64Array {
  if (values.length !== length)
    throw invalid(field, `${field} has ${values.length} entries, expected ${length}`)
  const copy = new Float64Array(length)
  for (let i = 0; i < length; i++) {
    const value = values[i]
    if (!Number.isFinite(value) || value < 0) {
      throw invalid(`${field}[${i}]`, `${field}[${i}] must be a finite number ≥ 0, got ${value}`)
    }
    copy[i] = value
  }
  return copy
}

function readLimit(value: number | undefined, field: string): number {
  if (value === undefined) return Infinity
  if (Number.isNaN(value) || value < 0) throw invalid(field, `${field} must be ≥ 0, got ${value}`)
  return value
}

/** Counts how many of the lightest customers fit together: no route can be longer. */
function countLongestRoute(demand: Float64Array, capacity: number): number {
  const sorted = demand.slice(1).sort()
  let load = 0
  let count = 0
  while (count < sorted.length && load + sorted[count] <= capacity) load += sorted[count++]
  return Math.max(count, 1)
}

/**
 * Rejects input the search cannot honour, naming the field. A customer that cannot be served even
 * alone (over capacity, or too far for the ride or route limit) makes the problem infeasible.
 */
export function prepareRouteInstance(problem: RouteProblem): RouteInstance {
  const n = problem.nodeCount
  if (!Number.isInteger(n) || n < 1) throw invalid('nodeCount', `nodeCount must be an integer ≥ 1, got ${n}`)
  if (problem.shape !== 'closed' && problem.shape !== 'to_depot') {
    throw invalid('shape', `shape must be 'closed' or 'to_depot', got ${String(problem.shape)}`)
  }
  const capacity = problem.capacity
  if (!Number.isFinite(capacity) || capacity < 0) {
    throw invalid('capacity', `capacity must be a finite number ≥ 0, got ${capacity}`)
  }
  const demand = readNonNegative(problem.demand, 'demand', n)
  if (demand[0] !== 0) throw invalid('demand[0]', `the depot's demand must be 0, got ${demand[0]}`)
  if (problem.travel.length !== n * n) {
    throw invalid(
      'travel',
      `travel must be a square nodeCount² = ${n * n} matrix, got ${problem.travel.length}`,
    )
  }
  const travel = readNonNegative(problem.travel, 'travel', n * n)
  const serviceS = problem.serviceS ? readNonNegative(problem.serviceS, 'serviceS', n) : new Float64Array(n)
  const maxRideS = readLimit(problem.maxRideS, 'maxRideS')
  const maxRouteS = readLimit(problem.maxRouteS, 'maxRouteS')
  const routeCost = problem.routeCost ?? 0
  if (!Number.isFinite(routeCost) || routeCost < 0) {
    throw invalid('routeCost', `routeCost must be a finite number ≥ 0, got ${routeCost}`)
  }
  const toDepot = problem.shape === 'to_depot'
  for (let c = 1; c < n; c++) {
    if (demand[c] > capacity) {
      throw invalid(`demand[${c}]`, `customer ${c} needs ${demand[c]}, more than the capacity ${capacity}`)
    }
    const back = travel[c * n]
    if (toDepot && back > maxRideS) {
      throw invalid(
        'maxRideS',
        `customer ${c} rides ${back} straight to the depot, over maxRideS ${maxRideS}`,
      )
    }
    const alone = toDepot ? serviceS[c] + back : travel[c] + serviceS[c] + back
    if (alone > maxRouteS) {
      throw invalid('maxRouteS', `customer ${c} alone needs a ${alone} route, over maxRouteS ${maxRouteS}`)
    }
  }
  return {
    nodeCount: n,
    demand,
    capacity,
    travel,
    serviceS,
    toDepot,
    maxRideS,
    maxRouteS,
    routeCost,
    maxRouteLength: countLongestRoute(demand, capacity),
  }
}
