import { loadCixiWorld, type Trip } from '../fixtures/cixi-world.js'
import { createEtaTracker, type EtaFix, type EtaTracker, type ScheduledCall } from '../geo/eta/eta-tracker.js'
import {
  learnLegTimes,
  type DwellObservation,
  type LegObservation,
  type LegTimeTable,
} from '../geo/eta/learned-leg-times.js'
import { buildTripRoute, type TripRoute } from '../geo/eta/trip-route.js'
import { observeStopEvents, type StopEvent } from '../geo/eta/stop-event-observations.js'
import { createGraphRouter } from '../geo/routing/graph-router.js'
import { fromShanghaiTime, toShanghaiTime } from '../server/core/clock/shanghai-time.js'
import type { DerivedEvent } from '../workers/events/derived-event.js'
import { defaultEventRuleOptions } from '../server/core/schedule/event-rule-options.js'
import { createStopVisitRule, type StopVisitRule } from '../workers/events/stop-visit-rule.js'
import { createTripCalendar, type ScheduledTrip } from '../server/core/schedule/trip-calendar.js'
import { prepareRegisterSimulations } from '../workers/simulator/register-simulation.js'
import { registersFromCixiWorld } from '../fixtures/cixi-registers.js'
import type { SimulatedReport, StopCallEvent } from '../workers/simulator/simulated-report.js'
import { resolveSimulationSettings } from '../workers/simulator/simulation-settings.js'
import { readCommandLine } from '../server/core/cli/command-line.js'

/**
 * `npm run eval:eta [-- --days 6 --seed 2026 --from 2026-03-02]`: how far the ETA is off. Replays
 * school days (Monday to Friday) of the 36 fixture buses through the simulator, with its own
 * traffic, GPS noise, coverage holes and late delivery, and feeds each bus's reports as delivered
 * to a tracker for the trip the timetable says it runs. The estimate made 2, 5 and 10
 * minutes before each true arrival at a stop after the trip's first is scored against that
 * arrival. Leg and dwell times are learned from the stop events the server derives from the
 * earlier days' reports, never from the simulator's truth, so the first day only teaches. The
 * baseline is the same tracker on router times and timetable dwells. Prints one JSON line last.
 */
const commandLine = readCommandLine({
  usage: `usage: npm run eval:eta [-- --days 6 --seed 2026 --from 2026-03-02]

  --days N            school days replayed, the first of which only teaches (default 6)
  --seed N            the simulator's seed (default: its own)
  --from YYYY-MM-DD   the first day (default 2026-03-02)`,
  options: {
    days: { type: 'string', default: '6' },
    seed: { type: 'string' },
    from: { type: 'string', default: '2026-03-02' },
  },
})
const { values } = commandLine
const dayCount = commandLine.number('days', { whole: true, min: 2 })
if (!/^\d{4}-\d\d-\d\d$/.test(values.from) || Number.isNaN(Date.parse(values.from)))
  commandLine.refuse(`--from: expected a date YYYY-MM-DD, got ${JSON.stringify(values.from)}`)
const settings = resolveSimulationSettings(
  values.seed === undefined ? {} : { seed: commandLine.number('seed', { whole: true }) },
)
const HORIZONS_MIN = [2, 5, 10] as const
const say = (line: string) => process.stderr.write(line + '\n')
const startedMs = performance.now()

const world = await loadCixiWorld()
const router = createGraphRouter(world.roads)
const stopById = new Map(world.stops.map((stop) => [stop.id, stop]))
const tripById = new Map<string, Trip>(world.trips.map((trip) => [trip.id, trip]))
/** The timetable as the store holds it: stops numbered from 1. */
const scheduledTrips: ScheduledTrip[] = world.trips.map((trip) => ({
  id: trip.id,
  busId: trip.busId,
  stops: trip.stops.map((call, i) => ({
    seq: i + 1,
    stopId: call.stopId,
    lat: stopById.get(call.stopId)!.location.lat,
    lon: stopById.get(call.stopId)!.location.lon,
    arriveTime: call.arrive,
    departTime: call.depart,
  })),
}))
const routes = new Map<string, TripRoute>()
for (const trip of scheduledTrips) routes.set(trip.id, await buildTripRoute(trip.stops, router))

