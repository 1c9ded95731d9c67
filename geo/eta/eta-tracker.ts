import type { LatLon } from '../lat-lon.js'
import { haversineM } from '../routing/earth-distance.js'
import type { LegTimeTable } from './learned-leg-times.js'
import { snapToRoute } from './snap-to-route.js'
import { routerSecondsAt, type TripRoute } from './trip-route.js'

export type EtaStatus = 'on_route' | 'not_started' | 'silent' | 'off_route' | 'finished'

export interface StopEta {
  seq: number
  stopId: string
  /** When the bus is expected at the stop, or for a passed stop when it reached it; null when unknown. */
  etaTs: string | null
  etaS: number | null
  passed: boolean
}

export interface TripEta {
  status: EtaStatus
  lastReportTs: string | null
  /** Metres along the trip's route; null before the trip has started. */
  progressM: number | null
  /** The first stop not yet reached; null once the trip is finished. */
  nextSeq: number | null
  stops: StopEta[]
}

export interface EtaFix extends LatLon {
  ts: Date
  speedKmh: number
}

/** One stop of this run's timetable, in epoch milliseconds. */
export interface ScheduledCall {
  arriveMs: number
  departMs: number
  /**
   * The bus does not leave this stop before `departMs` (a timepoint it holds at when early). The
   * first stop always holds: its pupils come out then.
   */
  holds?: boolean
}

export interface EtaTrackerOptions {
  /** The trip the learned table knows this route by. */
  tripId?: string
  learned?: LegTimeTable
  /**
   * This run's timetable, one call per stop: a trip does not leave its first stop before the
   * timetable says (its pupils come out then), and a stop's dwell defaults to the timetable's.
   */
  schedule?: ScheduledCall[]
  /**
   * The route's leg times run from stop to stop (a timetable's running times), so the time inside
   * a stop's radii is the route's own rather than `approachS` and `leaveS`: with nothing learned,
   * a stop's call takes the scheduled dwell plus that time.
   */
  routeTimedStopToStop?: boolean
  /** Dwell at a stop when neither earlier runs nor the timetable say. */
  defaultDwellS?: number
  /** No report for longer than this: the bus is silent and the estimate unknown. */
  silentAfterS?: number
  /** Farther than this from the route… */
  offRouteM?: number
  /** …for this many fixes in a row: the bus has left its route. */
  offRouteFixes?: number
  /**
   * The radii the stop events use (entering one stop's radius is an arrival; leaving the wider one
   * a departure): learned leg times run between these two points, so the tracker measures with
   * the same ones.
   */
  stopArriveM?: number
  stopLeaveM?: number
  /** From entering a stop's radius to standing at the stop, braking comfortably. */
  approachS?: number
  /** From moving off to passing a stop's exit radius. */
  leaveS?: number
  /** Time constant of the smoothing that keeps GPS noise from moving the estimate. */
  smoothingS?: number
  /**
   * How much expected driving the legs this run has driven are weighed against: with little
   * driven, the bus is expected to keep to the learned times; the more it has driven, the more it
   * is expected to keep its own pace.
   */
  paceWeightS?: number
  /**
   * On the leg being driven, how much the bus's own recent pace counts against the expected time,
   * once it has driven the whole leg (proportionally less before)…
   */
  legPaceShare?: number
  /** …its pace over this last stretch of time. */
  recentPaceS?: number
  /**
   * A bus leaving the first stop more than this before the timetable's departure is not on this
   * trip but passing by on the one before, which may share its roads.
   */
  firstStopEarlyS?: number
  /**
   * Fixes moving forward on the route that let a tracker started mid-trip join it: one is enough
   * where the fixes name the trip the bus is on; where they do not, a bus on its previous trip may
   * drive the same roads.
   */
  joinFixes?: number
  /** Before the trip starts, how much longer than the straight line the road to the first stop is… */
  detourFactor?: number
  /** …and how fast a bus gets there. */
  emptyRunKmh?: number
  /** A fix may land this far behind the progress so far (GPS noise), never farther. */
  backM?: number
  /** The fastest a bus can have gone since its last fix, to bound how far ahead a fix may land. */
  maxSpeedKmh?: number
}

