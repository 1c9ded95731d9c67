import { createSeededRandom } from '../../geo/random/seeded-random.js'
import { toShanghaiTime } from '../../server/core/clock/shanghai-time.js'
import { buildReport } from '../../server/core/reports/build-report.js'
import { refreshReportDay } from '../../server/core/reports/refresh-report-days.js'
import { datesBetween, reportPeriod } from '../../server/core/reports/report-period.js'
import type { Database } from '../../server/core/store/database.js'
import { createReportDayQueries, serviceDayBounds } from '../../server/core/store/report-day-queries.js'
import { defaultDrivingSettings } from '../../workers/simulator/simulation-settings.js'
import { readTimetable } from '../reports/month-telemetry.js'
import { storeFleetDay } from '../reports/store-fleet-day.js'

export interface MonthReportFigures {
  /** School days of the month with telemetry in the store when the report was timed. */
  monthDaysStored: number
  /** Of them, days simulated through the platform's parts, and days filled by the reports benchmark's generator. */
  monthDaysSimulated: number
  monthDaysFilled: number
  positionsStored: number
  fillSeconds: number
  /** Aggregating every stored day, as the alarms part does when a day closes: not part of the report's time. */
  refreshSeconds: number
  /** The month's county report built from the aggregates, on a warm store (once untimed before). */
  reportMonthSeconds: number
}

/**
 * The month's county report on a month of stored telemetry: the month of the simulated days, the
 * school days up to `monthDays` that were not simulated filled (every bus driving its timetable at
 * the simulator's report interval, with stop events, alarms, scans and trip ends:
 * bench/reports/month-telemetry.ts), every stored day aggregated, then the report built and timed.
 */
export async function timeMonthReport(
  db: Database,
  options: { simulatedDates: readonly string[]; monthDays: number; seed: number; say(line: string): void },
): Promise<MonthReportFigures> {
  const month = reportPeriod('month', options.simulatedDates[0]!.slice(0, 7))!
  const schoolDays = datesBetween(month.from, month.to).filter(
    (date) => toShanghaiTime(serviceDayBounds(date).from).isoWeekday <= 5,
  )
  const simulated = schoolDays.filter((date) => options.simulatedDates.includes(date))
  const fill = schoolDays
    .filter((date) => !simulated.includes(date))
    .slice(0, Math.max(0, options.monthDays - simulated.length))

  const fillStarted = performance.now()
  const timetable = await readTimetable(db)
  const random = createSeededRandom(options.seed).fork('month-fill')
  for (const date of fill) {
    const day = await storeFleetDay(db, timetable, random, date, {
      intervalS: defaultDrivingSettings.reportIntervalS,
      parkedIntervalS: defaultDrivingSettings.parkedReportIntervalS,
    })
    options.say(`filled ${date}: ${day.positions} positions`)
  }
  const fillSeconds = secondsSince(fillStarted)

  const stored = [...simulated, ...fill].sort()
  const queries = createReportDayQueries(db)
  const closedAt = new Date(serviceDayBounds(month.to).to.getTime() + 3_600_000)
  const refreshStarted = performance.now()
  for (const date of stored) await refreshReportDay(queries, date, closedAt)
  const refreshSeconds = secondsSince(refreshStarted)

  const request = { period: month, by: 'county', scope: { kind: 'all' } } as const
  // Once untimed, so that the timed report meets a warm store, as a page's second look does.
  await buildReport(queries, request)
  const reportStarted = performance.now()
  await buildReport(queries, request)
  const reportMonthSeconds = Math.round(((performance.now() - reportStarted) / 1000) * 1000) / 1000
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM positions WHERE ts >= $1 AND ts < $2`,
    [serviceDayBounds(month.from).from, serviceDayBounds(month.to).to],
  )
  return {
    monthDaysStored: stored.length,
    monthDaysSimulated: simulated.length,
    monthDaysFilled: fill.length,
    positionsStored: row?.n ?? 0,
    fillSeconds,
    refreshSeconds,
    reportMonthSeconds,
  }
}

function secondsSince(fromMs: number): number {
  return Math.round((performance.now() - fromMs) / 100) / 10
}
