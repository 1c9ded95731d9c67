import { randomBytes } from 'node:crypto'
import { loadCixiWorld } from '../fixtures/cixi-world.js'
import { registersFromCixiWorld } from '../fixtures/cixi-registers.js'
import { createSeededRandom } from '../geo/random/seeded-random.js'
import { createRoadAtPointIndex } from '../geo/roads/road-at-point.js'
import { createGraphRouter } from '../geo/routing/graph-router.js'
import { createChildLeftOnBusAlarms } from '../server/alarms/child-left-on-bus.js'
import { readCommandLine } from '../server/core/cli/command-line.js'
import { fromShanghaiTime, toShanghaiTime } from '../server/core/clock/shanghai-time.js'
import { configSchema } from '../server/core/config/config-schema.js'
import { createLogger } from '../server/core/log/logger.js'
import { defaultEventRuleOptions } from '../server/core/schedule/event-rule-options.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { newStreamMember } from '../server/core/stream/stream-member.js'
import { seedCixiWorld } from '../server/seed/seed-cixi-world.js'
import { startIngestFrom } from '../workers/ingest/start-ingest.js'
import { startEventStream } from '../workers/events/start-event-stream.js'
import { busTripsFromRegisters } from '../workers/simulator/fleet-from-registers.js'
import { prepareRegisterSimulations } from '../workers/simulator/register-simulation.js'
import { createRoadSpeedLookup } from '../workers/simulator/road-speed-lookup.js'
import { resolveSimulationSettings, type FaultRates } from '../workers/simulator/simulation-settings.js'
import type { DeviationShares } from '../workers/simulator/choose-route-deviations.js'
import { openBenchDatabase } from './open-bench-database.js'
import { createDirectTelemetry } from './oversight/direct-telemetry.js'
import { measureConsoleLatency, type ConsoleFigures } from './oversight/console-latency.js'
import { writeEpisodesCsv } from './oversight/episodes-csv.js'
import { timeMonthReport, type MonthReportFigures } from './oversight/month-report.js'
import {
  addScores,
  emptyScore,
  matchEpisodes,
  type EpisodeMatches,
  type KindScore,
} from './oversight/match-episodes.js'
import { matchToleranceMs, oversightKinds, type OversightKind } from './oversight/oversight-episode.js'
import { createSettableClock, runOversightDay, type SimulationTap } from './oversight/run-oversight-day.js'

/**
 * `npm run eval:oversight [-- --days 5 --seed N --out FILE]`: what the platform raised against what
 * was injected. The Cixi fixture world is seeded into a store of the run's own as `npm start`
 * seeds it, and each school day its 36 buses drive their timetable in the simulator faster than
 * real time, with GPS noise and coverage holes, speeding drivers, limiters switched off or
 * failing, terminals losing power, detours, calls driven through, stands where no call is and a
 * pupil left aboard now and then, every one recorded as it happens. Each 5 s of simulated time the
 * reports go through the ingest worker into the store, the attendants' scans are recorded, the
 * events part (route rules included) derives what it derives and, every 15 s, the alarms part looks
 * for children left on buses, all on the simulated clock. Then the events raised are matched to the
 * episodes injected (oversight/injected-episodes.ts says which the platform must raise,
 * oversight/match-episodes.ts how they are paired): precision and recall per kind. Then the
 * month's county report is timed on a month of stored telemetry (oversight/month-report.ts), and
 * position to console in a real-time segment of the platform as `npm start` runs it
 * (oversight/console-latency.ts). Progress on stderr; one JSON line last on stdout.
 */
const commandLine = readCommandLine({
  usage: `usage: npm run eval:oversight [-- --days 5 --seed N --from YYYY-MM-DD --out FILE --month-days N --console-seconds S --database URL]

  --days N              school days simulated, Monday to Friday (default 5)
  --seed N              the simulator's and the faults' seed (default 2026)
  --from YYYY-MM-DD     the first day (default 2026-03-02)
  --out FILE            a CSV of every injected episode and raised event, with what it matched
  --month-days N        school days of the first day's month stored when the month's county report
                        is timed: the simulated days, and as many more filled by the reports
                        benchmark's generator (default 22, a whole month; 0 skips the report)
  --console-seconds S   the real-time segment timing position to console (default 90; 0 skips it)
  --console-at HH:MM    the Cixi time that segment runs at on the first day (default 07:10)
  --step-s S            simulated seconds per step: reports stored, scans recorded and the events
                        part ticked once a step (default 5, as the platform ticks)
  --database URL        a PostgreSQL server to make the run's databases on (default DATABASE_URL,
                        else embedded stores in temporary folders)`,
  options: {
    days: { type: 'string', default: '5' },
    seed: { type: 'string', default: '2026' },
    from: { type: 'string', default: '2026-03-02' },
    out: { type: 'string' },
    'month-days': { type: 'string', default: '22' },
    'console-seconds': { type: 'string', default: '90' },
    'console-at': { type: 'string', default: '07:10' },
    'step-s': { type: 'string', default: '5' },
    database: { type: 'string' },
  },
})
const { values } = commandLine
const dayCount = commandLine.number('days', { whole: true, min: 1, max: 23 })
const seed = commandLine.number('seed', { whole: true, min: 0 })
if (!/^\d{4}-\d\d-\d\d$/.test(values.from) || Number.isNaN(Date.parse(values.from)))
  commandLine.refuse(`--from: expected a date YYYY-MM-DD, got ${JSON.stringify(values.from)}`)
