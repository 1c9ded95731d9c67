import type { Clock } from '../clock/clock.js'
import { fromShanghaiTime, toShanghaiTime } from '../clock/shanghai-time.js'
import { buildComplianceReport } from '../compliance/compliance-report.js'
import type { ComplianceStatus } from '../compliance/compliance-finding.js'
import { readRemovedByScore } from '../compliance/removed-by-score.js'
import { readRegisters } from '../registers/read-registers.js'
import { defaultEventRuleOptions } from '../schedule/event-rule-options.js'
import { pickRunningTrip, runningWindow } from '../schedule/trip-calendar.js'
import type { Queryable } from '../store/database.js'
import { createFleetStateQueries, type TodayCallRow } from '../store/fleet-state-queries.js'
import { busStates, decideBusState, defaultBusStateRules, type BusState } from './bus-state.js'
import { defaultDeviceHealthRules, judgeDeviceHealth, type DeviceHealth } from './device-health.js'
import { judgeTripProgress, type TimetabledCall, type TripEtaNow } from './trip-progress-now.js'

/** The live ETA of a bus as the live channel last sent it, where this process can read it. */
export type ReadLiveEta = (busId: string) => Promise<{ tripId: string | null; eta: TripEtaNow | null } | null>

export interface FleetTripNow {
  id: string
  schoolId: string
  direction: 'to_school' | 'from_school'
  /** The timetable's first arrival and last departure today. */
  firstCallAt: Date
  lastCallAt: Date
  nextCall: {
    seq: number
    stopId: string
    nameZh: string
    nameEn: string | null
    plannedAt: Date
    expectedAt: Date | null
  } | null
  lateS: number | null
  lateSource: 'eta' | 'timetable' | null
  /** By the attendant's scans: boarded and not yet marked off. */
  pupilsOnBoard: number
}

export interface FleetBus {
  busId: string
  plate: string
  kind: string
  seats: number
  townId: string
  schoolIds: string[]
  state: BusState
  position: {
    ts: Date
    lat: number
    lon: number
    speedKmh: number | null
    headingDeg: number | null
    ignition: boolean | null
  } | null
  trip: FleetTripNow | null
  crew: { driver: string | null; attendant: string | null }
  device: DeviceHealth
  /** The bus's papers and its crew's, at their worst (the compliance register). */
  compliance: { bus: ComplianceStatus; crew: ComplianceStatus } | null
  openCases: number
}

export interface FleetState {
  now: Date
  date: string
  rules: { silentAfterS: number; lateAfterS: number; movingKmh: number; videoSilentAfterS: number }
  buses: FleetBus[]
  counts: Record<BusState, number>
  towns: { id: string; nameZh: string; nameEn: string }[]
  schools: { id: string; townId: string; nameZh: string; nameEn: string | null }[]
}

const tripWindowOptions = {
  tripLeadS: defaultEventRuleOptions.tripLeadS,
  tripGraceS: defaultEventRuleOptions.tripGraceS,
}

interface TodayTrip {
  id: string
  busId: string
  schoolId: string
  direction: 'to_school' | 'from_school'
  calls: (TimetabledCall & { nameEn: string | null })[]
  startsAt: Date
  endsAt: Date
  firstStopAt: Date
  lastStopAt: Date
}

function groupTodayTrips(rows: readonly TodayCallRow[], date: string): TodayTrip[] {
  const byTrip = new Map<string, TodayCallRow[]>()
  for (const row of rows) {
    const list = byTrip.get(row.tripId)
    if (list) list.push(row)
    else byTrip.set(row.tripId, [row])
  }
  return [...byTrip.values()].map((calls) => {
    const first = calls[0]!
    const timed = calls.map((call) => ({
      seq: call.seq,
      stopId: call.stopId,
      name: call.nameZh,
      nameEn: call.nameEn,
      arriveAt: fromShanghaiTime(date, call.arriveTime),
      departAt: fromShanghaiTime(date, call.departTime),
    }))
    const window = runningWindow(timed[0]!.arriveAt, timed[timed.length - 1]!.departAt, tripWindowOptions)
    return {
      id: first.tripId,
      busId: first.busId,
      schoolId: first.schoolId,
      direction: first.direction,
      calls: timed,
      ...window,
    }
  })
}

/**
 * The whole fleet (or a school's buses) as the bureau's console shows it, in a handful of queries
 * whatever the fleet's size: each bus's state, trip and next call, speed, crew, pupils on board,
 * device health, compliance standing and open cases. The trip running now is the timetable's
 * (lead and grace as the events part counts them), unless its attendant has ended it.
 */
