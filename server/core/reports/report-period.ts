/** A report's period: one service day, or a calendar month of them (Asia/Shanghai dates). */
export interface ReportPeriod {
  kind: 'day' | 'month'
  /** 'YYYY-MM-DD' for a day, 'YYYY-MM' for a month. */
  date: string
  /** The first and last service dates it covers, inclusive. */
  from: string
  to: string
}

export const reportPeriodKinds = ['day', 'month'] as const

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/
const monthPattern = /^(\d{4})-(\d{2})$/

/** The period `date` names, or undefined if it is no such day or month ('2026-02-30', '2026-13'). */
export function reportPeriod(kind: ReportPeriod['kind'], date: string): ReportPeriod | undefined {
  if (kind === 'day') {
    const match = dayPattern.exec(date)
    if (!match) return undefined
    const parsed = new Date(`${date}T00:00:00Z`)
    if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) return undefined
    return { kind, date, from: date, to: date }
  }
  const match = monthPattern.exec(date)
  if (!match) return undefined
  const year = Number(match[1])
  const month = Number(match[2])
  if (month < 1 || month > 12) return undefined
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return { kind, date, from: `${date}-01`, to: `${date}-${String(lastDay).padStart(2, '0')}` }
}

/** Every date from `from` to `to`, inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const dates: string[] = []
  for (let ms = Date.parse(`${from}T00:00:00Z`); ms <= Date.parse(`${to}T00:00:00Z`); ms += 86_400_000) {
    dates.push(new Date(ms).toISOString().slice(0, 10))
  }
  return dates
}
