import type { EtaTrackerOptions } from './eta-tracker-options.js'
import { snapToRoute } from './snap-to-route.js'
import { estimateEntering } from './stop-entering-estimate.js'
import { createTrackedTrip } from './tracked-trip.js'
import { createTrackerState, forgetStart } from './tracker-state.js'
import type { EtaTracker } from './trip-eta.js'
import { reportTripEta } from './trip-eta-report.js'
import { crossStops, isAtFirstStop, leftTooEarly, startAtFirstStop, tryJoin } from './trip-placement.js'
import { routerSecondsAt, type TripRoute } from './trip-route.js'

export type { EtaTrackerOptions, ScheduledCall } from './eta-tracker-options.js'
export type { EtaFix, EtaTracker, TripEta } from './trip-eta.js'

/** Ahead of the progress, a fix may always land this far, whatever the time since the last. */
const AHEAD_SLACK_M = 100
/** Slower than this, a bus dating the stops it passed between fixes is taken to crawl at this speed. */
const MIN_CROSSING_MS = 3

/**
 * The arrival times of a trip's remaining stops, from one bus's fixes. The bus's progress is its
 * place along the trip's route, searched near where it was and never moving backwards, so GPS
 * noise cannot move it back and forth. From there: the rest of the current leg and the legs after
 * it at what earlier runs of the trip took at that time of day (the router's time where nothing
 * was learned), scaled by the pace this run keeps, plus the dwell at each stop before. Estimates
 * are smoothed over fixes; they are unknown while the bus is silent or off its route. Pure: the
 * time comes with the fixes and the question.
 */
export function createEtaTracker(route: TripRoute, options: EtaTrackerOptions = {}): EtaTracker {
  const trip = createTrackedTrip(route, options)
  const { n, o, leaveAtM } = trip
  const state = createTrackerState(n)
  const { enteredMs, smoothedMs, trail } = state

  const smooth = (raw: (number | null)[], dtS: number) => {
    const keep = Math.exp(-dtS / o.smoothingS)
    for (let k = 0; k < n; k++) {
      const value = raw[k]
      if (value === null || enteredMs[k] !== null) smoothedMs[k] = null
      else {
        const arrivalMs = value + o.approachS * 1000
        const before = smoothedMs[k]
        smoothedMs[k] = before === null ? arrivalMs : arrivalMs + (before - arrivalMs) * keep
      }
    }
  }

  return {
    observe(fix) {
      const ms = fix.ts.getTime()
      if (state.lastFixMs !== null && ms <= state.lastFixMs) return
      const previousFixMs = state.lastFixMs
      const previous = state.lastPosition
      state.lastFixMs = ms
      state.lastPosition = { lat: fix.lat, lon: fix.lon }
      // Back at the first stop before reaching the second: the start taken earlier was not this trip's.
      const restarts =
        state.started && enteredMs[1] === null && state.progressM > leaveAtM[0]! && isAtFirstStop(trip, fix)
      if (restarts) forgetStart(state)
      if (!state.started) {
        if (isAtFirstStop(trip, fix)) startAtFirstStop(trip, state, ms)
        else tryJoin(trip, state, fix, ms, previous)
        if (state.started) smooth(estimateEntering(trip, state, ms), Infinity)
        return
      }
      const sinceS = (ms - state.placedMs) / 1000
      const snap = snapToRoute(route, fix, {
        fromAlongM: state.progressM,
        backM: o.backM,
        aheadM: AHEAD_SLACK_M + (o.maxSpeedKmh / 3.6) * sinceS,
        expectedAlongM: state.progressM + (fix.speedKmh / 3.6) * sinceS,
      })
      if (!snap || snap.offRouteM > o.offRouteM) {
        state.offRouteCount++
        return
      }
      state.offRouteCount = 0
      if (snap.alongM > state.progressM) {
        crossStops(
          trip,
          state,
          state.progressM,
          snap.alongM,
          state.placedMs,
          ms,
          Math.max(MIN_CROSSING_MS, fix.speedKmh / 3.6),
        )
        state.progressM = snap.alongM
        if (leftTooEarly(trip, state, ms)) {
          forgetStart(state)
          return
        }
      }
      state.placedMs = ms
      trail.push({ ms, routerS: routerSecondsAt(route, state.progressM) })
      while (trail[0]!.ms < ms - o.recentPaceS * 1000) trail.shift()
      smooth(
        estimateEntering(trip, state, ms),
        previousFixMs === null ? Infinity : (ms - previousFixMs) / 1000,
      )
    },

    estimate(atMs) {
      return reportTripEta(trip, state, atMs)
    },
  }
}
