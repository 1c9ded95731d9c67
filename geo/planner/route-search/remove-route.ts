import type { SeededRandom } from '../../random/seeded-random.js'
import type { AbsentCustomers } from './absent-customers.js'
import type { RouteState } from './route-state.js'

/**
 * Empties the route with the fewest customers (ties broken from a random start) so that the recreate
 * step has to fit them into the other routes: with a route cost, one route fewer usually outweighs
 * longer driving, and plain string removal rarely clears a whole route at once. Returns one of the
 * removed customers, around which string removal can then make room.
 */
export function removeSmallestRoute(state: RouteState, absent: AbsentCustomers, rng: SeededRandom): number {
  const start = Math.floor(rng.next() * state.activeCount)
  let smallest = state.activeSlots[start]
  for (let i = 1; i < state.activeCount; i++) {
    const slot = state.activeSlots[(start + i) % state.activeCount]
    if (state.length[slot] < state.length[smallest]) smallest = slot
  }
  const base = smallest * state.stride
  const centre = state.nodes[base + Math.floor(rng.next() * state.length[smallest])]
  while (state.length[smallest] > 0) {
    const c = state.nodes[base + state.length[smallest] - 1]
    state.removeCustomer(c)
    absent.push(c)
  }
  state.finishRemovals(smallest)
  return centre
}
