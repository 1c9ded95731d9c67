import { randomBytes } from 'node:crypto'
import { loadCixiWorld } from '../fixtures/cixi-world.js'
import { createSeededRandom } from '../geo/random/seeded-random.js'
import { readCommandLine } from '../server/core/cli/command-line.js'
import { toShanghaiTime } from '../server/core/clock/shanghai-time.js'
import { buildReport } from '../server/core/reports/build-report.js'
import { refreshReportDay } from '../server/core/reports/refresh-report-days.js'
import { datesBetween, reportPeriod } from '../server/core/reports/report-period.js'
import { reportGroupings, type Report, type ReportGrouping } from '../server/core/reports/roll-up-report.js'
import { writeReportWorkbook } from '../server/core/reports/write-report-files.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { createReportDayQueries, serviceDayBounds } from '../server/core/store/report-day-queries.js'
import { defaultDrivingSettings } from '../workers/simulator/simulation-settings.js'
import { seedCixiWorld } from '../server/seed/seed-cixi-world.js'
import { openBenchDatabase } from './open-bench-database.js'
import { readTimetable } from './reports/month-telemetry.js'
import { storeFleetDay } from './reports/store-fleet-day.js'

/**
 * `npm run bench:reports [-- --month 2026-03 --days 22 --interval-s 1 --seed N --database URL]`: the
 * oversight reports on a month of stored telemetry. The Cixi fixture world (36 school buses) is
 * seeded into an empty store, then each school day of the month is filled: every bus drives its
 * timetable's trips at the simulator's report interval (bench/reports/month-telemetry.ts), with stop
 * arrivals, alarms, scans and trip ends; the alarm cases are acknowledged and closed as a bureau
 * would. Then each day is aggregated as the alarms part does when it closes (timed), and the
 * month's county report, and the month by bus, driver, school and town, are built from the
 * aggregates (timed), and the month written as a workbook. The store is embedded PGlite in a
 * temporary folder, or a database of its own on the PostgreSQL server `--database` (or
 * DATABASE_URL) names, dropped afterwards. Progress on stderr; the last line on stdout is one JSON
 * object. Goal: the month's report under 2 s.
 */
const commandLine = readCommandLine({
  usage: `usage: npm run bench:reports [-- --month 2026-03 --days 22 --interval-s 1 --seed N --database URL]

  --month YYYY-MM    the month filled and reported (default 2026-03)
  --days N           school days filled, Mondays to Fridays from the 1st (default 22, at most the month's)
  --interval-s S     seconds between a moving bus's reports (default the simulator's, ${defaultDrivingSettings.reportIntervalS})
  --seed N           the telemetry's seed (default 1)
  --database URL     a PostgreSQL server to make the run's database on (default DATABASE_URL, else an
                     embedded store in a temporary folder)`,
  options: {
    month: { type: 'string', default: '2026-03' },
    days: { type: 'string', default: '22' },
    'interval-s': { type: 'string', default: String(defaultDrivingSettings.reportIntervalS) },
    seed: { type: 'string', default: '1' },
    database: { type: 'string' },
  },
})
const { values } = commandLine
const month = reportPeriod('month', values.month)
if (!month) commandLine.refuse(`--month: expected a month YYYY-MM, got ${JSON.stringify(values.month)}`)
const days = commandLine.number('days', { whole: true, min: 1, max: 23 })
const intervalS = commandLine.number('interval-s', { min: 0.2, max: 60 })
const seed = commandLine.number('seed', { whole: true, min: 0 })
const databaseUrl = values.database?.trim() || process.env.DATABASE_URL?.trim() || undefined

const started = performance.now()
const say = (line: string) =>
  process.stderr.write(`reports [${((performance.now() - started) / 1000).toFixed(1)} s]: ${line}\n`)
const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits

async function timed<T>(label: string, work: () => Promise<T>): Promise<[T, number]> {
  const at = performance.now()
  const result = await work()
  const s = (performance.now() - at) / 1000
  say(`${label}: ${s.toFixed(3)} s`)
  return [result, s]
}

