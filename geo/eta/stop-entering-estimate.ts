import { lastEnteredStop, type TrackerState } from './tracker-state.js'
import type { TrackedTrip } from './tracked-trip.js'
import { routerSecondsAt } from './trip-route.js'

/** A leg's own pace is not trusted before the bus has driven this share of it. */
const MIN_LEG_SHARE = 0.1

/**
 * What expected leg times are scaled by for the pace this run keeps: the time its timed legs took
 * against the time expected, both padded with `paceWeightS` so that a few legs cannot swing it far.
 */
function paceFactor(trip: TrackedTrip, state: TrackerState) {
  const { n, o, legS } = trip
  const { firstTimedStop, leftMs, enteredMs } = state
  let drivenS = 0
  let expectedS = 0
  for (let k = firstTimedStop; k + 1 < n; k++) {
    const from = leftMs[k]
    const to = enteredMs[k + 1]
    if (from === null || to === null) break
    drivenS += (to - from) / 1000
    expectedS += legS(k, from)
  }
  return Math.min(2, Math.max(0.5, (drivenS + o.paceWeightS) / (expectedS + o.paceWeightS)))
}

/** Where the bus should reach each stop's radius, from its place at `atMs`; null for stops passed. */
export function estimateEntering(trip: TrackedTrip, state: TrackerState, atMs: number): (number | null)[] {
  const { n, route, o, leaveAtM, enterAtM, legS, dwellS, earliestDepartMs, chainFrom } = trip
  const { enteredMs, leftMs, firstTimedStop, progressM, trail } = state
  const result: (number | null)[] = new Array(n).fill(null)
  const current = lastEnteredStop(trip, state)
  if (current === n - 1) return result
  const pace = paceFactor(trip, state)
  if (leftMs[current] === null) {
    const departMs = Math.max(
      enteredMs[current]! + dwellS(current, enteredMs[current]!) * 1000,
      earliestDepartMs(current),
      atMs,
    )
    chainFrom(current + 1, departMs + legS(current, departMs) * pace * 1000, pace, result)
    return result
  }
  const leftAtMs = leftMs[current]!
  // How much of the leg is behind the bus, by the router's time rather than by distance.
  const fromS = routerSecondsAt(route, leaveAtM[current]!)
  const spanS = routerSecondsAt(route, enterAtM[current + 1]!) - fromS
  const share = spanS > 0 ? Math.min(1, Math.max(0, (routerSecondsAt(route, progressM) - fromS) / spanS)) : 1
  const plannedS = legS(current, leftAtMs) * pace * (1 - share)
  let remainingS = plannedS
  if (share >= MIN_LEG_SHARE && current >= firstTimedStop) {
    // The bus's own pace over the last stretch of this leg: a jam it has left behind counts less.
    const nowS = routerSecondsAt(route, progressM)
    const anchor = trail.find((mark) => mark.ms >= atMs - o.recentPaceS * 1000 && mark.ms >= leftAtMs)
    const sinceMs = anchor && nowS - anchor.routerS > 1 ? anchor.ms : leftAtMs
    const sinceS = anchor && nowS - anchor.routerS > 1 ? anchor.routerS : fromS
    const ownS = ((spanS + fromS - nowS) * (atMs - sinceMs)) / 1000 / Math.max(1, nowS - sinceS)
    const weight = o.legPaceShare * share
    remainingS = (1 - weight) * plannedS + weight * ownS
  }
  chainFrom(current + 1, atMs + remainingS * 1000, pace, result)
  return result
}
