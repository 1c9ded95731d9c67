import type { EventRuleOptions } from '../../server/core/schedule/event-rule-options.js'
import type { RunningTrip } from '../../server/core/schedule/trip-calendar.js'
import type { EmitEvent } from './derived-event.js'

/** An arrival the stop rule saw: when the bus entered the call's radius, and which call. */
export interface CallArrival {
  ts: Date
  seq: number
}

/** A trip on one service day: the same trip id runs again tomorrow. */
const runKeyOf = (trip: RunningTrip) => `${trip.tripId}@${trip.startsAt.getTime()}`

const minuteMs = 60_000

/**
 * A late trip, for one bus, fed the stop rule's arrivals in time order with the trip they belong
 * to. The first arrival at a call `lateTripMin` or more after the call's planned time raises one
 * event for the trip on its service day; later calls reached later still raise no second one, and
 * a bus that makes up the time does not withdraw it. The event is dated at that arrival (when the
 * bus entered the call's radius), so that a process deriving the trip again after a handover, the
 * stop rule's arrivals replayed, arrives at the same key. A call without a planned time is not judged.
 */
export function createTripLateRule(
  busId: string,
  options: Pick<EventRuleOptions, 'lateTripMin'>,
  emit: EmitEvent,
) {
  /** The runs found late, each until its running window is over: a run is late once. */
  const late = new Map<string, number>()
  let arrivals: CallArrival[] = []

  const judge = (arrival: CallArrival, trip: RunningTrip) => {
    const ms = arrival.ts.getTime()
    for (const [key, endsMs] of late) if (endsMs < ms) late.delete(key)
    const key = runKeyOf(trip)
    if (late.has(key)) return
    const call = trip.stops.find((stop) => stop.seq === arrival.seq)
    const plannedMs = call?.arriveAt?.getTime()
    if (!call || plannedMs === undefined || ms - plannedMs < options.lateTripMin * minuteMs) return
    late.set(key, trip.endsAt.getTime())
    emit({
      busId,
      kind: 'trip_late',
      ts: arrival.ts,
      tripId: trip.tripId,
      details: {
        stopId: call.stopId,
        stopName: call.name ?? null,
        seq: call.seq,
        school: call.school === true,
        plannedTs: new Date(plannedMs).toISOString(),
        arrivedTs: arrival.ts.toISOString(),
        lateMin: Math.round((ms - plannedMs) / (minuteMs / 10)) / 10,
      },
    })
  }

  return {
    /** The stop rule arrived at a call of the bus's trip with the fix being observed. */
    noteArrival(arrival: CallArrival): void {
      arrivals.push(arrival)
    },

    /** After the stop rule has seen a fix: judges its arrivals against the fix's running trip. */
    observe(trip: RunningTrip | undefined): void {
      const noted = arrivals
      arrivals = []
      if (trip) for (const arrival of noted) judge(arrival, trip)
    },
  }
}

export type TripLateRule = ReturnType<typeof createTripLateRule>
