import {
  groupings,
  periodKinds,
  schoolGroupings,
  type Grouping,
  type PeriodKind,
} from './reports-contract.js'
import type { ReportQuery } from './reports-api.js'

const dayPattern = /^(20\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/
const monthPattern = /^(20\d\d)-(0[1-9]|1[0-2])$/

/** The groupings a role may ask for: a school its buses, drivers and itself; the bureau all. */
export const groupingsFor = (role: 'bureau' | 'school'): readonly Grouping[] =>
  role === 'school' ? schoolGroupings : groupings

/** The day before `date` ('YYYY-MM-DD'). */
export function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)
}

/** True for a real day (`2026-02-30` is none) or month of the years the server reports on. */
export function isPeriodDate(period: PeriodKind, date: string): boolean {
  if (period === 'month') return monthPattern.test(date)
  if (!dayPattern.test(date)) return false
  return new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date
}

/**
 * The report a page opens on: what its address asks (a reload keeps the view), else yesterday, the
 * last whole day, by bus. A grouping the role may not see, or a date that is none, falls back.
 */
export function initialQuery(search: string, role: 'bureau' | 'school', today: string): ReportQuery {
  const params = new URLSearchParams(search)
  const period = (periodKinds as readonly string[]).includes(params.get('period') ?? '')
    ? (params.get('period') as PeriodKind)
    : 'day'
  const asked = params.get('date') ?? ''
  const date = isPeriodDate(period, asked) ? asked : period === 'day' ? dayBefore(today) : today.slice(0, 7)
  const by = params.get('by') as Grouping | null
  return { period, date, by: by && groupingsFor(role).includes(by) ? by : 'bus' }
}

/** The query when the period changes: a day of the month shown, or the month of the day shown. */
export function switchPeriod(query: ReportQuery, period: PeriodKind, today: string): ReportQuery {
  if (period === query.period) return query
  if (period === 'month') return { ...query, period, date: query.date.slice(0, 7) }
  // The month's last day that has passed: a whole day, never one still to come.
  const yesterday = dayBefore(today)
  const date = yesterday.startsWith(query.date) ? yesterday : lastDayOf(query.date)
  return { ...query, period, date: date < yesterday ? date : yesterday }
}

function lastDayOf(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(year, m, 0)).toISOString().slice(0, 10)
}
