import { randomUUID } from 'node:crypto'
import type { LatLon } from '../../geo/lat-lon.js'
import type { SeededRandom } from '../../geo/random/seeded-random.js'
import type { RoadGraph } from '../../geo/routing/road-graph.js'
import type { Router } from '../../geo/routing/router.js'
import { fromShanghaiTime } from '../../server/core/clock/shanghai-time.js'
import type { EventRuleOptions } from '../../server/core/schedule/event-rule-options.js'
import { groupScheduledTrips, planServiceDay } from '../../server/core/schedule/trip-calendar.js'
import { createBoardingQueries } from '../../server/core/store/boarding-queries.js'
import type { Database } from '../../server/core/store/database.js'
import { createDerivedEventQueries } from '../../server/core/store/derived-event-queries.js'
import { createAttendantScans, type SimulatedScan } from '../../workers/simulator/attendant-scans.js'
import type { BusPlan } from '../../workers/simulator/bus-plan.js'
import {
  chooseRouteDeviations,
  type DeviationShares,
} from '../../workers/simulator/choose-route-deviations.js'
import type { FleetTrip } from '../../workers/simulator/fleet-from-registers.js'
import type { InjectedFault } from '../../workers/simulator/injected-fault.js'
import type { RegisterSimulationSource } from '../../workers/simulator/register-simulation.js'
import type { RoadSpeedLookup } from '../../workers/simulator/road-speed-lookup.js'
import { applyRouteDeviations, type AppliedDeviation } from '../../workers/simulator/route-deviations.js'
import type { StopCallEvent } from '../../workers/simulator/simulated-report.js'
import type { DirectTelemetry } from './direct-telemetry.js'
import { listInjectedEpisodes, type LeftAboard } from './injected-episodes.js'
import type { InjectedEpisode, RaisedEpisode } from './oversight-episode.js'
import { readRaisedEpisodes } from './raised-episodes.js'

/** A clock the run sets: every part of the platform in the run reads the simulated time from it. */
export interface SettableClock {
  now(): Date
  set(ms: number): void
}

export function createSettableClock(startMs: number): SettableClock {
  let nowMs = startMs
  return {
    now: () => new Date(nowMs),
    set: (ms) => (nowMs = ms),
  }
}

/** What the simulation tells as it runs, routed to the day being simulated. */
export interface SimulationTap {
  onStopCall(event: StopCallEvent): void
  onFault(fault: InjectedFault): void
}

export interface OversightDayDeps {
  db: Database
  source: RegisterSimulationSource
  /** Where the source's onStopCall and onFault go: set by the day for the day. */
  tap: { current: SimulationTap | undefined }
  telemetry: DirectTelemetry
  /** The events part's stream: each tick handles what was stored, then ticks its rules at the clock's now. */
  events: { tick(): Promise<void> }
  /** The alarms part's check for children left on buses, at the clock's now. */
  alarms: { checkTelemetry(): Promise<number> }
  clock: SettableClock
  /** The buses' trips with their riders at each call. */
  fleetTrips: ReadonlyMap<string, readonly FleetTrip[]>
  /** Where a bus may stand besides its calls and depot: its schools' sites. */
  schoolSites(busId: string): readonly LatLon[]
  roads: { router: Router; graph: RoadGraph; roadSpeedAt: RoadSpeedLookup; brakingMs2: number }
  shares: DeviationShares
  /** Share of trips on which a pupil is left aboard. */
  leftAboardShare: number
  rules: EventRuleOptions
  /** Simulated time per step: reports are stored and the events part ticks once a step (the platform ticks every 5 s). */
  stepMs: number
  /** Simulated time between the alarms part's checks. */
  alarmCheckMs: number
  say(line: string): void
}

export interface OversightDay {
  date: string
  injected: InjectedEpisode[]
  raised: RaisedEpisode[]
  reports: number
  scans: number
  /** Real seconds the day took, and how many of them went to the platform's parts. */
  seconds: number
  platformSeconds: number
}

const HOUR_MS = 3_600_000

/**
 * One school day of the fleet, simulated faster than real time through the platform's own parts:
 * the day's plans with route deviations made on some trips, a pupil left aboard on others, and the
 * simulator's speeding, limiter, power and coverage faults; each step's reports are stored by the
 * ingest worker, the attendants' scans recorded, and the events part and the alarms part run at
 * the step's time. Returns what was injected and what the platform raised that day.
 */
