import type { RoadAtPoint, RoadAtPointIndex } from '../../geo/roads/road-at-point.js'
import type { SchoolBusSpeedLimit } from '../../geo/speed/school-bus-speed-limit.js'
import {
  findSchoolBusSpeedLimit,
  schoolBusSpeedCaps,
  type DrivingCondition,
} from '../../geo/speed/school-bus-speed-limit.js'
import type { CommittedBatch } from '../../server/core/broker/telemetry-rows.js'
import type { LimiterRow, PositionRow } from '../../server/core/broker/telemetry-rows.js'
import type { DerivedEvent, EmitEvent } from './derived-event.js'
import type { EventRuleOptions } from '../../server/core/schedule/event-rule-options.js'
import { createLimiterDisabledRule, type LimiterDisabledRule } from './limiter-disabled-rule.js'
import { createOverSpeedRule, type OverSpeedRule } from './over-speed-rule.js'
import type { ApprovedPathLookup } from './approved-paths.js'
import type { RouteComplianceOptions } from './route-compliance-options.js'
import { createRouteComplianceRules, type RouteComplianceRules } from './route-compliance-rules.js'
import { createStopVisitRule, type StopVisitRule } from './stop-visit-rule.js'
import {
  createTerminalAlarmRule,
  isTerminalAlarmEvent,
  type TerminalAlarmRule,
} from './terminal-alarm-rule.js'
import { createTerminalSilenceRule, type TerminalSilenceRule } from './terminal-silence-rule.js'
import { createTripLateRule, type TripLateRule } from './trip-late-rule.js'
import type { TripTimetable } from '../../server/core/schedule/trip-calendar.js'
import { createTripUnderWay, type TripUnderWay } from './trip-under-way.js'

/** What the store knew of a bus before this process started. */
export interface BusHistory {
  busId: string
  lastPositionTs: Date | null
  lastLimiter: Pick<LimiterRow, 'ts' | 'state' | 'limitKmh'> | null
}

interface BusState {
  lastPositionMs: number
  lastLimiterMs: number
  overSpeed: OverSpeedRule
  limiter: LimiterDisabledRule
  silence: TerminalSilenceRule
  stops: StopVisitRule
  terminalAlarms: TerminalAlarmRule
  route: RouteComplianceRules | undefined
  /** The trip it runs: a late bus finishes the one under way. */
  trip: TripUnderWay
  late: TripLateRule
}

/** Sorted by `order`: the report's time, a limiter report before a fix of the same instant. */
type Report = { order: number } & (
  { position: PositionRow; limiter?: never } | { limiter: LimiterRow; position?: never }
)

const byOrder = (a: Report, b: Report) => a.order - b.order

const noConditions: readonly DrivingCondition[] = []

/**
 * The road found and the roads alongside it that the fix's GPS error cannot tell from it, judged by
 * the most lenient of their limits: a bus on a trunk road is not over the limit of a lane drawn a
 * few metres beside it. Where the map has no such twin, the road found.
 */
function mostLenientRoad(
  found: RoadAtPoint | undefined,
  conditions: readonly DrivingCondition[],
): { road: RoadAtPoint | undefined; limit: SchoolBusSpeedLimit } {
  let best = { road: found, limit: findSchoolBusSpeedLimit(found ?? null, conditions) }
  for (const road of found?.alongside ?? []) {
    const limit = findSchoolBusSpeedLimit(road, conditions)
    if (limit.limitKmh > best.limit.limitKmh) best = { road, limit }
  }
  return best
}

/**
 * The derived-event rules of every bus, without I/O. Each batch is split per bus and sorted by
 * time (a limiter report before a fix of the same instant); a report no newer than the bus's last
 * one of its kind is a duplicate or arrived late, and only the silence rule still sees it.
 */
