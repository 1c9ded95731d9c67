import { trackerDefaults, type EtaTrackerOptions, type TrackerSettings } from './eta-tracker-options.js'
import { routerSecondsAt, type TripRoute } from './trip-route.js'

/**
 * A trip as the tracker follows it, fixed for the whole run: its settings, where along its route
 * each stop's radii begin and end, and how long its legs and calls are expected to take (what
 * earlier runs of the trip took, else the router's and the timetable's times).
 */
export function createTrackedTrip(route: TripRoute, options: EtaTrackerOptions) {
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined))
  const o: TrackerSettings = { ...trackerDefaults, ...given }
  const { stops } = route
  const n = stops.length
  const schedule = options.schedule
  if (schedule && schedule.length !== n) {
    throw new RangeError(`the schedule has ${schedule.length} calls for ${n} stops`)
  }
  // The arrival and departure points of each stop along the route, never overlapping the next.
  const leaveAtM = stops.map((stop, k) =>
    Math.min(stop.alongM + o.stopLeaveM, stops[k + 1]?.alongM ?? route.lengthM),
  )
  const enterAtM = stops.map((stop, k) => Math.max(stop.alongM - o.stopArriveM, k > 0 ? leaveAtM[k - 1]! : 0))

  const scheduledDwellS = (k: number) =>
    schedule ? (schedule[k]!.departMs - schedule[k]!.arriveMs) / 1000 : o.defaultDwellS
  /** Leg k as the events date it, from leaving stop k to entering stop k + 1. */
  const legS = (k: number, departMs: number) => {
    const learned = options.tripId ? options.learned?.legS(options.tripId, stops[k]!.seq, departMs) : null
    if (learned !== null && learned !== undefined) return learned
    return Math.max(0, routerSecondsAt(route, enterAtM[k + 1]!) - routerSecondsAt(route, leaveAtM[k]!))
  }
  /** Stop k's call as the events date it, from entering its radius to leaving the wider one. */
  const dwellS = (k: number, arriveMs: number) => {
    // At the first stop the bus waits for its timetable, so earlier runs' waits say nothing.
    const learned =
      k > 0 && options.tripId ? options.learned?.dwellS(options.tripId, stops[k]!.seq, arriveMs) : null
    if (learned !== null && learned !== undefined) return learned
    const withinRadiiS = options.routeTimedStopToStop
      ? routerSecondsAt(route, leaveAtM[k]!) - routerSecondsAt(route, enterAtM[k]!)
      : o.approachS + o.leaveS
    return scheduledDwellS(k) + withinRadiiS
  }
  const earliestDepartMs = (k: number) =>
    schedule && (k === 0 || schedule[k]!.holds === true) ? schedule[k]!.departMs + o.leaveS * 1000 : -Infinity

  /** Entering-radius times of the stops not yet reached, chained from `firstMs` at stop `from`. */
  const chainFrom = (from: number, firstMs: number, pace: number, into: (number | null)[]) => {
    into[from] = firstMs
    for (let k = from + 1; k < n; k++) {
      const departMs = Math.max(into[k - 1]! + dwellS(k - 1, into[k - 1]!) * 1000, earliestDepartMs(k - 1))
      into[k] = departMs + legS(k - 1, departMs) * pace * 1000
    }
  }

  return { route, o, stops, n, schedule, leaveAtM, enterAtM, legS, dwellS, earliestDepartMs, chainFrom }
}

export type TrackedTrip = ReturnType<typeof createTrackedTrip>
