import { haversineM } from '../../geo/routing/earth-distance.js'
import type { EmitEvent } from './derived-event.js'
import type { EventRuleOptions } from '../../server/core/schedule/event-rule-options.js'
import type { RunningTrip, TripStopPlace } from '../../server/core/schedule/trip-calendar.js'

interface Visit {
  stop: TripStopPlace
  enteredMs: number
  arrivedMs: number | null
  outsideFixes: number
  firstOutsideMs: number
  /** Since when the bus has been inside at a call's pace without a break; null while faster. */
  slowSinceMs: number | null
}

/**
 * A bus calling at a stop slows to a crawl, whatever its terminal reads at a standstill; one
 * driving through keeps a road's speed. Only time inside the radius at this pace or slower counts
 * towards the dwell: a bus driving through a village stop at 30 km/h is in the exit radius longer
 * than the dwell time, and did not call there.
 */
const CALL_PACE_KMH = 10

/**
 * Arrival at and departure from the stops (school gate included) of the running trip, for one
 * bus, fed its fixes in time order. A fix within the stop radius starts a visit; staying for the
 * dwell time at a call's pace, or standing still, makes it an arrival, dated when the bus entered
 * the radius. A few
 * fixes in a row beyond the wider exit radius end it, a departure if it was an arrival. A stop the
 * bus has left is not visited again on the same trip, so GPS noise cannot arrive twice.
 */
export function createStopVisitRule(busId: string, options: EventRuleOptions, emit: EmitEvent) {
  let tripId: string | null = null
  let left = new Set<number>()
  /**
   * Calls after the first that the bus stood at when the trip began: the end of its last trip is
   * often where the next ends too. It must come to them again, from beyond the exit radius.
   */
  let standingAt = new Set<number>()
  let visit: Visit | undefined

  const arrive = (current: Visit, ms: number) => {
    current.arrivedMs = ms
    emit({
      busId,
      kind: 'stop_arrival',
      ts: new Date(current.enteredMs),
      tripId,
      details: {
        stopId: current.stop.stopId,
        seq: current.stop.seq,
        confirmedTs: new Date(ms).toISOString(),
      },
    })
  }

  const depart = (current: Visit, arrivedMs: number) =>
    emit({
      busId,
      kind: 'stop_departure',
      ts: new Date(current.firstOutsideMs),
      tripId,
      details: {
        stopId: current.stop.stopId,
        seq: current.stop.seq,
        arrivalTs: new Date(current.enteredMs).toISOString(),
        dwellS: (current.firstOutsideMs - arrivedMs) / 1000,
      },
    })

  const isStill = (speedKmh: number) => speedKmh <= options.stoppedKmh

  return {
    observe(fix: { ts: Date; lat: number; lon: number; speedKmh: number }, trip: RunningTrip | undefined) {
      const ms = fix.ts.getTime()
      const currentTripId = trip?.tripId ?? null
      if (currentTripId !== tripId) {
        tripId = currentTripId
        left = new Set()
        visit = undefined
        standingAt = new Set(
          (trip?.stops.slice(1) ?? [])
            .filter((stop) => haversineM(fix.lat, fix.lon, stop.lat, stop.lon) <= options.stopExitRadiusM)
            .map((stop) => stop.seq),
        )
      }
      if (!trip) return
      for (const seq of standingAt) {
        const stop = trip.stops.find((s) => s.seq === seq)
        if (!stop || haversineM(fix.lat, fix.lon, stop.lat, stop.lon) > options.stopExitRadiusM)
          standingAt.delete(seq)
      }

      if (visit) {
        const distanceM = haversineM(fix.lat, fix.lon, visit.stop.lat, visit.stop.lon)
        if (distanceM <= options.stopExitRadiusM) {
          visit.outsideFixes = 0
          if (fix.speedKmh > CALL_PACE_KMH) visit.slowSinceMs = null
          else visit.slowSinceMs ??= ms
          if (
            visit.arrivedMs === null &&
            ((visit.slowSinceMs !== null && ms - visit.slowSinceMs >= options.stopDwellS * 1000) ||
              isStill(fix.speedKmh))
          )
            arrive(visit, ms)
          return
        }
        if (visit.outsideFixes++ === 0) visit.firstOutsideMs = ms
        if (visit.outsideFixes < options.departureFixes) return
        if (visit.arrivedMs !== null) {
          depart(visit, visit.arrivedMs)
          left.add(visit.stop.seq)
        }
        visit = undefined
      }

      let nearest: TripStopPlace | undefined
      let nearestM = options.stopRadiusM
      for (const stop of trip.stops) {
        if (left.has(stop.seq) || standingAt.has(stop.seq)) continue
        const distanceM = haversineM(fix.lat, fix.lon, stop.lat, stop.lon)
        if (distanceM <= nearestM && (!nearest || distanceM < nearestM)) {
          nearest = stop
          nearestM = distanceM
        }
      }
      if (!nearest) return
      visit = {
        stop: nearest,
        enteredMs: ms,
        arrivedMs: null,
        outsideFixes: 0,
        firstOutsideMs: ms,
        slowSinceMs: fix.speedKmh > CALL_PACE_KMH ? null : ms,
      }
      if (isStill(fix.speedKmh)) arrive(visit, ms)
    },
  }
}

export type StopVisitRule = ReturnType<typeof createStopVisitRule>
