import type { TripRoute, TripRouteStopInput } from '../../geo/eta/trip-route.js'
import type { LatLon } from '../../geo/lat-lon.js'
import { GeoError } from '../../geo/geo-error.js'
import type { PositionRow } from '../../server/core/broker/telemetry-rows.js'
import type { RunningTrip, TripTimetable } from '../../server/core/schedule/trip-calendar.js'
import { buildApprovedPath, type ApprovedPath } from './approved-path.js'

export interface ApprovedPathLookup {
  /** The trip's approved path; undefined when it was not prepared or cannot be routed. */
  pathOf(trip: RunningTrip): ApprovedPath | undefined
}

export interface ApprovedPaths extends ApprovedPathLookup {
  /** Routes the trips these reports belong to that are not routed yet (call before observing them). */
  prepareFor(positions: readonly PositionRow[], trips: TripTimetable): Promise<void>
}

/** The stops as the path was routed through: a trip whose calls change is routed again. */
const pathKey = (trip: RunningTrip) =>
  `${trip.tripId}|${trip.stops.map((stop) => `${stop.seq}:${stop.lat},${stop.lon}`).join(';')}`

/** A trip the router can never route (too few calls, a call off the roads): it is not judged. */
const cannotRoute = (error: unknown) =>
  error instanceof RangeError ||
  (error instanceof GeoError && ['invalid_input', 'outside_network', 'no_route'].includes(error.code))

/**
 * Each trip's approved path, routed once per process through its calls in order and kept, with
 * the places where its bus may stand. Lookups are synchronous; `prepareFor` routes what a batch
 * needs first, and fails when the router is unavailable, so that the batch is handled again later
 * rather than judged without its path.
 */
export function createApprovedPaths(deps: {
  /** The trip's road route through its calls: the same routing the platform draws trips with. */
  routeTrip(stops: TripRouteStopInput[]): Promise<TripRoute>
  /** The trips' schools and their buses' depots. */
  loadPlaces(tripIds: readonly string[]): Promise<Map<string, LatLon[]>>
}): ApprovedPaths {
  const paths = new Map<string, ApprovedPath | null>()

  const prepare = async (trips: readonly RunningTrip[]) => {
    const due = new Map<string, RunningTrip>()
    for (const trip of trips) {
      const key = pathKey(trip)
      if (!paths.has(key)) due.set(key, trip)
    }
    if (due.size === 0) return
    const places = await deps.loadPlaces([...new Set([...due.values()].map((trip) => trip.tripId))])
    await Promise.all(
      [...due].map(async ([key, trip]) => {
        try {
          const route = await deps.routeTrip(
            trip.stops.map(({ seq, stopId, lat, lon }) => ({ seq, stopId, lat, lon })),
          )
          paths.set(key, buildApprovedPath(route, places.get(trip.tripId) ?? []))
        } catch (error) {
          if (!cannotRoute(error)) throw error
          paths.set(key, null)
        }
      }),
    )
  }

  return {
    pathOf: (trip) => paths.get(pathKey(trip)) ?? undefined,
    prepareFor(positions, timetable) {
      const trips: RunningTrip[] = []
      let last: RunningTrip | undefined
      for (const position of positions) {
        const trip = timetable.findRunningTrip(position.busId, position.ts)
        if (trip && trip !== last) trips.push(trip)
        last = trip
      }
      return prepare(trips)
    },
  }
}