let truth: StopCallEvent[] = []
const source = await prepareRegisterSimulations(
  registersFromCixiWorld(world),
  { network: world.roads, router, graph: router.graph },
  settings,
  { onStopCall: (call) => truth.push(call) },
)
say(`prepared ${routes.size} trip routes and the fleet in ${secondsSince(startedMs)} s`)

const legObservations: LegObservation[] = []
const dwellObservations: DwellObservation[] = []
const total = { learned: createScoreboard(), baseline: createScoreboard() }
let scoredTrips = 0
/** What the last day's learned figures were scaled by to add up over several stops. */
let lastChainFactor: number | null = null

for (const date of listSchoolDays(values.from, dayCount)) {
  const dayStartedMs = performance.now()
  truth = []
  const reports = source
    .simulationAt(fromShanghaiTime(date, '12:00:00'))
    .simulateWindow(fromShanghaiTime(date, '00:00:00'), fromShanghaiTime(date, '23:59:59'))
  const simulatedS = secondsSince(dayStartedMs)
  const learned = legObservations.length > 0 ? learnFromEarlierDays() : undefined
  const day = learned ? { learned: createScoreboard(), baseline: createScoreboard() } : undefined
  const events = await replayDay(date, reports, learned, day)
  addObservations(events)
  let summary = 'learning only'
  if (learned) lastChainFactor = learned.chainFactor
  if (day) {
    total.learned.addAll(day.learned)
    total.baseline.addAll(day.baseline)
    scoredTrips += new Set(truth.map((call) => call.tripId)).size
    summary =
      'MAE s, learned / baseline: ' +
      HORIZONS_MIN.map((h) => `${h} min ${day.learned.mae(h)} / ${day.baseline.mae(h)}`).join(', ')
  }
  say(
    `${date}: ${reports.length} reports simulated in ${simulatedS} s and replayed in ` +
      `${(secondsSince(dayStartedMs) - simulatedS).toFixed(1)} s, ${events.length} stop events; ${summary}`,
  )
}

console.log(
  JSON.stringify({
    days: dayCount,
    scoredDays: dayCount - 1,
    seed: settings.seed,
    trips: scoredTrips,
    predictions: HORIZONS_MIN.reduce((sum, h) => sum + total.learned.count(h), 0),
    ...Object.fromEntries(
      HORIZONS_MIN.flatMap((h) => [
        [`mae${h}MinS`, total.learned.mae(h)],
        [`baselineMae${h}MinS`, total.baseline.mae(h)],
      ]),
    ),
    ...Object.fromEntries(HORIZONS_MIN.map((h) => [`p90AbsErr${h}MinS`, total.learned.p90(h)])),
    ...Object.fromEntries(HORIZONS_MIN.map((h) => [`bias${h}MinS`, total.learned.bias(h)])),
    ...Object.fromEntries(HORIZONS_MIN.map((h) => [`unknown${h}Min`, total.learned.unknown(h)])),
    legObservations: legObservations.length,
    chainFactor: lastChainFactor,
    seconds: secondsSince(startedMs),
  }),
)

function learnFromEarlierDays(): LegTimeTable {
  return learnLegTimes(legObservations, {
    dwells: dwellObservations,
    routerLegS: (tripId, fromSeq) => routes.get(tripId)?.legRouterS[fromSeq - 1],
    scheduledDwellS: (tripId, seq) => {
      const call = tripById.get(tripId)?.stops[seq - 1]
      return (
        call && (Date.parse(`2000-01-01T${call.depart}Z`) - Date.parse(`2000-01-01T${call.arrive}Z`)) / 1000
      )
    },
  })
}