const monthDays = commandLine.number('month-days', { whole: true, min: 0, max: 23 })
const stepS = commandLine.number('step-s', { whole: true, min: 1, max: 60 })
const consoleSeconds = commandLine.number('console-seconds', { min: 0 })
if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(values['console-at']))
  commandLine.refuse(`--console-at: expected a time HH:MM, got ${JSON.stringify(values['console-at'])}`)
const databaseUrl = values.database?.trim() || process.env.DATABASE_URL?.trim() || undefined

/**
 * More of the rarer faults than the demo fleet has, so that a few days give each kind dozens of
 * episodes; speeding as the demo fleet has it (some drivers, on arterials, 3 to 16 km/h over).
 */
const oversightFaults: Partial<FaultRates> = {
  limiterDisabledPerDrivingHour: 0.4,
  limiterFaultPerDrivingHour: 0.05,
  terminalOffPerDrivingHour: 0.15,
  terminalOffS: [150, 900],
}
const deviationShares: DeviationShares = { detour: 0.08, skipCall: 0.08, unapprovedStand: 0.08 }
const LEFT_ABOARD_SHARE = 0.06
/** The alarms part checks every 5 s; the alarm is dated from the standstill, not the check. */
const ALARM_CHECK_MS = 15_000

const started = performance.now()
const say = (line: string) =>
  process.stderr.write(`oversight [${((performance.now() - started) / 1000).toFixed(0)} s]: ${line}\n`)
const log = createLogger({ level: 'warn' })
const rules = defaultEventRuleOptions
const leftOnBusAfterS = configSchema.shape.LEFT_ON_BUS_AFTER_S.parse(undefined)

