import { buildTripRoute, type TripRoute } from '../../../geo/eta/trip-route.js'
import type { Router } from '../../../geo/routing/router.js'
import type { Queryable } from '../store/database.js'
import { createTripQueries } from '../store/trip-queries.js'

export interface TripRoutes {
  /** The trip's road geometry through its stops; `stops` spares the read when the caller has them. */
  routeOf(tripId: string, stops?: Parameters<typeof buildTripRoute>[0]): Promise<TripRoute>
}

/**
 * Each trip's road geometry, routed once per process and kept: for the ETAs that follow a bus along
 * it and for the API that draws it. A failed routing is tried again next time, not remembered.
 */
export function createTripRoutes(deps: { db: Queryable; router: Router }): TripRoutes {
  const tripQueries = createTripQueries(deps.db)
  const routes = new Map<string, Promise<TripRoute>>()
  return {
    routeOf(tripId, stops) {
      let route = routes.get(tripId)
      if (!route) {
        route = (async () => buildTripRoute(stops ?? (await tripQueries.tripStops(tripId)), deps.router))()
        route.catch(() => routes.delete(tripId))
        routes.set(tripId, route)
      }
      return route
    },
  }
}