/**
 * One day's reports in delivery order, as the server sees them: per bus, the stop-visit rule and a
 * learned and a baseline tracker for the trip the calendar says is running. A trip's trackers
 * begin with the bus's last fix before the trip's first. Each scored instant is answered from the
 * reports delivered before it; a trip not yet running then has no estimate.
 */
async function replayDay(
  date: string,
  reports: SimulatedReport[],
  learned: LegTimeTable | undefined,
  score: { learned: Scoreboard; baseline: Scoreboard } | undefined,
): Promise<DerivedEvent[]> {
  const events: DerivedEvent[] = []
  const calendar = createTripCalendar({
    loadTrips: async () => scheduledTrips,
    tripLeadS: defaultEventRuleOptions.tripLeadS,
    tripGraceS: defaultEventRuleOptions.tripGraceS,
  })
  const noon = fromShanghaiTime(date, '12:00:00')
  await calendar.prepare([noon], noon)
  const buses = new Map<string, { rule: StopVisitRule; lastFix: EtaFix | undefined }>()
  const trackers = new Map<string, { learned: EtaTracker; baseline: EtaTracker }>()

  const busOf = (busId: string) => {
    let bus = buses.get(busId)
    if (!bus) {
      bus = {
        rule: createStopVisitRule(busId, defaultEventRuleOptions, (event) => events.push(event)),
        lastFix: undefined,
      }
      buses.set(busId, bus)
    }
    return bus
  }

  const trackersOf = (tripId: string, busId: string) => {
    let pair = trackers.get(tripId)
    if (!pair) {
      const route = routes.get(tripId)!
      const schedule = scheduleOf(tripById.get(tripId)!, date)
      pair = {
        learned: createEtaTracker(route, { tripId, learned, schedule }),
        baseline: createEtaTracker(route, { schedule }),
      }
      // When the trip begins to run, the server knows where the bus was last seen.
      const seen = busOf(busId).lastFix
      if (seen) {
        pair.learned.observe(seen)
        pair.baseline.observe(seen)
      }
      trackers.set(tripId, pair)
    }
    return pair
  }

  const targets = score ? listTargets(truth) : []
  let next = 0
  const answerTargetsBefore = (ms: number) => {
    for (; next < targets.length && targets[next]!.atMs < ms; next++) {
      const target = targets[next]!
      const pair = trackers.get(target.tripId)
      for (const kind of ['learned', 'baseline'] as const) {
        const stop = pair?.[kind].estimate(target.atMs).stops[target.stopIndex]
        const known = stop !== undefined && stop.etaTs !== null && !stop.passed
        score![kind].add(target.horizonMin, known ? (Date.parse(stop.etaTs!) - target.arriveMs) / 1000 : null)
      }
    }
  }

  for (const report of reports) {
    answerTargetsBefore(report.deliverAtMs)
    if (report.kind !== 'gps') continue
    const { payload, busId } = report
    const fix: EtaFix = {
      ts: new Date(typeof payload.ts === 'number' ? payload.ts : Date.parse(payload.ts)),
      lat: payload.lat,
      lon: payload.lon,
      speedKmh: payload.speedKmh,
    }
    const ms = fix.ts.getTime()
    const bus = busOf(busId)
    // As the event rules do: a report no newer than the bus's last is a repeat or came late.
    if (bus.lastFix && ms <= bus.lastFix.ts.getTime()) continue
    const running = calendar.findRunningTrip(busId, fix.ts)
    bus.rule.observe(fix, running)
    if (running) {
      const pair = trackersOf(running.tripId, busId)
      pair.learned.observe(fix)
      pair.baseline.observe(fix)
    }
    bus.lastFix = fix
  }
  answerTargetsBefore(Infinity)
  return events
}

interface Target {
  atMs: number
  arriveMs: number
  horizonMin: number
  busId: string
  tripId: string
  stopIndex: number
}

