import {
  fullDataset,
  gtfsRealtime,
  toUnixS,
  type FeedEntity,
  type FeedMessage,
} from './gtfs-realtime-message.js'
import {
  etaOfThisRun,
  isOfThisRun,
  tripDescriptorOf,
  vehicleDescriptorOf,
  type TrackedTransitTrip,
} from './tracked-transit-trip.js'

/**
 * GTFS-Realtime vehicle positions: one for each published trip running now whose bus has sent a
 * fix during this run, with where and when it was, its bearing and its speed (m/s), and the stop
 * it is heading for while the live ETA follows it on its route. A bus the live channel places on
 * another trip is left out.
 */
export function buildVehiclePositionsFeed(trips: readonly TrackedTransitTrip[], now: Date): FeedMessage {
  const entities: FeedEntity[] = []
  for (const tracked of trips) {
    const { running, snapshot } = tracked
    const position = snapshot?.position
    if (!position || !isOfThisRun(running, position.ts)) continue
    if (snapshot.tripId !== null && snapshot.tripId !== running.trip.id) continue
    const eta = etaOfThisRun(tracked)
    const heading =
      eta?.status === 'on_route' ? running.trip.calls.find((call) => call.seq === eta.nextSeq) : undefined
    entities.push({
      id: running.trip.id,
      vehicle: {
        trip: tripDescriptorOf(running),
        vehicle: vehicleDescriptorOf(running),
        position: {
          latitude: position.lat,
          longitude: position.lon,
          ...(position.headingDeg != null ? { bearing: position.headingDeg } : {}),
          ...(position.speedKmh != null ? { speed: position.speedKmh / 3.6 } : {}),
        },
        timestamp: toUnixS(position.ts),
        ...(heading
          ? {
              currentStopSequence: heading.seq,
              stopId: heading.stopId,
              currentStatus: gtfsRealtime.VehiclePosition.VehicleStopStatus.IN_TRANSIT_TO,
            }
          : {}),
      },
    })
  }
  return fullDataset(entities, now)
}
