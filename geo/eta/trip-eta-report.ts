import { haversineM } from '../routing/earth-distance.js'
import type { TrackerState } from './tracker-state.js'
import type { TrackedTrip } from './tracked-trip.js'
import type { EtaStatus, TripEta } from './trip-eta.js'

/**
 * The trip's status and each stop's estimate at `atMs`: the smoothed estimates while the bus is on
 * its route; before it starts, the timetable's times, no earlier than the bus can reach the first
 * stop from where it was last seen; unknown while it is silent or off its route.
 */
export function reportTripEta(trip: TrackedTrip, state: TrackerState, atMs: number): TripEta {
  const { n, o, stops, schedule, chainFrom } = trip
  const { enteredMs, smoothedMs, started, progressM, lastFixMs, lastPosition, offRouteCount } = state
  const finished = enteredMs[n - 1] !== null
  const silent =
    lastFixMs === null
      ? schedule !== undefined && atMs >= schedule[0]!.arriveMs
      : atMs - lastFixMs > o.silentAfterS * 1000
  const status: EtaStatus = finished
    ? 'finished'
    : silent
      ? 'silent'
      : offRouteCount >= o.offRouteFixes
        ? 'off_route'
        : started
          ? 'on_route'
          : 'not_started'
  let expectedMs: (number | null)[] = smoothedMs
  if (status === 'not_started') {
    expectedMs = new Array(n).fill(null)
    if (schedule && lastFixMs !== null && lastPosition !== null) {
      // Not before the timetable, nor before the bus can have driven there from where it was seen.
      const first = stops[0]!
      const awayM = haversineM(lastPosition.lat, lastPosition.lon, first.lat, first.lon) * o.detourFactor
      const reachableMs = lastFixMs + (awayM / (o.emptyRunKmh / 3.6)) * 1000
      chainFrom(0, Math.max(schedule[0]!.arriveMs - o.approachS * 1000, atMs, reachableMs), 1, expectedMs)
      expectedMs = expectedMs.map((ms) => (ms === null ? null : ms + o.approachS * 1000))
    }
  }
  const known = status === 'on_route' || status === 'not_started'
  const next = enteredMs.findIndex((ms) => ms === null)
  return {
    status,
    lastReportTs: lastFixMs === null ? null : new Date(lastFixMs).toISOString(),
    progressM: started ? progressM : null,
    nextSeq: next === -1 ? null : stops[next]!.seq,
    stops: stops.map((stop, k) => {
      const reachedMs = enteredMs[k]
      if (reachedMs !== null) {
        return {
          seq: stop.seq,
          stopId: stop.stopId,
          etaTs: new Date(reachedMs).toISOString(),
          etaS: 0,
          passed: true,
        }
      }
      const ms = known ? expectedMs[k] : null
      if (ms === null || ms === undefined) {
        return { seq: stop.seq, stopId: stop.stopId, etaTs: null, etaS: null, passed: false }
      }
      const etaMs = Math.max(ms, atMs)
      return {
        seq: stop.seq,
        stopId: stop.stopId,
        etaTs: new Date(etaMs).toISOString(),
        etaS: Math.round((etaMs - atMs) / 1000),
        passed: false,
      }
    }),
  }
}