export async function readFleetState(deps: {
  db: Queryable
  clock: Clock
  busIds: 'all' | readonly string[]
  liveEta?: ReadLiveEta
}): Promise<FleetState> {
  const { db, busIds } = deps
  const now = deps.clock.now()
  const local = toShanghaiTime(now)
  const dayStart = fromShanghaiTime(local.date, '00:00:00')
  const queries = createFleetStateQueries(db)
  const [rows, callRows, registers, removedByScore] = await Promise.all([
    queries.listFleetBuses(busIds, now),
    queries.listTodayCalls(busIds, local.isoWeekday),
    readRegisters(db, { registers: ['buses', 'staff'] }),
    readRemovedByScore(db, local.date),
  ])
  const trips = groupTodayTrips(callRows, local.date)
  const covering = trips.filter(
    (trip) => trip.startsAt.getTime() <= now.getTime() && now.getTime() <= trip.endsAt.getTime(),
  )
  const today = await queries.tripsToday(
    covering.map((trip) => trip.id),
    { date: local.date, start: dayStart },
  )
  const runningByBus = new Map<string, TodayTrip>()
  for (const row of rows) {
    const candidates = covering.filter((trip) => trip.busId === row.busId && !today.ended.has(trip.id))
    const running = pickRunningTrip(candidates, now.getTime())
    if (running) runningByBus.set(row.busId, running)
  }
  const compliance = new Map(
    buildComplianceReport({ ...registers, removedByScore }, local.date).buses.map((bus) => [bus.busId, bus]),
  )
  const liveEtas = new Map(
    await Promise.all(
      [...runningByBus.keys()].map(async (busId) => {
        const live = await deps.liveEta?.(busId).catch(() => null)
        return [busId, live ?? null] as const
      }),
    ),
  )

  const buses = rows.map((row): FleetBus => {
    const running = runningByBus.get(row.busId)
    const live = liveEtas.get(row.busId)
    const eta = running && live?.tripId === running.id ? live.eta : null
    const trip = running ? tripNow(running, eta, today, now) : null
    const offRoute =
      !!running &&
      (eta?.status === 'off_route' ||
        row.openEpisodes.some((e) => e.kind === 'route_off_corridor' && e.tripId === running.id))
    const lastReport = row.lastTs
      ? { ts: new Date(row.lastTs), speedKmh: row.speedKmh, ignition: row.ignition }
      : null
    const state = decideBusState(
      { lastReport, tripRunning: !!running, offRoute, lateS: trip?.lateS ?? null },
      now,
    )
    const standing = compliance.get(row.busId)
    return {
      busId: row.busId,
      plate: row.plate,
      kind: row.kind,
      seats: row.seats,
      townId: row.townId,
      schoolIds: row.schoolIds,
      state,
      position:
        row.lastTs && row.lat !== null && row.lon !== null
          ? {
              ts: new Date(row.lastTs),
              lat: row.lat,
              lon: row.lon,
              speedKmh: row.speedKmh,
              headingDeg: row.headingDeg,
              ignition: row.ignition,
            }
          : null,
      trip,
      crew: { driver: row.driverName, attendant: row.attendantName },
      device: judgeDeviceHealth(
        {
          lastReport: lastReport ? { ts: lastReport.ts, accuracyM: row.accuracyM } : null,
          status:
            row.statusTs && row.terminal ? { ts: new Date(row.statusTs), terminal: row.terminal } : null,
          video: row.videoTs && row.video ? { ts: new Date(row.videoTs), health: row.video } : null,
          limiter:
            row.limiterTs && row.limiterState
              ? { ts: new Date(row.limiterTs), state: row.limiterState, limitKmh: row.limitKmh }
              : null,
          openAlarms: row.openEpisodes
            .filter((e) => e.kind.startsWith('terminal_'))
            .map((e) => e.kind.slice('terminal_'.length)),
        },
        now,
      ),
      compliance: standing ? { bus: standing.status, crew: standing.crewStatus } : null,
      openCases: row.openCases,
    }
  })

  const counts = Object.fromEntries(busStates.map((state) => [state, 0])) as Record<BusState, number>
  for (const bus of buses) counts[bus.state]++
  const places = await queries.placeNames(
    [...new Set(buses.map((bus) => bus.townId))],
    [...new Set(buses.flatMap((bus) => bus.schoolIds))],
  )
  return {
    now,
    date: local.date,
    rules: { ...defaultBusStateRules, videoSilentAfterS: defaultDeviceHealthRules.videoSilentAfterS },
    buses,
    counts,
    ...places,
  }
}

function tripNow(
  trip: TodayTrip,
  eta: TripEtaNow | null,
  today: { visits: { tripId: string; kind: string; ts: Date; seq: number }[]; onBoard: Map<string, number> },
  now: Date,
): FleetTripNow {
  const visits = today.visits
    .filter((visit) => visit.tripId === trip.id)
    .map((visit) => ({
      seq: visit.seq,
      kind: visit.kind === 'stop_arrival' ? ('arrival' as const) : ('departure' as const),
      ts: new Date(visit.ts),
    }))
  const progress = judgeTripProgress({ calls: trip.calls, visits, eta, now })
  const next = progress.nextCall
  return {
    id: trip.id,
    schoolId: trip.schoolId,
    direction: trip.direction,
    firstCallAt: trip.firstStopAt,
    lastCallAt: trip.lastStopAt,
    nextCall: next
      ? {
          seq: next.seq,
          stopId: next.stopId,
          nameZh: next.name,
          nameEn: trip.calls.find((call) => call.seq === next.seq)?.nameEn ?? null,
          plannedAt: next.plannedAt,
          expectedAt: next.expectedAt,
        }
      : null,
    lateS: progress.lateS,
    lateSource: progress.source,
    pupilsOnBoard: today.onBoard.get(trip.id) ?? 0,
  }
}