export interface EtaTracker {
  /** Fixes in time order; an older or repeated fix is ignored. */
  observe(fix: EtaFix): void
  estimate(atMs: number): TripEta
}

const defaults = {
  defaultDwellS: 30,
  silentAfterS: 120,
  offRouteM: 60,
  offRouteFixes: 3,
  stopArriveM: 50,
  stopLeaveM: 75,
  approachS: 10,
  leaveS: 12,
  smoothingS: 10,
  paceWeightS: 1800,
  firstStopEarlyS: 120,
  joinFixes: 3,
  detourFactor: 1.3,
  emptyRunKmh: 30,
  legPaceShare: 0.5,
  recentPaceS: 60,
  backM: 40,
  maxSpeedKmh: 100,
}
/** Ahead of the progress, a fix may always land this far, whatever the time since the last. */
const AHEAD_SLACK_M = 100
/** A bus last seen this close to the first stop may join the trip this far past it. */
const JOIN_AFTER_GAP_M = 400
/** Slower than this, a bus dating the stops it passed between fixes is taken to crawl at this speed. */
const MIN_CROSSING_MS = 3
/** A leg's own pace is not trusted before the bus has driven this share of it. */
const MIN_LEG_SHARE = 0.1

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
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined))
  const o: typeof defaults = { ...defaults, ...given }
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

  const enteredMs: (number | null)[] = new Array(n).fill(null)
  const leftMs: (number | null)[] = new Array(n).fill(null)
  const smoothedMs: (number | null)[] = new Array(n).fill(null)
  let started = false
  /** Legs before this stop were driven before the tracker joined: their times are not known. */
  let firstTimedStop = 0
  let progressM = 0
  let placedMs = 0
  let lastFixMs: number | null = null
  let offRouteCount = 0
  let lastPosition: LatLon | null = null
  /** The bus has been seen somewhere other than moving along the route since the tracker began. */
  let seenElsewhere = false
  /** Fixes in a row moving along the route past the first stop; undefined once the bus left it too early. */
  let join: { alongM: number; count: number } | undefined = { alongM: -Infinity, count: 0 }
  /** Recent placements with the router's time at them, oldest first, for the bus's own recent pace. */
  const trail: { ms: number; routerS: number }[] = []

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

  const paceFactor = () => {
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

  const lastEnteredStop = () => {
    for (let k = n - 1; k >= 0; k--) if (enteredMs[k] !== null) return k
    return -1
  }

  /** Entering-radius times of the stops not yet reached, chained from `firstMs` at stop `from`. */
  const chainFrom = (from: number, firstMs: number, pace: number, into: (number | null)[]) => {
    into[from] = firstMs
    for (let k = from + 1; k < n; k++) {
      const departMs = Math.max(into[k - 1]! + dwellS(k - 1, into[k - 1]!) * 1000, earliestDepartMs(k - 1))
      into[k] = departMs + legS(k - 1, departMs) * pace * 1000
    }
  }

  /** Where the bus should reach each stop's radius, from its place at `atMs`; null for stops passed. */
  const estimateEntering = (atMs: number): (number | null)[] => {
    const result: (number | null)[] = new Array(n).fill(null)
    const current = lastEnteredStop()
    if (current === n - 1) return result
    const pace = paceFactor()
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
    const share =
      spanS > 0 ? Math.min(1, Math.max(0, (routerSecondsAt(route, progressM) - fromS) / spanS)) : 1
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

  /**
   * Dates the stop points passed between two placements. Across a gap in the fixes the bus may
   * have stood at a stop for minutes: it is taken to have driven on to the next stop's radius
   * straight after the earlier fix, and to have left a stop's wider radius just in time to be
   * where the later fix puts it, at the speed it reports.
   */
  const crossStops = (fromM: number, toM: number, fromMs: number, toMs: number, speedMs: number) => {
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

  const isAtFirstStop = (fix: LatLon) =>
    haversineM(fix.lat, fix.lon, stops[0]!.lat, stops[0]!.lon) <= o.stopArriveM

  const startAtFirstStop = (ms: number) => {
    started = true
    progressM = stops[0]!.alongM
    placedMs = ms
    enteredMs[0] = ms
  }

  /**
   * The trip starts at its first stop. A bus the tracker meets already moving along the route once
   * the trip is due to have left (the tracker began mid-trip) joins it there, and so does one last
   * seen close to the first stop that comes back into view just past it (it called there unseen, in
   * a coverage hole). Any other bus on the route is not taken for this trip: a bus finishing its
   * previous trip may drive the same roads. One seen leaving the first stop too early is on its
   * previous trip, and this trip then starts only at the first stop.
   */
  const tryJoin = (fix: EtaFix, ms: number, previous: LatLon | null) => {
    if (!join) return
    const due = !schedule || ms >= schedule[0]!.departMs - o.firstStopEarlyS * 1000
    const snap = due ? snapToRoute(route, fix, { fromAlongM: 0, backM: 0, aheadM: route.lengthM }) : null
    if (!snap || snap.offRouteM > o.offRouteM || snap.alongM <= leaveAtM[0]!) {
      seenElsewhere = true
      join = { alongM: -Infinity, count: 0 }
      return
    }
    const first = stops[0]!
    const cameFromFirstStop =
      previous !== null &&
      haversineM(previous.lat, previous.lon, first.lat, first.lon) <= JOIN_AFTER_GAP_M &&
      snap.alongM <= leaveAtM[0]! + JOIN_AFTER_GAP_M
    if (join.count === 0 && seenElsewhere && !cameFromFirstStop) return
    if (snap.alongM <= join.alongM) return
    join = { alongM: snap.alongM, count: join.count + 1 }
    if (join.count < o.joinFixes) return
    started = true
    progressM = join.alongM
    placedMs = ms
    crossStops(progressM, progressM, ms, ms, 1)
    firstTimedStop = lastEnteredStop() + 1
  }

  /** Judged by when the bus was seen gone, which a gap in the fixes cannot make earlier than it was. */
  const leftTooEarly = (seenMs: number) =>
    schedule !== undefined &&
    firstTimedStop === 0 &&
    leftMs[0] !== null &&
    seenMs < schedule[0]!.departMs - o.firstStopEarlyS * 1000

  const forget = () => {
    started = false
    progressM = 0
    offRouteCount = 0
    firstTimedStop = 0
    join = undefined
    trail.length = 0
    for (const list of [enteredMs, leftMs, smoothedMs]) list.fill(null)
  }

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
      if (lastFixMs !== null && ms <= lastFixMs) return
      const previousFixMs = lastFixMs
      const previous = lastPosition
      lastFixMs = ms
      lastPosition = { lat: fix.lat, lon: fix.lon }
      // Back at the first stop before reaching the second: the start taken earlier was not this trip's.
      const restarts = started && enteredMs[1] === null && progressM > leaveAtM[0]! && isAtFirstStop(fix)
      if (restarts) forget()
      if (!started) {
        if (isAtFirstStop(fix)) startAtFirstStop(ms)
        else tryJoin(fix, ms, previous)
        if (started) smooth(estimateEntering(ms), Infinity)
        return
      }
      const sinceS = (ms - placedMs) / 1000
      const snap = snapToRoute(route, fix, {
        fromAlongM: progressM,
        backM: o.backM,
        aheadM: AHEAD_SLACK_M + (o.maxSpeedKmh / 3.6) * sinceS,
        expectedAlongM: progressM + (fix.speedKmh / 3.6) * sinceS,
      })
      if (!snap || snap.offRouteM > o.offRouteM) {
        offRouteCount++
        return
      }
      offRouteCount = 0
      if (snap.alongM > progressM) {
        crossStops(progressM, snap.alongM, placedMs, ms, Math.max(MIN_CROSSING_MS, fix.speedKmh / 3.6))
        progressM = snap.alongM
        if (leftTooEarly(ms)) {
          forget()
          return
        }
      }
      placedMs = ms
      trail.push({ ms, routerS: routerSecondsAt(route, progressM) })
      while (trail[0]!.ms < ms - o.recentPaceS * 1000) trail.shift()
      smooth(estimateEntering(ms), previousFixMs === null ? Infinity : (ms - previousFixMs) / 1000)
    },

    estimate(atMs) {
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
    },
  }
}