/** The instants to score, in time order: each horizon before every true arrival after a trip's first stop. */
function listTargets(calls: StopCallEvent[]): Target[] {
  return calls
    .filter((call) => call.event === 'arrive' && call.stopIndex > 0)
    .flatMap((call) =>
      HORIZONS_MIN.map((horizonMin) => ({
        atMs: call.atMs - horizonMin * 60_000,
        arriveMs: call.atMs,
        horizonMin,
        busId: call.busId,
        tripId: call.tripId,
        stopIndex: call.stopIndex,
      })),
    )
    .sort((a, b) => a.atMs - b.atMs)
}

/** What the day's stop events teach, read back as the server reads them from the store. */
function addObservations(events: DerivedEvent[]): void {
  const stopEvents: StopEvent[] = events.flatMap((event) =>
    event.tripId !== null && (event.kind === 'stop_arrival' || event.kind === 'stop_departure')
      ? [{ tripId: event.tripId, kind: event.kind, tsMs: event.ts.getTime(), seq: event.details.seq }]
      : [],
  )
  const { legs, dwells } = observeStopEvents(stopEvents, {
    scheduledFirstDepartMs: (tripId, runStartMs) => {
      const firstCall = tripById.get(tripId)?.stops[0]
      return (
        firstCall && fromShanghaiTime(toShanghaiTime(new Date(runStartMs)).date, firstCall.depart).getTime()
      )
    },
  })
  legObservations.push(...legs)
  dwellObservations.push(...dwells)
}

function scheduleOf(trip: Trip, date: string): ScheduledCall[] {
  return trip.stops.map((call) => ({
    arriveMs: fromShanghaiTime(date, call.arrive).getTime(),
    departMs: fromShanghaiTime(date, call.depart).getTime(),
  }))
}

function listSchoolDays(from: string, count: number): string[] {
  const days: string[] = []
  for (let ms = fromShanghaiTime(from, '12:00:00').getTime(); days.length < count; ms += 86_400_000) {
    const local = toShanghaiTime(new Date(ms))
    if (local.isoWeekday <= 5) days.push(local.date)
  }
  return days
}

/** Signed errors (estimate minus truth) per horizon, and how often the tracker said it did not know. */
interface Scoreboard {
  add(h: number, errorS: number | null): void
  addAll(other: Scoreboard): void
  errors(h: number): readonly number[]
  count(h: number): number
  unknown(h: number): number
  mae(h: number): number | null
  bias(h: number): number | null
  p90(h: number): number | null
}

function createScoreboard(): Scoreboard {
  const errorsS = new Map<number, number[]>(HORIZONS_MIN.map((h) => [h, []]))
  const unknown = new Map<number, number>(HORIZONS_MIN.map((h) => [h, 0]))
  const round1 = (value: number) => Math.round(value * 10) / 10
  const summarise = (h: number, of: (errors: number[]) => number) => {
    const errors = errorsS.get(h)!
    return errors.length === 0 ? null : round1(of(errors))
  }
  return {
    add(h, errorS) {
      if (errorS === null) unknown.set(h, unknown.get(h)! + 1)
      else errorsS.get(h)!.push(errorS)
    },
    addAll(other) {
      for (const h of HORIZONS_MIN) {
        errorsS.get(h)!.push(...other.errors(h))
        unknown.set(h, unknown.get(h)! + other.unknown(h))
      }
    },
    errors: (h) => errorsS.get(h)!,
    count: (h) => errorsS.get(h)!.length,
    unknown: (h) => unknown.get(h)!,
    mae: (h) => summarise(h, (e) => e.reduce((sum, x) => sum + Math.abs(x), 0) / e.length),
    bias: (h) => summarise(h, (e) => e.reduce((sum, x) => sum + x, 0) / e.length),
    p90: (h) =>
      summarise(
        h,
        (e) => e.map(Math.abs).sort((a, b) => a - b)[Math.min(e.length - 1, Math.floor(0.9 * e.length))]!,
      ),
  }
}

function secondsSince(fromMs: number): number {
  return Math.round((performance.now() - fromMs) / 100) / 10
}
