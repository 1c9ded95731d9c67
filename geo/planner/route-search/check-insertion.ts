import type { SeededRandom } from '../../random/seeded-random.js'
import type { RouteInstance } from './prepare-route-instance.js'
import type { RouteState } from './route-state.js'

/** The cheapest insertion found so far; reused across customers so that the search allocates nothing. */
export interface InsertionChoice {
  cost: number
  /** -1 for a new route. */
  slot: number
  position: number
}

/**
 * Extra travel of putting `customer` at `position` of the route in `slot`, or Infinity when that
 * breaks a ride or route-duration limit, the load aside. O(1): rides only grow
 * towards the front of a route (travel and service are ≥ 0), so the first customer's ride is the
 * longest, and the cached rides give every new value directly.
 */
function costInsertion(
  instance: RouteInstance,
  state: RouteState,
  customer: number,
  slot: number,
  position: number,
): number {
  const { travel, serviceS, nodeCount: n } = instance
  const base = slot * state.stride
  const len = state.length[slot]
  const next = position < len ? state.nodes[base + position] : 0
  const toNext = travel[customer * n + next]
  if (instance.toDepot) {
    const ride = toNext + (next === 0 ? 0 : serviceS[next] + state.ride[base + position])
    if (ride > instance.maxRideS) return Infinity
    if (position === 0) return serviceS[customer] + ride > instance.maxRouteS ? Infinity : toNext
    const prev = state.nodes[base + position - 1]
    const fromPrev = travel[prev * n + customer]
    const rideGain = fromPrev + serviceS[customer] + ride - state.ride[base + position - 1]
    if (state.ride[base] + rideGain > instance.maxRideS) return Infinity
    if (state.duration[slot] + rideGain > instance.maxRouteS) return Infinity
    return fromPrev + toNext - travel[prev * n + next]
  }
  const prev = position > 0 ? state.nodes[base + position - 1] : 0
  const added = travel[prev * n + customer] + toNext - travel[prev * n + next]
  if (state.duration[slot] + added + serviceS[customer] > instance.maxRouteS) return Infinity
  return added
}

/**
 * Offers every position of one route to `choice`, keeping the cheapest feasible one. Each position
 * is skipped with probability `blinkRate` (SISR's blinks, which diversify the greedy choice).
 */
function offerRoutePositions(
  instance: RouteInstance,
  state: RouteState,
  customer: number,
  slot: number,
  rng: SeededRandom,
  blinkRate: number,
  choice: InsertionChoice,
): void {
  if (state.load[slot] + instance.demand[customer] > instance.capacity) return
  const len = state.length[slot]
  for (let position = 0; position <= len; position++) {
    if (blinkRate > 0 && rng.next() < blinkRate) continue
    const cost = costInsertion(instance, state, customer, slot, position)
    if (cost < choice.cost) {
      choice.cost = cost
      choice.slot = slot
      choice.position = position
    }
  }
}

/**
 * Sets `choice` to the cheapest feasible place for `customer`: a position in a route, or a new route
 * (slot -1) when that is cheaper or nothing fits. A new route always fits: the input checks that
 * every customer can be served alone.
 */
export function chooseInsertion(
  instance: RouteInstance,
  state: RouteState,
  customer: number,
  rng: SeededRandom,
  blinkRate: number,
  choice: InsertionChoice,
): void {
  const { travel, nodeCount: n } = instance
  choice.cost = (instance.toDepot ? 0 : travel[customer]) + travel[customer * n] + instance.routeCost
  choice.slot = -1
  choice.position = 0
  for (let r = 0; r < state.activeCount; r++) {
    offerRoutePositions(instance, state, customer, state.activeSlots[r], rng, blinkRate, choice)
  }
}
