import type { Lang } from '../shared/language.js'
import type { Grouping, ReportColumn, ReportRecord, ReportValue } from './reports-contract.js'
import { fixedColumns, type FixedColumn, type ReportsText } from './reports-text.js'

const isFixed = (key: string): key is FixedColumn => (fixedColumns as readonly string[]).includes(key)

/**
 * A column's header in the page's language: the page's own words for its key, and for a breakdown
 * (`overSpeed.primary`, `route.stop_skipped`, `alarms.terminal_sos`) its words for the kind. A kind
 * the page has no words for keeps the server's header in the page's language.
 */
export function columnWords(column: ReportColumn, by: Grouping, t: ReportsText): string {
  if (column.key === 'name') return t.nameColumn[by]
  if (isFixed(column.key)) return t.columns[column.key]
  const dot = column.key.indexOf('.')
  const group = column.key.slice(0, dot)
  const kind = column.key.slice(dot + 1)
  const server = t.lang === 'zh' ? column.zh : column.en
  if (dot < 0) return server
  if (group === 'overSpeed') {
    const road = t.roadClasses[kind]
    return road ? t.overSpeedOn(road) : server
  }
  const event = t.eventKinds[kind]
  if (!event) return server
  if (group === 'route') return t.routeViolation(event)
  if (group === 'alarms') return t.alarmOf(event)
  return server
}

/** The words of one kind of a breakdown column (for a chart's legend): `primary road`, `over-speed`. */
export function kindWords(column: ReportColumn, t: ReportsText): string {
  const kind = column.key.slice(column.key.indexOf('.') + 1)
  const known = column.group === 'overSpeedByRoad' ? t.roadClasses[kind] : t.eventKinds[kind]
  return known ?? columnWords(column, 'county', t)
}

/** The columns the table shows: every one, or without the breakdowns by kind. */
export function shownColumns(columns: readonly ReportColumn[], breakdowns: boolean): ReportColumn[] {
  return columns.filter((column) => breakdowns || column.group === undefined)
}

const formats: Record<Lang, Intl.NumberFormat> = {
  zh: new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 }),
  en: new Intl.NumberFormat('en', { maximumFractionDigits: 1 }),
}

/** A cell's value as text: numbers to one decimal, grouped; a dash for nothing (no call to divide by). */
export function formatValue(value: ReportValue | undefined, lang: Lang): string {
  if (value === null || value === undefined || value === '') return '—'
  if (typeof value === 'number') return formats[lang].format(value)
  return value
}

/**
 * A row's name in the page's language: the server names rows in both languages where it has no
 * register name of its own (the county, a driver not registered), which the page words itself.
 */
export function rowName(row: ReportRecord, by: Grouping, t: ReportsText): string {
  if (by === 'county') return t.county
  if (row.id === null || row.id === undefined) return t.unassigned[by]
  const name = row.name
  return typeof name === 'string' && name !== '' ? name : String(row.id)
}
