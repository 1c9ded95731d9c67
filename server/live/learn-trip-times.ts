import { learnLegTimes, type LegTimeTable } from '../../geo/eta/learned-leg-times.js'
import { observeStopEvents } from '../../geo/eta/stop-event-observations.js'
import type { TripRoute } from '../../geo/eta/trip-route.js'
import { fromShanghaiTime, toShanghaiTime } from '../core/clock/shanghai-time.js'
import type { Queryable } from '../core/store/database.js'
import { createStopHistoryQueries } from '../core/store/stop-history-queries.js'

/**
 * What the stored stop events of earlier runs say each trip's legs and stops take, by time of day,
 * learned against the router's leg times and the timetable's dwells.
 */
export async function learnTripTimes(deps: {
  db: Queryable
  tripRoute(tripId: string): Promise<TripRoute>
  since: Date
}): Promise<LegTimeTable> {
  const history = createStopHistoryQueries(deps.db)
  const timetable = await history.scheduledStops()
  const firstDepartTime = new Map<string, string>()
  for (const stop of timetable)
    if (!firstDepartTime.has(stop.tripId)) firstDepartTime.set(stop.tripId, stop.departTime)
  const { legs, dwells } = observeStopEvents(await history.stopEventsSince(deps.since), {
    scheduledFirstDepartMs: (tripId, runStartMs) => {
      const time = firstDepartTime.get(tripId)
      return time ? fromShanghaiTime(toShanghaiTime(new Date(runStartMs)).date, time).getTime() : undefined
    },
  })
  const routes = new Map<string, TripRoute>()
  for (const tripId of new Set(legs.map((leg) => leg.tripId)))
    routes.set(tripId, await deps.tripRoute(tripId))
  const timetableDwells = new Map(timetable.map((row) => [`${row.tripId}:${row.seq}`, row.dwellS]))
  return learnLegTimes(legs, {
    dwells,
    routerLegS: (tripId, fromSeq) => {
      const route = routes.get(tripId)
      const index = route?.stops.findIndex((stop) => stop.seq === fromSeq) ?? -1
      return index >= 0 ? route?.legRouterS[index] : undefined
    },
    scheduledDwellS: (tripId, seq) => timetableDwells.get(`${tripId}:${seq}`),
  })
}
