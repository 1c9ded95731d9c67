import {
  createEtaTracker,
  type EtaTracker,
  type EtaTrackerOptions,
  type ScheduledCall,
} from '../../geo/eta/eta-tracker.js'
import {
  learnLegTimes,
  type DwellObservation,
  type LegObservation,
  type LegTimeTable,
  type LearnLegTimesOptions,
} from '../../geo/eta/learned-leg-times.js'
import { observeTripRun } from '../../geo/eta/trip-run-observations.js'
import { serviceDayOriginMs, utcOffsetMs } from '../../geo/gtfs/gtfs-time.js'
import type { AvlPing } from './avl-pings.js'
import { createAvlScoreboard } from './avl-scoreboard.js'
import { delayPropagated } from './delay-baseline.js'
import {
  patternLegTimes,
  planGtfsTrips,
  scheduleOf,
  type GtfsFeedTables,
  type TripPlan,
} from './gtfs-trip-plans.js'
import { trueStopTimes, type TrueStopTimes } from './true-arrivals.js'

export interface AvlPrediction {
  tripId: string
  vehicleId: string
  atMs: number
  /** As in the GTFS stop_times. */
  stopSequence: number
  stopId: string
  /** Null when the engine does not know. */
  predictedMs: number | null
}

export interface ReplayAvlOptions {
  /** IANA zone of the timetable (the agency's). */
  timeZone: string
  /**
   * Learn only from trips finished before this instant, once, instead of from every trip finished
   * before each ping.
   */
  learnUntilMs?: number
  /** No learning at all: the engine on the timetable alone. */
  learn?: boolean
  /**
   * A bus early at a timepoint waits for its scheduled departure. Off by default: on the recorded
   * WMATA buses it made the estimates worse, early buses there mostly run on.
   */
  holdAtTimepoints?: boolean
  /** Called with each ping's predictions, in replay order, instead of keeping them all. */
  onPredictions?(rows: AvlPrediction[]): void
  tracker?: EtaTrackerOptions
  learning?: Pick<
    LearnLegTimesOptions,
    'maxRouterFactor' | 'priorRuns' | 'bucketMin' | 'minBucketSamples' | 'minFleetSamples' | 'chain'
  >
}

export interface ReplayAvlResult {
  summary: Record<string, number | null>
  /** The predictions, unless `onPredictions` took them. */
  predictions: AvlPrediction[]
  /** Each trip's true stop arrivals, by its route's stop index. */
  truth: Map<string, TrueStopTimes>
  plans: Map<string, TripPlan>
}

/**
 * The engine's tracking on real fixes: the tracker of each GTFS trip is fed its vehicle's pings in
 * time order and asked, at each ping, for every stop still ahead. What the engine may have learned
 * at a ping comes only from trips finished before it (or before `learnUntilMs`), from their true
 * arrivals. Scored against the true arrivals, and against the delay-propagated timetable.
 */