export async function runOversightDay(
  deps: OversightDayDeps,
  date: string,
  random: SeededRandom,
): Promise<OversightDay> {
  const startedMs = performance.now()
  let platformMs = 0
  const timed = async <T>(work: () => Promise<T>) => {
    const at = performance.now()
    try {
      return await work()
    } finally {
      platformMs += performance.now() - at
    }
  }
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay() || 7
  const trips = [...deps.fleetTrips.values()].flat().filter((trip) => trip.weekdays.includes(weekday))

  const { plans, applied } = await deviateDay(deps, date, random.fork('deviations'))
  deps.source.useDayPlans(date, plans)
  const skippedTrips = new Set(applied.filter((d) => d.kind === 'skip_call').map((d) => d.tripId))
  const leftAboard = chooseLeftAboard(trips, skippedTrips, deps.leftAboardShare, random.fork('left-aboard'))
  const busOfTrip = new Map(
    [...deps.fleetTrips].flatMap(([busId, list]) => list.map((trip) => [trip.id, busId] as const)),
  )

  const scanner = createAttendantScans(trips, { leftAboard: (tripId) => leftAboard.get(tripId) })
  const lastCallOf = new Map(trips.map((trip) => [trip.id, trip.stops.length - 1]))
  const arrivedLast = new Map<string, number>()
  const faults: InjectedFault[] = []
  let dueScans: SimulatedScan[] = []
  deps.tap.current = {
    onStopCall(event) {
      dueScans.push(...scanner.onStopCall(event))
      if (event.event === 'arrive' && lastCallOf.get(event.tripId) === event.stopIndex)
        arrivedLast.set(event.tripId, event.atMs)
    },
    onFault: (fault) => faults.push(fault),
  }

  const simulation = deps.source.simulationAt(fromShanghaiTime(date, '12:00:00'))
  const dayStartMs = fromShanghaiTime(date, '00:00:00').getTime()
  const dayEndMs = dayStartMs + 24 * HOUR_MS
  /** Long after the last trip's grace: every bus is parked, alarmed about and asleep by then. */
  const runEndMs = fromShanghaiTime(date, '21:00:00').getTime()
  const boarding = createBoardingQueries(deps.db)
  let reports = 0
  let scans = 0
  let nextCheckMs = -Infinity
  let stepFromMs = Math.floor(simulation.startMs / deps.stepMs) * deps.stepMs
  deps.clock.set(stepFromMs)
  let nextSayMs = stepFromMs + 2 * HOUR_MS
  while (stepFromMs < runEndMs) {
    const stepToMs = stepFromMs + deps.stepMs
    const delivered = simulation.simulateWindow(new Date(stepFromMs), new Date(stepToMs))
    deps.clock.set(stepToMs)
    reports += delivered.length
    const scansNow = dueScans
    dueScans = []
    await timed(async () => {
      await deps.telemetry.deliver(delivered)
      for (const scan of scansNow) {
        await boarding.insert({
          id: randomUUID(),
          tripId: scan.tripId,
          serviceDate: date,
          pupilId: scan.pupilId,
          action: scan.action,
          stopId: scan.stopId,
          scannedAt: new Date(scan.atMs).toISOString(),
          recordedBy: `attendant of ${scan.busId}`,
        })
      }
      await deps.events.tick()
      if (stepToMs >= nextCheckMs) {
        nextCheckMs = stepToMs + deps.alarmCheckMs
        await deps.alarms.checkTelemetry()
      }
    })
    scans += scansNow.length
    if (stepToMs >= nextSayMs) {
      nextSayMs += 2 * HOUR_MS
      deps.say(
        `${date} ${new Date(stepToMs + 8 * HOUR_MS).toISOString().slice(11, 16)}: ${reports} reports, ${scans} scans, ${((performance.now() - startedMs) / 1000).toFixed(0)} s`,
      )
    }
    stepFromMs = stepToMs
  }
  deps.tap.current = undefined

  const queries = createDerivedEventQueries(deps.db)
  const windows = planServiceDay(
    groupScheduledTrips(await queries.listScheduledTripStops(weekday)),
    date,
    deps.rules,
  )
  const injected = listInjectedEpisodes({
    faults,
    deviations: applied,
    leftAboard: [...leftAboard].map(([tripId, pupilId]): LeftAboard => ({
      busId: busOfTrip.get(tripId)!,
      tripId,
      pupilId,
      arrivedLastMs: arrivedLast.get(tripId) ?? null,
    })),
    tripWindows: [...windows.values()].flat().map((trip) => ({
      busId: trip.busId,
      tripId: trip.tripId,
      startMs: trip.startsAt.getTime(),
      endMs: trip.endsAt.getTime(),
      arrivedLastMs: arrivedLast.get(trip.tripId) ?? null,
    })),
    dayEndMs: runEndMs,
    rules: deps.rules,
  })
  const raised = await readRaisedEpisodes(deps.db, new Date(dayStartMs), new Date(dayEndMs))
  return {
    date,
    injected,
    raised,
    reports,
    scans,
    seconds: Math.round((performance.now() - startedMs) / 100) / 10,
    platformSeconds: Math.round(platformMs / 100) / 10,
  }
}

/** The day's plans with the deviations chosen for it made, and what each made a bus do. */
async function deviateDay(
  deps: OversightDayDeps,
  date: string,
  random: SeededRandom,
): Promise<{ plans: BusPlan[]; applied: (AppliedDeviation & { busId: string })[] }> {
  const plans = deps.source.planDay(date)
  const chosen = await chooseRouteDeviations(plans, {
    random,
    shares: deps.shares,
    router: deps.roads.router,
    graph: deps.roads.graph,
    avoid: deps.schoolSites,
  })
  const applied: (AppliedDeviation & { busId: string })[] = []
  const deviated: BusPlan[] = []
  for (const plan of plans) {
    const deviations = chosen.get(plan.busId)
    if (!deviations) {
      deviated.push(plan)
      continue
    }
    const made = await applyRouteDeviations(plan, deviations, deps.roads)
    deviated.push(made.plan)
    applied.push(...made.applied.map((deviation) => ({ ...deviation, busId: plan.busId })))
  }
  return { plans: deviated, applied }
}

/** Per trip chosen, the pupil left aboard: one who boards, on a trip that calls everywhere. */
function chooseLeftAboard(
  trips: readonly FleetTrip[],
  skipped: ReadonlySet<string>,
  share: number,
  random: SeededRandom,
): Map<string, string> {
  const left = new Map<string, string>()
  for (const trip of trips) {
    const riders = trip.stops.flatMap((call) => call.board)
    if (!random.chance(share) || riders.length === 0 || skipped.has(trip.id)) continue
    left.set(trip.id, random.pick(riders))
  }
  return left
}
