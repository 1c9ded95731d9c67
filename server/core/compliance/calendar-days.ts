/**
 * Arithmetic on calendar days written `YYYY-MM-DD`, as the registers hold them: a paper's validity,
 * an inspection, a birthday. Days are counted on the calendar, never through instants, so no time
 * zone or clock change moves a due date.
 */

const dayMs = 86_400_000

function toUtc(date: string): Date {
  return new Date(`${date}T00:00:00Z`)
}

function fromUtc(instant: Date): string {
  return instant.toISOString().slice(0, 10)
}

export function addDays(date: string, days: number): string {
  return fromUtc(new Date(toUtc(date).getTime() + days * dayMs))
}

/**
 * The same day `months` later; where that month is shorter, its last day (31 August plus six
 * months is 28 or 29 February), so a period never runs into the month after.
 */
export function addMonths(date: string, months: number): string {
  const start = toUtc(date)
  const monthIndex = start.getUTCFullYear() * 12 + start.getUTCMonth() + months
  const year = Math.floor(monthIndex / 12)
  const month = monthIndex - year * 12
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
  return fromUtc(new Date(Date.UTC(year, month, Math.min(start.getUTCDate(), lastDay))))
}

/** The same day `years` later; 29 February becomes 28 February in a common year. */
export function addYears(date: string, years: number): string {
  return addMonths(date, years * 12)
}

/** Whole days from `from` to `to`: negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to).getTime() - toUtc(from).getTime()) / dayMs)
}

/** 1 = Monday … 7 = Sunday, as the trips' weekdays count them. */
export function isoWeekdayOf(date: string): number {
  const day = toUtc(date).getUTCDay()
  return day === 0 ? 7 : day
}