export function replayAvl(
  feed: GtfsFeedTables,
  allPings: readonly AvlPing[],
  options: ReplayAvlOptions,
): ReplayAvlResult {
  const plans = planGtfsTrips(feed)
  const pings = allPings.filter((ping) => plans.has(ping.tripId)).sort((a, b) => a.atMs - b.atMs)
  const byTrip = new Map<string, AvlPing[]>()
  for (const ping of pings) {
    const list = byTrip.get(ping.tripId)
    if (list) list.push(ping)
    else byTrip.set(ping.tripId, [ping])
  }
  // After the fact: each trip's true arrivals, and when its last ping says it was over.
  const truth = new Map<string, TrueStopTimes>()
  for (const [tripId, list] of byTrip) truth.set(tripId, trueStopTimes(plans.get(tripId)!, list))
  const finishedAt = [...byTrip].map(([tripId, list]) => ({ tripId, ms: list[list.length - 1]!.atMs }))
  finishedAt.sort((a, b) => a.ms - b.ms)

  const originOf = (ping: AvlPing) => {
    const date = ping.startDate || localDate(ping.atMs, options.timeZone)
    return serviceDayOriginMs(date, options.timeZone)
  }
  const schedules = new Map<string, ScheduledCall[]>()
  for (const [tripId, list] of byTrip) {
    schedules.set(
      tripId,
      scheduleOf(plans.get(tripId)!, originOf(list[0]!), options.holdAtTimepoints ?? false),
    )
  }

  const referenceLegS = patternLegTimes(plans.values())
  const referenceDwellS = new Map<string, number[]>()
  for (const plan of plans.values()) {
    referenceDwellS.set(
      plan.patternKey,
      plan.calls.map((call) => call.departureS - call.arrivalS),
    )
  }
  const utcOffsetMin = pings.length > 0 ? utcOffsetMs(pings[0]!.atMs, options.timeZone) / 60_000 : 0
  const legs: LegObservation[] = []
  const dwells: DwellObservation[] = []
  let learned: LegTimeTable | undefined
  let taught = 0
  const learnFrom = (untilMs: number) => {
    const before = taught
    for (; taught < finishedAt.length && finishedAt[taught]!.ms < untilMs; taught++) {
      const { tripId } = finishedAt[taught]!
      const plan = plans.get(tripId)!
      const times = truth.get(tripId)!
      const run = observeTripRun(
        plan.patternKey,
        plan.route.stops.map((_, k) => ({
          seq: k + 1,
          arriveMs: times.arriveMs[k] ?? null,
          departMs: times.departMs[k] ?? null,
        })),
        { scheduledFirstDepartMs: schedules.get(tripId)![0]!.departMs },
      )
      legs.push(...run.legs)
      // The wait at the first stop is a layover, kept by the timetable, not a dwell: learned, it
      // would count in the fleet-wide dwell every other stop leans on.
      dwells.push(...run.dwells.filter((dwell) => dwell.seq > 1))
    }
    if (taught === before && learned) return
    learned = learnLegTimes(legs, {
      dwells,
      routerLegS: (key, fromSeq) => referenceLegS.get(key)?.[fromSeq - 1],
      scheduledDwellS: (key, seq) => referenceDwellS.get(key)?.[seq - 1],
      utcOffsetMin,
      ...avlLearningDefaults,
      ...options.learning,
    })
  }
  // The trackers ask this table, which always answers from what is known now.
  const current: LegTimeTable = {
    legS: (key, seq, ms) => learned?.legS(key, seq, ms) ?? null,
    dwellS: (key, seq, ms) => learned?.dwellS(key, seq, ms) ?? null,
    get legObservationCount() {
      return learned?.legObservationCount ?? 0
    },
    get dwellObservationCount() {
      return learned?.dwellObservationCount ?? 0
    },
    get chainFactor() {
      return learned?.chainFactor ?? 1
    },
  }
  const learn = options.learn ?? true
  if (learn && options.learnUntilMs !== undefined) learnFrom(options.learnUntilMs)

  const trackers = new Map<string, EtaTracker>()
  const scoreboard = createAvlScoreboard()
  const kept: AvlPrediction[] = []
  let predictionCount = 0
  for (const ping of pings) {
    if (learn && options.learnUntilMs === undefined) learnFrom(ping.atMs)
    const plan = plans.get(ping.tripId)!
    const schedule = schedules.get(ping.tripId)!
    let tracker = trackers.get(ping.tripId)
    if (!tracker) {
      tracker = createEtaTracker(plan.route, {
        ...avlTrackerDefaults,
        ...options.tracker,
        tripId: plan.patternKey,
        learned: learn ? current : undefined,
        schedule,
      })
      trackers.set(ping.tripId, tracker)
    }
    tracker.observe({ ts: new Date(ping.atMs), lat: ping.lat, lon: ping.lon, speedKmh: ping.speedKmh })
    const eta = tracker.estimate(ping.atMs)
    const rows: AvlPrediction[] = []
    const times = truth.get(ping.tripId)!
    eta.stops.forEach((stop, k) => {
      if (stop.passed) return
      const predictedMs = stop.etaTs === null ? null : Date.parse(stop.etaTs)
      if (predictedMs !== null) predictionCount++
      const call = plan.calls[k]!
      rows.push({
        tripId: ping.tripId,
        vehicleId: ping.vehicleId,
        atMs: ping.atMs,
        stopSequence: call.stopSequence,
        stopId: call.stopId,
        predictedMs,
      })
    })
    times.arriveMs.forEach((trueMs, k) => {
      if (trueMs === null || trueMs <= ping.atMs) return
      const stop = eta.stops[k]!
      const engineMs = stop.passed || stop.etaTs === null ? null : Date.parse(stop.etaTs)
      const baselineMs = delayPropagated(schedule, times.arriveMs, ping.atMs, k)
      scoreboard.add(
        (trueMs - ping.atMs) / 1000,
        engineMs === null ? null : (engineMs - trueMs) / 1000,
        (baselineMs - trueMs) / 1000,
      )
    })
    if (options.onPredictions) options.onPredictions(rows)
    else kept.push(...rows)
  }
  return {
    summary: {
      ...scoreboard.summary(),
      pings: pings.length,
      trips: byTrip.size,
      predictions: predictionCount,
      legObservations: legs.length,
      chainFactor: learned ? Math.round(learned.chainFactor * 1000) / 1000 : null,
    },
    predictions: kept,
    truth,
    plans,
  }
}

/**
 * How the engine is set for real buses reporting every 30 s or so, where a stop's arrival is the
 * bus at the stop: no braking time is added to the arrival and none to leaving, since the learned
 * legs run from leaving one stop to the arrival at the next.
 */
export const avlTrackerDefaults: EtaTrackerOptions = {
  // The feed reports a bus stopped at a stop from about 40 m before it.
  stopArriveM: 45,
  stopLeaveM: 10,
  approachS: 0,
  leaveS: 0,
  routeTimedStopToStop: true,
  // Each ping names the trip the bus is on: one fix on the route is enough to join it mid-trip.
  joinFixes: 1,
}

/**
 * How leg times are learned from real buses. A trip runs once a day and a pattern a few times an
 * hour, so a leg's own few runs weigh more against the fleet-wide figure than on a school run,
 * buckets are half an hour, and the fleet-wide figure waits for enough observations.
 */
export const avlLearningDefaults: ReplayAvlOptions['learning'] = {
  priorRuns: 2,
  bucketMin: 30,
  minFleetSamples: 20,
}

function localDate(atMs: number, timeZone: string): string {
  const local = new Date(atMs + utcOffsetMs(atMs, timeZone))
  return local.toISOString().slice(0, 10).replaceAll('-', '')
}
