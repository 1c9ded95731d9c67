import type { Clock } from '../clock/clock.js'
import { toShanghaiTime } from '../clock/shanghai-time.js'
import {
  serviceDayBounds,
  type ReportDayQueries,
  type ReportRefreshState,
} from '../store/report-day-queries.js'

export interface ReportRefreshRules {
  /** Today (and yesterday, until it closes) is aggregated again this often. */
  openDayEveryMs: number
  /** A day closes this long after its end: reports a terminal buffered without coverage come first. */
  closeAfterMs: number
  /** Days before today looked at for closing, after the platform was stopped for a while. */
  catchUpDays: number
  /** How long one process holds a day it aggregates, should it die doing so. */
  claimMs: number
}

export const defaultReportRefreshRules: ReportRefreshRules = {
  openDayEveryMs: 5 * 60_000,
  closeAfterMs: 60 * 60_000,
  catchUpDays: 35,
  claimMs: 10 * 60_000,
}

export interface DueDay {
  date: string
  /** Aggregated for the last time: the day has closed. */
  close: boolean
}

const dayMs = 86_400_000
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10)

/**
 * The days to aggregate at `now`, oldest first: each day of the catch-up span that has closed but
 * was never aggregated closed, and the days still open (today, and yesterday within closeAfterMs of
 * its end) not aggregated within openDayEveryMs.
 */
export function daysDue(
  now: Date,
  states: readonly ReportRefreshState[],
  rules: ReportRefreshRules = defaultReportRefreshRules,
): DueDay[] {
  const today = toShanghaiTime(now).date
  const byDate = new Map(states.map((state) => [state.date, state]))
  const due: DueDay[] = []
  for (let back = rules.catchUpDays; back >= 0; back--) {
    const date = addDays(today, -back)
    const state = byDate.get(date)
    if (state?.closed) continue
    const closes = serviceDayBounds(date).to.getTime() + rules.closeAfterMs <= now.getTime()
    if (closes) {
      due.push({ date, close: true })
    } else if (!state?.refreshedAt || now.getTime() - state.refreshedAt.getTime() >= rules.openDayEveryMs) {
      due.push({ date, close: false })
    }
  }
  return due
}

/** Brings one day's aggregates up to date: its hours of positions, then its bus and trip days. */
export async function refreshReportDay(queries: ReportDayQueries, date: string, now: Date) {
  const { from, to } = serviceDayBounds(date)
  await queries.refreshHourly(from, to)
  return queries.aggregateDay(date, now)
}

/**
 * Keeps the daily aggregates current, by the injected clock: each call aggregates the days due
 * (daysDue), each claimed for this holder first so that of several processes on one store one
 * aggregates a day and the others pass it by.
 */
export function createReportRefresher(options: {
  queries: ReportDayQueries
  clock: Clock
  holder: string
  rules?: ReportRefreshRules
}) {
  const { queries, clock, holder } = options
  const rules = options.rules ?? defaultReportRefreshRules
  return {
    async refreshDue(): Promise<(DueDay & { busDays: number; tripDays: number })[]> {
      const now = clock.now()
      const oldest = addDays(toShanghaiTime(now).date, -rules.catchUpDays)
      const done: (DueDay & { busDays: number; tripDays: number })[] = []
      for (const day of daysDue(now, await queries.refreshStates(oldest), rules)) {
        const at = clock.now()
        if (!(await queries.claimDay(day.date, holder, at, new Date(at.getTime() + rules.claimMs)))) continue
        const counts = await refreshReportDay(queries, day.date, at)
        await queries.markRefreshed(day.date, at, day.close)
        done.push({ ...day, ...counts })
      }
      return done
    },
  }
}