export function createBusEventRules(options: {
  roads: RoadAtPointIndex
  trips: TripTimetable
  rules: EventRuleOptions
  emit: EmitEvent
  drivingConditions?(busId: string, at: Date): readonly DrivingCondition[]
  /** Each trip's approved path, for route compliance; without it the route is not judged. */
  routeCompliance?: { paths: ApprovedPathLookup; options: RouteComplianceOptions }
}) {
  const { roads, trips, rules, emit, routeCompliance } = options
  const buses = new Map<string, BusState>()
  /** No road can hold a lower school-bus limit, so slower fixes need no road lookup. */
  const lookupAboveKmh =
    Math.min(schoolBusSpeedCaps.hazardKmh, roads.lowestMaxSpeedKmh) + rules.overSpeedToleranceKmh

  const busState = (busId: string): BusState => {
    let state = buses.get(busId)
    if (!state) {
      const route =
        routeCompliance &&
        createRouteComplianceRules(
          busId,
          { ...rules, ...routeCompliance.options },
          routeCompliance.paths,
          emit,
        )
      const late = createTripLateRule(busId, rules, emit)
      const trip = createTripUnderWay(busId, trips, rules)
      state = {
        lastPositionMs: Number.NEGATIVE_INFINITY,
        lastLimiterMs: Number.NEGATIVE_INFINITY,
        overSpeed: createOverSpeedRule(busId, rules, emit),
        limiter: createLimiterDisabledRule(busId, rules, emit),
        silence: createTerminalSilenceRule(busId, rules, emit),
        // The route and late-trip rules learn of arrivals from the stop rule, which sees each fix first.
        stops: createStopVisitRule(busId, rules, (event) => {
          if (event.kind === 'stop_arrival') {
            trip.noteArrival(event.details.seq)
            route?.noteArrival(event.details.seq)
            late.noteArrival({ ts: event.ts, seq: event.details.seq })
          }
          emit(event)
        }),
        terminalAlarms: createTerminalAlarmRule(busId, rules, emit),
        route,
        late,
        trip,
      }
      buses.set(busId, state)
    }
    return state
  }

  const observePosition = (state: BusState, row: PositionRow) => {
    const ms = row.ts.getTime()
    state.silence.observeReport(row.ts)
    if (ms <= state.lastPositionMs) return
    state.lastPositionMs = ms
    const trip = state.trip.tripAt(row)
    const tripId = trip?.tripId ?? null
    const found =
      row.speedKmh > lookupAboveKmh
        ? roads.findRoadAtPoint({ lat: row.lat, lon: row.lon, headingDeg: row.headingDeg })
        : undefined
    const conditions = options.drivingConditions?.(row.busId, row.ts) ?? noConditions
    const { road, limit } =
      row.speedKmh > lookupAboveKmh || conditions.length > 0
        ? mostLenientRoad(found, conditions)
        : { road: found, limit: null }
    const fix = {
      ts: row.ts,
      lat: row.lat,
      lon: row.lon,
      speedKmh: row.speedKmh,
      tripId,
      limit,
      road,
      terminal: row.terminal,
    }
    state.overSpeed.observe(fix)
    state.limiter.observeFix(fix)
    state.stops.observe(fix, trip)
    state.late.observe(trip)
    state.terminalAlarms.observe(fix)
    state.route?.observe({ ...fix, doorsOpen: row.terminal?.doorsOpen }, trip)
  }

  const observeLimiter = (state: BusState, row: LimiterRow) => {
    const ms = row.ts.getTime()
    if (ms <= state.lastLimiterMs) return
    state.lastLimiterMs = ms
    state.limiter.observeLimiter(row)
  }

  return {
    /** Seeds the silence and limiter rules with what the store knew before this process began. */
    restore(histories: readonly BusHistory[]): void {
      for (const history of histories) {
        const state = busState(history.busId)
        if (history.lastPositionTs) state.silence.observeReport(history.lastPositionTs)
        if (history.lastLimiter) state.limiter.observeLimiter(history.lastLimiter)
      }
    },

    observe(batch: CommittedBatch): void {
      const perBus = new Map<string, Report[]>()
      const add = (busId: string, report: Report) => {
        const list = perBus.get(busId)
        if (list) list.push(report)
        else perBus.set(busId, [report])
      }
      for (const limiter of batch.limiterStates)
        add(limiter.busId, { order: limiter.ts.getTime() * 2, limiter })
      for (const position of batch.positions)
        add(position.busId, { order: position.ts.getTime() * 2 + 1, position })
      for (const [busId, reports] of perBus) {
        if (reports.some((report, i) => i > 0 && report.order < reports[i - 1]!.order)) reports.sort(byOrder)
        const state = busState(busId)
        for (const report of reports) {
          if (report.position) observePosition(state, report.position)
          else observeLimiter(state, report.limiter)
        }
      }
    },

    /**
     * Takes up episodes that the store holds as still open and that a replay of recent reports
     * cannot rebuild (another process raised them): limiter and terminal alarm episodes begun
     * before the replay (call before it) and silences (call after it). Other kinds are rebuilt by
     * the replay.
     */
    resume(open: readonly DerivedEvent[]): void {
      for (const event of open) {
        if (event.kind === 'limiter_disabled' && event.details.endTs === null) {
          busState(event.busId).limiter.resume({
            startMs: event.ts.getTime(),
            tripId: event.tripId,
            states: event.details.states.length > 0 ? event.details.states : [event.details.state],
            limitKmh: event.details.limitKmh,
            speedKmh: event.details.speedKmh,
          })
        } else if (isTerminalAlarmEvent(event) && event.details.endTs === null) {
          busState(event.busId).terminalAlarms.resume({
            startMs: event.ts.getTime(),
            tripId: event.tripId,
            details: event.details,
          })
        } else if (event.kind === 'terminal_silent' && event.details.endTs === null && event.tripId) {
          busState(event.busId).silence.resume({
            startMs: event.ts.getTime(),
            tripId: event.tripId,
            lastReportMs: event.details.lastReportTs === null ? null : Date.parse(event.details.lastReportTs),
          })
        }
      }
    },

    /**
     * Ends over-speed episodes of buses gone quiet and, for route compliance, trips whose running
     * window is over; raises silences of running trips: of every bus, or of the buses `owns`
     * accepts (a process deriving one partition of the fleet).
     */
    tick(now: Date, owns?: (busId: string) => boolean): void {
      for (const state of buses.values()) {
        state.overSpeed.expire(now)
        state.route?.expire(now)
      }
      for (const trip of trips.listRunningTrips(now)) {
        if (owns && !owns(trip.busId)) continue
        const state = busState(trip.busId)
        // Its grace is for a bus running late: one back from its last call may well be parked asleep.
        if (!state.trip.hasFinished(trip)) state.silence.check(now, trip)
      }
    },
  }
}

export type BusEventRules = ReturnType<typeof createBusEventRules>