const result = {
  store: databaseUrl ? 'postgres' : 'pglite',
  timescale: false,
  buses: 0,
  days: 0,
  positions: 0,
  events: 0,
  scans: 0,
  fillSeconds: null as number | null,
  aggregateSeconds: null as number | null,
  aggregateDayMaxSeconds: null as number | null,
  /** The longest another query waited on the store while a day was aggregated: what live positions wait. */
  aggregateStallMaxMs: null as number | null,
  reportMonthSeconds: null as number | null,
  reportMonthByBusSeconds: null as number | null,
  reportMonthByDriverSeconds: null as number | null,
  reportMonthBySchoolSeconds: null as number | null,
  reportMonthByTownSeconds: null as number | null,
  reportDaySeconds: null as number | null,
  workbookSeconds: null as number | null,
  kmDriven: null as number | null,
  kmReported: null as number | null,
  tripsRun: null as number | null,
  onTimeRate: null as number | null,
  peakRssMb: null as number | null,
}
let failure: string | null = null
const store = await openBenchDatabase(databaseUrl, `stp_reports_${randomBytes(4).toString('hex')}`)
try {
  const { db } = store
  const migration = await migrateDatabase(db)
  result.timescale = migration.timescale
  say(`store: ${result.store}${migration.timescale ? ' with TimescaleDB' : ', plain tables'}`)
  await seedCixiWorld(db, await loadCixiWorld())
  const timetable = await readTimetable(db)
  result.buses = timetable.size

  const schoolDays = datesBetween(month!.from, month!.to)
    .filter((date) => toShanghaiTime(serviceDayBounds(date).from).isoWeekday <= 5)
    .slice(0, days)
  result.days = schoolDays.length
  const random = createSeededRandom(seed)
  let drivenM = 0
  const fillStart = performance.now()
  for (const date of schoolDays) {
    const day = await storeFleetDay(db, timetable, random, date, {
      intervalS,
      parkedIntervalS: defaultDrivingSettings.parkedReportIntervalS,
    })
    drivenM += day.drivenM
    result.positions += day.positions
    result.events += day.events
    result.scans += day.scans
    say(`filled ${date}: ${day.positions} positions, ${day.events} events, ${day.scans} scans`)
  }
  // The bureau acknowledges most alarms within minutes and closes most of them within hours.
  await db.exec(`
UPDATE alarm_cases SET state = 'acknowledged', acknowledged_by = 'bench',
  acknowledged_at = event_ts + (60 + abs(hashtext(bus_id || kind || event_ts::text)) % 1200) * interval '1 second'
WHERE abs(hashtext(bus_id || kind || event_ts::text)) % 10 < 8;
UPDATE alarm_cases SET state = 'closed', closed_by = 'bench', outcome = 'resolved',
  closed_at = acknowledged_at + (600 + abs(hashtext(kind || bus_id || event_ts::text)) % 7200) * interval '1 second'
WHERE acknowledged_at IS NOT NULL AND abs(hashtext(kind || bus_id || event_ts::text)) % 10 < 7;`)
  result.fillSeconds = round((performance.now() - fillStart) / 1000, 1)
  result.kmDriven = round(drivenM / 1000, 1)
  say(`filled ${result.positions} positions in ${result.fillSeconds} s`)

  const queries = createReportDayQueries(db)
  const closedAt = new Date(serviceDayBounds(month!.to).to.getTime() + 3600_000)
  let aggregateSeconds = 0
  let dayMax = 0
  let stallMaxMs = 0
  for (const date of schoolDays) {
    let aggregating = true
    // A query due every 5 ms beside the aggregation, as the ingest and the live feed ask: the
    // stall is from when it was due to its answer, the event loop's wait and the store's.
    const probe = (async () => {
      while (aggregating) {
        const dueAt = performance.now() + 5
        await new Promise((resolve) => setTimeout(resolve, 5))
        await db.query('SELECT 1')
        stallMaxMs = Math.max(stallMaxMs, performance.now() - dueAt)
      }
    })()
    const [counts, s] = await timed(`aggregate ${date}`, () =>
      refreshReportDay(queries, date, closedAt).finally(() => (aggregating = false)),
    )
    await probe
    if (counts.busDays === 0) throw new Error(`${date} aggregated to no bus days`)
    aggregateSeconds += s
    dayMax = Math.max(dayMax, s)
  }
  result.aggregateSeconds = round(aggregateSeconds, 2)
  result.aggregateDayMaxSeconds = round(dayMax, 2)
  result.aggregateStallMaxMs = Math.round(stallMaxMs)

  const scope = { kind: 'all' } as const
  const monthly = async (by: ReportGrouping) =>
    timed(`month by ${by}`, () => buildReport(queries, { period: month!, by, scope }))
  // Once untimed, so that every timed report meets a warm store, as a page's second look does.
  await buildReport(queries, { period: month!, by: 'county', scope })
  const [county, countySeconds] = await monthly('county')
  result.reportMonthSeconds = round(countySeconds)
  const reports: Report[] = []
  for (const by of reportGroupings) {
    if (by === 'county') {
      reports.push(county)
      continue
    }
    const [report, s] = await monthly(by)
    reports.push(report)
    const key = `reportMonthBy${by[0]!.toUpperCase()}${by.slice(1)}Seconds` as keyof typeof result
    ;(result as Record<string, unknown>)[key] = round(s)
  }
  const [, daySeconds] = await timed('a day by bus', () =>
    buildReport(queries, { period: reportPeriod('day', schoolDays[0]!)!, by: 'bus', scope }),
  )
  result.reportDaySeconds = round(daySeconds)
  const [workbook, workbookSeconds] = await timed('the month as a workbook', () =>
    writeReportWorkbook(reports, closedAt),
  )
  result.workbookSeconds = round(workbookSeconds)
  say(`workbook: ${(workbook.length / 1024).toFixed(0)} KB`)
  const totals = county.totals
  result.kmReported = totals.km as number
  result.tripsRun = totals.tripsRun as number
  result.onTimeRate = totals.onTimeRate as number | null
  say(`county: ${JSON.stringify(totals)}`)
} catch (error) {
  failure = error instanceof Error ? (error.stack ?? error.message) : String(error)
  say(failure)
} finally {
  await store.dispose().catch((error: unknown) => say(`cleanup failed: ${String(error)}`))
}
result.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024)
console.log(JSON.stringify(result))
process.exit(failure !== null ? 1 : 0)
