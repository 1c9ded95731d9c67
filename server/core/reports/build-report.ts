import type { ReportDayQueries } from '../store/report-day-queries.js'
import type { ReportPeriod } from './report-period.js'
import { rollUpReport, tripGroupings, type Report, type ReportGrouping } from './roll-up-report.js'

/** Whose figures a report holds: the bureau's all, or one school's (its trips, the buses serving it). */
export type ReportScope = { kind: 'all' } | { kind: 'school'; schoolId: string; busIds: readonly string[] }

/**
 * A report from the daily aggregates only (never raw positions): the period's bus days, or trip
 * days for a school grouping, rolled up by `by` and named from the registers.
 */
export async function buildReport(
  queries: ReportDayQueries,
  request: { period: ReportPeriod; by: ReportGrouping; scope: ReportScope },
): Promise<Report> {
  const { period, by, scope } = request
  const range = { from: period.from, to: period.to }
  const [days, labels] = await Promise.all([
    tripGroupings.has(by)
      ? queries.readTripDays({ ...range, schoolId: scope.kind === 'school' ? scope.schoolId : undefined })
      : queries.readBusDays({ ...range, busIds: scope.kind === 'school' ? scope.busIds : undefined }),
    queries.readLabels(),
  ])
  return rollUpReport({ period, by, days, labels })
}
