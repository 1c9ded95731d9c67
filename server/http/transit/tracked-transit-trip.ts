import { toGtfsDate } from '../../../geo/gtfs/gtfs-csv.js'
import { gtfsRealtime } from './gtfs-realtime-message.js'
import type { LiveBusSnapshot } from './live-bus-snapshot.js'
import type { RunningTransitTrip } from './running-transit-trips.js'

/** A published trip running now, with what the live channel last sent about its bus. */
export interface TrackedTransitTrip {
  running: RunningTransitTrip
  snapshot: LiveBusSnapshot | undefined
}

/** The trip as today's GTFS names it: its trip_id, its line's route_id, its service day. */
export const tripDescriptorOf = ({ trip, serviceDate }: RunningTransitTrip) => ({
  tripId: trip.id,
  routeId: trip.lineId,
  startDate: toGtfsDate(serviceDate),
  scheduleRelationship: gtfsRealtime.TripDescriptor.ScheduleRelationship.SCHEDULED,
})

/** The bus by its id and, for riders to recognise it, its plate. */
export const vehicleDescriptorOf = ({ busId, busPlate }: RunningTransitTrip) => ({
  id: busId,
  label: busPlate,
})

/** A live estimate, with the time of the fix it stands on. */
export type RunEta = NonNullable<LiveBusSnapshot['eta']> & { lastReportTs: string }

/** Whether `at` falls within this run of the trip, not an earlier one. */
export const isOfThisRun = (running: RunningTransitTrip, at: string): boolean =>
  Date.parse(at) >= running.window.startsAt.getTime()

/**
 * The live estimate of this run of the trip, if the live channel has one: the bus must be on this
 * trip by its account too, and the estimate stand on a fix of this run.
 */
export function etaOfThisRun({ running, snapshot }: TrackedTransitTrip): RunEta | null {
  const eta = snapshot?.tripId === running.trip.id ? snapshot.eta : null
  if (!eta?.lastReportTs || !isOfThisRun(running, eta.lastReportTs)) return null
  return { ...eta, lastReportTs: eta.lastReportTs }
}
