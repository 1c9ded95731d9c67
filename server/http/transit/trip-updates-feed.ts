import {
  fullDataset,
  gtfsRealtime,
  toUnixS,
  type FeedEntity,
  type FeedMessage,
} from './gtfs-realtime-message.js'
import {
  etaOfThisRun,
  tripDescriptorOf,
  vehicleDescriptorOf,
  type TrackedTransitTrip,
} from './tracked-transit-trip.js'

/**
 * GTFS-Realtime trip updates: for each published trip running now with a live ETA, the expected
 * arrival (unix seconds) at each stop still ahead, in stop_sequence order, and when the fix the
 * estimate stands on was taken. A stop whose ETA is unknown gets no update, and a trip with none
 * known gets no entity: riders then keep the timetable.
 */
export function buildTripUpdatesFeed(trips: readonly TrackedTransitTrip[], now: Date): FeedMessage {
  const entities: FeedEntity[] = []
  for (const tracked of trips) {
    const eta = etaOfThisRun(tracked)
    if (!eta) continue
    const { running } = tracked
    const calls = new Map(running.trip.calls.map((call) => [call.seq, call]))
    const ahead = eta.stops
      .flatMap(({ seq, stopId, etaTs, passed }) =>
        !passed && etaTs !== null && calls.get(seq)?.stopId === stopId ? [{ seq, stopId, etaTs }] : [],
      )
      .sort((a, b) => a.seq - b.seq)
    if (ahead.length === 0) continue
    entities.push({
      id: running.trip.id,
      tripUpdate: {
        trip: tripDescriptorOf(running),
        vehicle: vehicleDescriptorOf(running),
        stopTimeUpdate: ahead.map((stop) => ({
          stopSequence: stop.seq,
          stopId: stop.stopId,
          arrival: { time: toUnixS(stop.etaTs) },
          scheduleRelationship: gtfsRealtime.TripUpdate.StopTimeUpdate.ScheduleRelationship.SCHEDULED,
        })),
        timestamp: toUnixS(eta.lastReportTs),
      },
    })
  }
  return fullDataset(entities, now)
}
