import { createReportRefresher } from '../core/reports/refresh-report-days.js'
import { createReportDayQueries } from '../core/store/report-day-queries.js'
import { newStreamMember } from '../core/stream/stream-member.js'
import type { ProcessContext } from './process-context.js'
import { tickEvery } from './repeat-every.js'

/** How often the days due are looked for; today itself is aggregated every few minutes (see daysDue). */
const checkMs = 60_000

/**
 * The reports' daily aggregates kept current, in the alarms part: each closed day once, today every
 * few minutes, by the process's clock. Several processes may run it on one store; each day is
 * claimed by one of them at a time. Returns the stop of the step.
 */
export function startReportRefresh(
  context: Pick<ProcessContext, 'db' | 'clock' | 'log'>,
): () => Promise<void> {
  const log = context.log.child('reports')
  const refresher = createReportRefresher({
    queries: createReportDayQueries(context.db),
    clock: context.clock,
    holder: newStreamMember('reports'),
  })
  return tickEvery(checkMs, async () => {
    try {
      for (const day of await refresher.refreshDue()) {
        // Today's refreshes every few minutes would drown the log; a day closing is news.
        if (day.close)
          log.info(`aggregated ${day.date} for the reports`, { busDays: day.busDays, tripDays: day.tripDays })
      }
    } catch (error) {
      log.warn('could not aggregate days for the reports', { error: String(error) })
    }
  })
}
