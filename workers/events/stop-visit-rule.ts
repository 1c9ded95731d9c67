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
}

/**
 * Arrival at and departure from the stops (school gate included) of the running trip, for one
 * bus, fed its fixes in time order. A fix within the stop radius starts a visit; staying for the
 * dwell time, or standing still, makes it an arrival, dated when the bus entered the radius. A few
 * fixes in a row beyond the wider exit radius end it, a departure if it was an arrival. A stop the
 * bus has left is not visited again on the same trip, so GPS noise cannot arrive twice.
 */
export function createStopVisitRule(busId: string, options: EventRuleOptions, emit: EmitEvent) {
  let tripId: string | null = null
  let left = new Set<number>()
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
      }
      if (!trip) return

      if (visit) {
        const distanceM = haversineM(fix.lat, fix.lon, visit.stop.lat, visit.stop.lon)
        if (distanceM <= options.stopExitRadiusM) {
          visit.outsideFixes = 0
          if (
            visit.arrivedMs === null &&
            (ms - visit.enteredMs >= options.stopDwellS * 1000 || isStill(fix.speedKmh))
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
        if (left.has(stop.seq)) continue
        const distanceM = haversineM(fix.lat, fix.lon, stop.lat, stop.lon)
        if (distanceM <= nearestM && (!nearest || distanceM < nearestM)) {
          nearest = stop
          nearestM = distanceM
        }
      }
      if (!nearest) return
      visit = { stop: nearest, enteredMs: ms, arrivedMs: null, outsideFixes: 0, firstOutsideMs: ms }
      if (isStill(fix.speedKmh)) arrive(visit, ms)
    },
  }
}

export type StopVisitRule = ReturnType<typeof createStopVisitRule>