const store = await openBenchDatabase(databaseUrl, `stp_oversight_${randomBytes(4).toString('hex')}`)
let failure: string | null = null
const days: { date: string; matches: EpisodeMatches; reports: number; seconds: number }[] = []
let month: MonthReportFigures | null = null
let consoleFigures: ConsoleFigures | null = null
try {
  const { db } = store
  const migration = await migrateDatabase(db)
  say(`store: ${databaseUrl ? 'postgres' : 'pglite'}${migration.timescale ? ' with TimescaleDB' : ''}`)
  const world = await loadCixiWorld()
  await seedCixiWorld(db, world)
  const registers = registersFromCixiWorld(world)
  const router = createGraphRouter(world.roads)
  const settings = resolveSimulationSettings({ seed, faults: oversightFaults })
  const tap: { current: SimulationTap | undefined } = { current: undefined }
  const source = await prepareRegisterSimulations(
    registers,
    { network: world.roads, router, graph: router.graph },
    settings,
    {
      onStopCall: (event) => tap.current?.onStopCall(event),
      onFault: (fault) => tap.current?.onFault(fault),
    },
  )
  const fleetTrips = busTripsFromRegisters(registers)
  const schoolSiteByCode = new Map(registers.schools.map((school) => [school.code, school]))
  const busSchools = new Map(registers.buses.map((bus) => [bus.code, bus.schoolCode]))
  const tripSchools = new Map(registers.trips.map((trip) => [trip.code, trip.schoolCode]))
  const schoolSites = (busId: string) =>
    [busSchools.get(busId), ...(fleetTrips.get(busId) ?? []).map((trip) => tripSchools.get(trip.id))].flatMap(
      (code) => {
        const school = code ? schoolSiteByCode.get(code) : undefined
        return school && school.lat !== null && school.lon !== null
          ? [{ lat: school.lat, lon: school.lon }]
          : []
      },
    )

  const dates = listSchoolDays(values.from, dayCount)
  const clock = createSettableClock(fromShanghaiTime(dates[0]!, '00:00:00').getTime())
  const telemetry = createDirectTelemetry()
  const ingest = await startIngestFrom({ db, connect: telemetry.connect, clock, log })
  const events = startEventStream({
    db,
    roads: createRoadAtPointIndex(router.graph),
    router,
    clock,
    log,
    publish: () => undefined,
    member: newStreamMember('events'),
    // Read and tick only when the run asks, at the simulated time; never lose the lease to a slow step.
    stream: { pollMs: 3_600_000, tickMs: 3_600_000, leaseTtlMs: 3_600_000 },
  })
  const alarms = createChildLeftOnBusAlarms({
    db,
    clock,
    log,
    afterS: leftOnBusAfterS,
    publish: () => undefined,
  })
  const random = createSeededRandom(seed).fork('oversight')
  try {
    for (const date of dates) {
      const day = await runOversightDay(
        {
          db,
          source,
          tap,
          telemetry,
          events,
          alarms,
          clock,
          fleetTrips,
          schoolSites,
          roads: {
            router,
            graph: router.graph,
            roadSpeedAt: createRoadSpeedLookup(router.graph),
            brakingMs2: settings.driving.brakingMs2,
          },
          shares: deviationShares,
          leftAboardShare: LEFT_ABOARD_SHARE,
          rules,
          stepMs: stepS * 1000,
          alarmCheckMs: ALARM_CHECK_MS,
          say,
        },
        date,
        random.fork(date),
      )
      const matches = matchEpisodes(day.injected, day.raised)
      days.push({ date, matches, reports: day.reports, seconds: day.seconds })
      say(
        `${date}: ${day.reports} reports, ${day.scans} scans in ${day.seconds} s (${day.platformSeconds} s in the platform's parts); ` +
          oversightKinds
            .map((kind) => {
              const s = matches.byKind[kind]
              return `${kind} ${s.detected}/${s.must} found, ${s.falsePositives} false`
            })
            .join(', '),
      )
    }
  } finally {
    await events.stop()
    await ingest.stop()
  }
  if (values.out) {
    await writeEpisodesCsv(values.out, days)
    say(`episodes written to ${values.out}`)
  }
  if (monthDays > 0) {
    month = await timeMonthReport(db, { simulatedDates: dates, monthDays, seed, say })
    say(
      `the month's county report on ${month.monthDaysStored} days (${month.positionsStored} positions): ` +
        `${month.reportMonthSeconds} s; aggregating the days took ${month.refreshSeconds} s`,
    )
  }
  if (consoleSeconds > 0) {
    consoleFigures = await measureConsoleLatency({
      registers,
      roads: { network: world.roads, router },
      settings,
      date: dates[0]!,
      localTime: `${values['console-at']}:00`,
      seconds: consoleSeconds,
      warmupS: 10,
      databaseUrl,
      log,
      say,
    })
    say(`position to console: ${JSON.stringify(consoleFigures)}`)
  }
} catch (error) {
  failure = error instanceof Error ? (error.stack ?? error.message) : String(error)
  say(failure)
} finally {
  await store.dispose().catch((error: unknown) => say(`cleanup failed: ${String(error)}`))
}

const totals = Object.fromEntries(
  oversightKinds.map((kind) => [
    kind,
    days.reduce((sum: KindScore, day) => addScores(sum, day.matches.byKind[kind]), emptyScore()),
  ]),
) as Record<OversightKind, KindScore>
console.log(
  JSON.stringify({
    days: days.length,
    seed,
    store: databaseUrl ? 'postgres' : 'pglite',
    reports: days.reduce((n, day) => n + day.reports, 0),
    precision: Object.fromEntries(oversightKinds.map((kind) => [kind, totals[kind].precision])),
    recall: Object.fromEntries(oversightKinds.map((kind) => [kind, totals[kind].recall])),
    reportMonthSeconds: month?.reportMonthSeconds ?? null,
    consoleP99Ms: consoleFigures?.consoleP99Ms ?? null,
    counts: totals,
    toleranceS: Object.fromEntries(oversightKinds.map((kind) => [kind, matchToleranceMs[kind] / 1000])),
    month,
    console: consoleFigures,
    seconds: Math.round((performance.now() - started) / 1000),
    ...(failure ? { failed: failure.split('\n')[0] } : {}),
  }),
)
process.exit(failure ? 1 : 0)

function listSchoolDays(from: string, count: number): string[] {
  const dates: string[] = []
  for (let ms = fromShanghaiTime(from, '12:00:00').getTime(); dates.length < count; ms += 86_400_000) {
    const local = toShanghaiTime(new Date(ms))
    if (local.isoWeekday <= 5) dates.push(local.date)
  }
  return dates
}
