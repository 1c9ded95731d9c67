import { haversineM } from '../../geo/routing/earth-distance.js'
import type { RunningTrip, TripTimetable } from '../../server/core/schedule/trip-calendar.js'

/** A trip on one service day: the same trip id runs again tomorrow. */
const runKeyOf = (trip: RunningTrip) => `${trip.tripId}@${trip.startsAt.getTime()}`

/** Finished runs remembered per bus: a bus runs a handful of trips a day. */
const FINISHED_KEPT = 16
/** A bus last seen this near its trip's last call and then unseen for a while may have got there unseen. */
const NEAR_LAST_CALL_M = 250
/** A bus this near the first call of the trip the calendar names is there (the stop rule's radius). */
const AT_CALL_M = 50

/**
 * Which trip one bus is running, fix by fix. Where the windows of two of its trips overlap, the
 * calendar names the one whose times are nearest; a bus running late is still on the earlier one
 * then. So a trip under way (the bus has arrived at one of its calls, and not yet at its last)
 * goes on until the bus arrives at its last call or the trip's window ends, whatever the calendar
 * names meanwhile, unless the bus went unseen near its last call or is at the first call of the
 * trip named (and at no call still ahead): it finished unseen. It also tells which trips the bus
 * has finished: the grace after a trip's last call is for a bus running late, not for one back.
 */
export function createTripUnderWay(
  busId: string,
  trips: Pick<TripTimetable, 'findRunningTrip'>,
  options: { maxFixGapS: number },
) {
  let current: { trip: RunningTrip; key: string; underWay: boolean; arrived: Set<number> } | undefined
  const finished = new Set<string>()
  let lastFix: { ms: number; lat: number; lon: number } | undefined

  /** Last seen near the trip's last call, then unseen for a while (a coverage hole there). */
  const mayHaveFinishedUnseen = (trip: RunningTrip, ms: number) => {
    const last = trip.stops.at(-1)
    return (
      lastFix !== undefined &&
      last !== undefined &&
      ms - lastFix.ms > options.maxFixGapS * 1000 &&
      haversineM(lastFix.lat, lastFix.lon, last.lat, last.lon) <= NEAR_LAST_CALL_M
    )
  }

  /**
   * At the first call of the trip the calendar names, where the trip under way has no call left:
   * the bus finished its trip unseen and has begun the next.
   */
  const hasBegun = (next: RunningTrip, at: { lat: number; lon: number }) => {
    const first = next.stops[0]
    const near = (place: { lat: number; lon: number }) =>
      haversineM(place.lat, place.lon, at.lat, at.lon) <= AT_CALL_M
    return (
      first !== undefined &&
      near(first) &&
      !current!.trip.stops.some((stop) => !current!.arrived.has(stop.seq) && near(stop))
    )
  }

  return {
    /** The trip the bus runs at a fix, observed in time order. */
    tripAt(fix: { ts: Date; lat: number; lon: number }): RunningTrip | undefined {
      const { ts } = fix
      // Perhaps the bus finished its trip unseen: the calendar says again which trip it runs.
      if (current && mayHaveFinishedUnseen(current.trip, ts.getTime())) current.underWay = false
      lastFix = { ms: ts.getTime(), lat: fix.lat, lon: fix.lon }
      const scheduled = trips.findRunningTrip(busId, ts)
      const key = scheduled && runKeyOf(scheduled)
      if (
        current?.underWay &&
        scheduled &&
        key !== current.key &&
        !finished.has(current.key) &&
        ts.getTime() <= current.trip.endsAt.getTime() &&
        !hasBegun(scheduled, fix)
      )
        return current.trip
      if (!scheduled || !key) {
        current = undefined
        return undefined
      }
      if (current?.key === key) current.trip = scheduled
      else current = { trip: scheduled, key, underWay: false, arrived: new Set() }
      return scheduled
    },

    /** The stop rule arrived at the call `seq` of the trip tripAt named last. */
    noteArrival(seq: number): void {
      if (!current) return
      current.underWay = true
      current.arrived.add(seq)
      if (seq !== current.trip.stops.at(-1)?.seq) return
      finished.add(current.key)
      if (finished.size > FINISHED_KEPT) finished.delete(finished.values().next().value!)
    },

    /** The bus arrived at this run's last call. */
    hasFinished: (trip: RunningTrip): boolean => finished.has(runKeyOf(trip)),
  }
}

export type TripUnderWay = ReturnType<typeof createTripUnderWay>
