import type { LatLon } from '../lat-lon.js'
import { haversineM } from '../routing/earth-distance.js'
import { snapToRoute } from './snap-to-route.js'
import { lastEnteredStop, type TrackerState } from './tracker-state.js'
import type { TrackedTrip } from './tracked-trip.js'
import type { EtaFix } from './trip-eta.js'

/** A bus last seen this close to the first stop may join the trip this far past it. */
const JOIN_AFTER_GAP_M = 400

/**
 * Dates the stop points passed between two placements. Across a gap in the fixes the bus may
 * have stood at a stop for minutes: it is taken to have driven on to the next stop's radius
 * straight after the earlier fix, and to have left a stop's wider radius just in time to be
 * where the later fix puts it, at the speed it reports.
 */
export function crossStops(
  trip: TrackedTrip,
  state: TrackerState,
  fromM: number,
  toM: number,
  fromMs: number,
  toMs: number,
  speedMs: number,
) {
  const { n, enterAtM, leaveAtM } = trip
  const { enteredMs, leftMs } = state
  const atMs = (ms: number) => Math.round(Math.min(toMs, Math.max(fromMs, ms)))
  for (let k = 0; k < n; k++) {
    if (enteredMs[k] === null && toM >= enterAtM[k]!) {
      enteredMs[k] = atMs(fromMs + (Math.max(0, enterAtM[k]! - fromM) / speedMs) * 1000)
    }
    if (leftMs[k] === null && toM >= leaveAtM[k]! && k < n - 1) {
      leftMs[k] = atMs(toMs - ((toM - leaveAtM[k]!) / speedMs) * 1000)
    }
  }
}

export const isAtFirstStop = ({ stops, o }: TrackedTrip, fix: LatLon) =>
  haversineM(fix.lat, fix.lon, stops[0]!.lat, stops[0]!.lon) <= o.stopArriveM

export function startAtFirstStop({ stops }: TrackedTrip, state: TrackerState, ms: number) {
  state.started = true
  state.progressM = stops[0]!.alongM
  state.placedMs = ms
  state.enteredMs[0] = ms
}

/**
 * The trip starts at its first stop. A bus the tracker meets already moving along the route once
 * the trip is due to have left (the tracker began mid-trip) joins it there, and so does one last
 * seen close to the first stop that comes back into view just past it (it called there unseen, in
 * a coverage hole). Any other bus on the route is not taken for this trip: a bus finishing its
 * previous trip may drive the same roads. One seen leaving the first stop too early is on its
 * previous trip, and this trip then starts only at the first stop.
 */
export function tryJoin(
  trip: TrackedTrip,
  state: TrackerState,
  fix: EtaFix,
  ms: number,
  previous: LatLon | null,
) {
  const { route, o, stops, schedule, leaveAtM } = trip
  if (!state.join) return
  const due = !schedule || ms >= schedule[0]!.departMs - o.firstStopEarlyS * 1000
  const snap = due ? snapToRoute(route, fix, { fromAlongM: 0, backM: 0, aheadM: route.lengthM }) : null
  if (!snap || snap.offRouteM > o.offRouteM || snap.alongM <= leaveAtM[0]!) {
    state.seenElsewhere = true
    state.join = { alongM: -Infinity, count: 0 }
    return
  }
  const first = stops[0]!
  const cameFromFirstStop =
    previous !== null &&
    haversineM(previous.lat, previous.lon, first.lat, first.lon) <= JOIN_AFTER_GAP_M &&
    snap.alongM <= leaveAtM[0]! + JOIN_AFTER_GAP_M
  if (state.join.count === 0 && state.seenElsewhere && !cameFromFirstStop) return
  if (snap.alongM <= state.join.alongM) return
  state.join = { alongM: snap.alongM, count: state.join.count + 1 }
  if (state.join.count < o.joinFixes) return
  state.started = true
  state.progressM = state.join.alongM
  state.placedMs = ms
  crossStops(trip, state, state.progressM, state.progressM, ms, ms, 1)
  state.firstTimedStop = lastEnteredStop(trip, state) + 1
}

/**
 * Whether the bus left the first stop too early to be on this trip: judged by when the bus was seen
 * gone, which a gap in the fixes cannot make earlier than it was.
 */
export const leftTooEarly = ({ o, schedule }: TrackedTrip, state: TrackerState, seenMs: number) =>
  schedule !== undefined &&
  state.firstTimedStop === 0 &&
  state.leftMs[0] !== null &&
  seenMs < schedule[0]!.departMs - o.firstStopEarlyS * 1000
