import type { SeededRandom } from '../../random/seeded-random.js'
import type { AbsentCustomers } from './absent-customers.js'
import { chooseInsertion, type InsertionChoice } from './check-insertion.js'
import type { RouteInstance } from './prepare-route-instance.js'
import type { RouteState } from './route-state.js'

export interface InsertionBuffers {
  /** Sort key of each node for the current insertion order. */
  keys: Float64Array
  choice: InsertionChoice
}

export function createInsertionBuffers(nodeCount: number): InsertionBuffers {
  return { keys: new Float64Array(nodeCount), choice: { cost: 0, slot: -1, position: 0 } }
}

/**
 * SISR's insertion orders with their published weights: random 4, largest demand 4, farthest from
 * the depot 2, closest to the depot 1.
 */
function fillOrderKeys(
  instance: RouteInstance,
  absent: AbsentCustomers,
  keys: Float64Array,
  rng: SeededRandom,
) {
  const { travel, demand, nodeCount: n } = instance
  const draw = rng.next() * 11
  for (let i = 0; i < absent.count; i++) {
    const c = absent.items[i]
    const depotGap = travel[c] + travel[c * n]
    if (draw < 4) keys[c] = rng.next()
    else if (draw < 8) keys[c] = -demand[c]
    else if (draw < 10) keys[c] = -depotGap
    else keys[c] = depotGap
  }
}

/** Insertion sort: the absent list is short in ruin-and-recreate, and this sort allocates nothing. */
function sortByKey(absent: AbsentCustomers, keys: Float64Array): void {
  const items = absent.items
  for (let i = 1; i < absent.count; i++) {
    const c = items[i]
    const key = keys[c]
    let j = i - 1
    while (j >= 0 && keys[items[j]] > key) {
      items[j + 1] = items[j]
      j--
    }
    items[j + 1] = c
  }
}

/**
 * Greedy recreate: each absent customer goes to its cheapest feasible position (positions blink with
 * probability `blinkRate`), or to a new route when that is cheaper or nothing fits.
 */
export function insertCustomers(
  instance: RouteInstance,
  state: RouteState,
  absent: AbsentCustomers,
  buffers: InsertionBuffers,
  rng: SeededRandom,
  blinkRate: number,
): void {
  fillOrderKeys(instance, absent, buffers.keys, rng)
  sortByKey(absent, buffers.keys)
  const choice = buffers.choice
  for (let i = 0; i < absent.count; i++) {
    const c = absent.items[i]
    chooseInsertion(instance, state, c, rng, blinkRate, choice)
    state.insertCustomer(c, choice.slot < 0 ? state.openRoute() : choice.slot, choice.position)
  }
  absent.count = 0
}
