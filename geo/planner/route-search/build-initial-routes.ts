import type { SeededRandom } from '../../random/seeded-random.js'
import { GeoError } from '../../geo-error.js'
import { AbsentCustomers } from './absent-customers.js'
import { insertCustomers, type InsertionBuffers } from './insert-customers.js'
import type { RouteInstance } from './prepare-route-instance.js'
import type { RouteState } from './route-state.js'

function invalidRoutes(field: string, message: string): GeoError {
  return new GeoError('invalid_input', message, { field })
}

/** Loads caller-given routes, rejecting unknown or repeated customers and broken limits. */
function loadRoutes(instance: RouteInstance, state: RouteState, routes: number[][]): void {
  for (let r = 0; r < routes.length; r++) {
    const route = routes[r]
    if (route.length === 0) continue
    if (route.length > state.stride) {
      throw invalidRoutes(`initialRoutes[${r}]`, `route ${r} holds more customers than the capacity allows`)
    }
    const slot = state.openRoute()
    for (let k = 0; k < route.length; k++) {
      const c = route[k]
      const field = `initialRoutes[${r}][${k}]`
      if (!Number.isInteger(c) || c < 1 || c >= instance.nodeCount) {
        throw invalidRoutes(field, `${c} is not a customer`)
      }
      if (state.routeOf[c] >= 0) throw invalidRoutes(field, `customer ${c} appears twice`)
      state.insertCustomer(c, slot, k)
    }
    if (state.load[slot] > instance.capacity) {
      throw invalidRoutes(`initialRoutes[${r}]`, `route ${r} carries ${state.load[slot]}, over the capacity`)
    }
    if (!state.isWithinLimits(slot)) {
      throw invalidRoutes(`initialRoutes[${r}]`, `route ${r} breaks maxRideS or maxRouteS`)
    }
  }
}

/**
 * The starting solution: the caller's routes when given (customers they leave out are inserted),
 * otherwise a greedy cheapest insertion of every customer.
 */
export function buildInitialRoutes(
  instance: RouteInstance,
  state: RouteState,
  buffers: InsertionBuffers,
  rng: SeededRandom,
  initialRoutes: number[][] | undefined,
): void {
  if (initialRoutes) loadRoutes(instance, state, initialRoutes)
  const absent = new AbsentCustomers(instance.nodeCount)
  for (let c = 1; c < instance.nodeCount; c++) if (state.routeOf[c] < 0) absent.push(c)
  insertCustomers(instance, state, absent, buffers, rng, 0)
}
