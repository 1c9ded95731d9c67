import type { ReportLabels } from '../store/report-day-queries.js'
import {
  addMeasures,
  emptyMeasures,
  reportRules,
  routeViolationKinds,
  type BusDay,
  type DayMeasures,
  type TripDay,
} from './report-measures.js'
import { eventKindLabel, roadClassLabel, roadClassOrder, type Label } from './report-labels.js'
import type { ReportPeriod } from './report-period.js'

export const reportGroupings = ['bus', 'driver', 'school', 'town', 'county'] as const
export type ReportGrouping = (typeof reportGroupings)[number]

/** Groupings read from trip days (a school's measures are its trips'); the others from bus days. */
export const tripGroupings: ReadonlySet<ReportGrouping> = new Set(['school'])

export type ReportValue = string | number | null
export type ReportRecord = Record<string, ReportValue>

export interface ReportColumn {
  key: string
  zh: string
  en: string
  /** `label` columns name the row; the others hold numbers (null where there is nothing to divide). */
  type: 'label' | 'number'
  unit?: 'km' | 'min' | '%' | 'km/h'
  /** The columns of one measure broken down by kind, drawn together (a stacked bar, say). */
  group?: 'overSpeedByRoad' | 'routeViolations' | 'alarms'
}

/** A report as the API answers it and the files write it: a table, with its totals row. */
export interface Report {
  period: ReportPeriod
  by: ReportGrouping
  columns: ReportColumn[]
  rows: ReportRecord[]
  totals: ReportRecord
}

/** What one row adds up, from its days. */
interface Sum {
  id: string
  measures: DayMeasures
  pupils: Set<string>
  /** Dates on which a trip ran or the bus drove. */
  dates: Set<string>
  maxSpeedKmh: number | null
}

const groupingLabels: Record<ReportGrouping, Label> = {
  bus: { zh: '车辆', en: 'bus' },
  driver: { zh: '驾驶员', en: 'driver' },
  school: { zh: '学校', en: 'school' },
  town: { zh: '乡镇', en: 'town' },
  county: { zh: '全县', en: 'county' },
}

export const groupingTitle = (by: ReportGrouping): string =>
  `按${groupingLabels[by].zh} by ${groupingLabels[by].en}`

/** Rows with no driver, town or school in the registers on their day fall in this group. */
const unassigned = ''

function keyOf(by: ReportGrouping, day: BusDay | TripDay): string {
  switch (by) {
    case 'bus':
      return day.busId
    case 'driver':
      return day.driverId ?? unassigned
    case 'school':
      return ('schoolId' in day ? day.schoolId : null) ?? unassigned
    case 'town':
      return ('townId' in day ? day.townId : null) ?? unassigned
    case 'county':
      return 'county'
  }
}

function addDay(sum: Sum, day: BusDay | TripDay): void {
  addMeasures(sum.measures, day, sum.pupils)
  if (day.tripsRun > 0 || day.distanceM > 0) sum.dates.add(day.date)
  const maxSpeed = 'maxSpeedKmh' in day ? day.maxSpeedKmh : null
  if (maxSpeed !== null && (sum.maxSpeedKmh === null || maxSpeed > sum.maxSpeedKmh))
    sum.maxSpeedKmh = maxSpeed
}

const newSum = (id: string): Sum => ({
  id,
  measures: emptyMeasures(),
  pupils: new Set(),
  dates: new Set(),
  maxSpeedKmh: null,
})

/** Names a row's group: a bus by its plate and town, a driver, school or town by name. */
function describeGroup(by: ReportGrouping, id: string, labels: ReportLabels): ReportRecord {
  const townName = (townId: string | undefined) => {
    const town = labels.towns.find((t) => t.id === townId)
    return town ? town.nameZh : null
  }
  if (id === unassigned) return { id: null, name: by === 'driver' ? '未登记 not registered' : '未知 unknown' }
  switch (by) {
    case 'bus': {
      const bus = labels.buses.find((b) => b.id === id)
      return { id, name: bus?.plate ?? null, town: townName(bus?.townId) }
    }
    case 'driver':
      return { id, name: labels.staff.find((s) => s.id === id)?.name ?? null }
    case 'school': {
      const school = labels.schools.find((s) => s.id === id)
      return { id, name: school ? school.nameZh : null }
    }
    case 'town':
      return { id, name: townName(id) }
    case 'county':
      return { id: null, name: '全县 county' }
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10
const minutes = (s: number) => round1(s / 60)
const ratio = (part: number, whole: number) => (whole > 0 ? round1((part / whole) * 100) : null)
const average = (total: number, n: number) => (n > 0 ? round1(total / n) : null)
const sumOf = (counts: Readonly<Record<string, number>>) => Object.values(counts).reduce((a, b) => a + b, 0)

/** The kinds of a breakdown that occur in any row, in `order` first and then by name. */
function kindsIn(
  maps: readonly Readonly<Record<string, unknown>>[],
  order: readonly string[],
  always: readonly string[],
) {
  const seen = new Set<string>(always)
  for (const map of maps) for (const kind of Object.keys(map)) seen.add(kind)
  const rank = (kind: string) => (order.includes(kind) ? order.indexOf(kind) : order.length)
  return [...seen].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
}

const number = (key: string, zh: string, en: string, extra: Partial<ReportColumn> = {}): ReportColumn => ({
  key,
  zh,
  en,
  type: 'number',
  ...extra,
})

/**
 * The report's columns: the row's name, then the measures, with one column per road class, route
 * violation and alarm kind that occurs in the period (the three route violations always).
 */
function reportColumns(by: ReportGrouping, sums: readonly Sum[]): ReportColumn[] {
  const roads = kindsIn(
    sums.map((s) => s.measures.overSpeedByRoad),
    roadClassOrder,
    [],
  )
  const routes = kindsIn(
    sums.map((s) => s.measures.routeViolations),
    routeViolationKinds,
    routeViolationKinds,
  )
  const alarms = kindsIn(
    sums.map((s) => s.measures.alarms),
    [],
    [],
  )
  const lateMin = reportRules.onTimeLateS / 60
  return [
    { key: 'id', zh: '编号', en: 'id', type: 'label' },
    { key: 'name', zh: groupingLabels[by].zh, en: groupingLabels[by].en, type: 'label' },
    ...(by === 'bus' ? [{ key: 'town', zh: '乡镇', en: 'town', type: 'label' } as const] : []),
    number('days', '运行天数', 'days in service'),
    number('tripsRun', '运行趟次', 'trips run'),
    number('km', '里程（公里）', 'distance (km)', { unit: 'km' }),
    number('movingMinutes', '行驶时长（分钟）', 'moving (min)', { unit: 'min' }),
    ...(tripGroupings.has(by)
      ? []
      : [number('maxSpeedKmh', '最高车速', 'top speed (km/h)', { unit: 'km/h' })]),
    number(
      'schoolCallsOnTime',
      `到校准点（迟到≤${lateMin}分钟）`,
      `school calls on time (≤ ${lateMin} min late)`,
    ),
    number('schoolCallsLate', '到校迟到', 'school calls late'),
    number('schoolCallsUnseen', '未见到校', 'school calls not seen'),
    number('onTimeRate', '到校准点率（%）', 'on-time rate (%)', { unit: '%' }),
    number('overSpeedEpisodes', '超速次数', 'over-speed episodes'),
    ...roads.map((road) => {
      const label = roadClassLabel(road)
      return number(`overSpeed.${road}`, `超速·${label.zh}`, `over-speed, ${label.en}`, {
        group: 'overSpeedByRoad',
      })
    }),
    number('overSpeedMinutes', '超速时长（分钟）', 'over-speed (min)', { unit: 'min' }),
    number('limiterOffMinutes', '限速器关闭时长（分钟）', 'limiter off (min)', { unit: 'min' }),
    number('silentMinutes', '终端失联时长（分钟）', 'terminal silent (min)', { unit: 'min' }),
    number('routeViolations', '线路违规', 'route violations'),
    ...routes.map((kind) => {
      const label = eventKindLabel(kind)
      return number(`route.${kind}`, `线路违规·${label.zh}`, `route violation, ${label.en}`, {
        group: 'routeViolations',
      })
    }),
    number('alarms', '报警数', 'alarms'),
    ...alarms.map((kind) => {
      const label = eventKindLabel(kind)
      return number(`alarms.${kind}`, `报警·${label.zh}`, `alarm, ${label.en}`, { group: 'alarms' })
    }),
    number('alarmsAcknowledged', '已确认报警', 'alarms acknowledged'),
    number('acknowledgeMinutes', '平均确认用时（分钟）', 'average time to acknowledge (min)', {
      unit: 'min',
    }),
    number('alarmsClosed', '已办结报警', 'alarms closed'),
    number('closeMinutes', '平均办结用时（分钟）', 'average time to close (min)', { unit: 'min' }),
    number('pupilsCarried', '乘车学生（人）', 'pupils carried'),
    number('pupilRides', '乘车人次', 'pupil rides'),
  ]
}

/** One row's values, under the columns' keys. */
function reportRecord(sum: Sum, columns: readonly ReportColumn[], named: ReportRecord): ReportRecord {
  const m = sum.measures
  const tallies = Object.values(m.alarms)
  const acknowledged = tallies.reduce((n, t) => n + t.acknowledged, 0)
  const closed = tallies.reduce((n, t) => n + t.closed, 0)
  const values: ReportRecord = {
    ...named,
    days: sum.dates.size,
    tripsRun: m.tripsRun,
    km: round1(m.distanceM / 1000),
    movingMinutes: minutes(m.movingS),
    maxSpeedKmh: sum.maxSpeedKmh === null ? null : round1(sum.maxSpeedKmh),
    schoolCallsOnTime: m.schoolCallsOnTime,
    schoolCallsLate: m.schoolCallsLate,
    schoolCallsUnseen: m.schoolCallsUnseen,
    onTimeRate: ratio(m.schoolCallsOnTime, m.schoolCallsOnTime + m.schoolCallsLate),
    overSpeedEpisodes: m.overSpeedEpisodes,
    overSpeedMinutes: minutes(m.overSpeedS),
    limiterOffMinutes: minutes(m.limiterOffS),
    silentMinutes: minutes(m.silentS),
    routeViolations: sumOf(m.routeViolations),
    alarms: tallies.reduce((n, t) => n + t.count, 0),
    alarmsAcknowledged: acknowledged,
    acknowledgeMinutes: average(
      tallies.reduce((s, t) => s + t.acknowledgeS, 0),
      acknowledged * 60,
    ),
    alarmsClosed: closed,
    closeMinutes: average(
      tallies.reduce((s, t) => s + t.closeS, 0),
      closed * 60,
    ),
    pupilsCarried: sum.pupils.size,
    pupilRides: m.pupilRides,
  }
  const record: ReportRecord = {}
  for (const column of columns) {
    const [group, kind] = column.key.split('.') as [string, string | undefined]
    if (kind === undefined) record[column.key] = values[column.key] ?? null
    else if (group === 'overSpeed') record[column.key] = m.overSpeedByRoad[kind] ?? 0
    else if (group === 'route') record[column.key] = m.routeViolations[kind] ?? 0
    else record[column.key] = m.alarms[kind]?.count ?? 0
  }
  return record
}

/**
 * A period's days rolled up by `by`: a row per bus, driver, school or town (bus, driver, town and
 * county from bus days; school from trip days), sorted by id, and the totals of every row. A pupil
 * carried on several days or trips counts once in a row and once in the totals.
 */
export function rollUpReport(input: {
  period: ReportPeriod
  by: ReportGrouping
  days: readonly (BusDay | TripDay)[]
  labels: ReportLabels
}): Report {
  const { by, labels } = input
  const sums = new Map<string, Sum>()
  const total = newSum('total')
  for (const day of input.days) {
    const id = keyOf(by, day)
    let sum = sums.get(id)
    if (!sum) sums.set(id, (sum = newSum(id)))
    addDay(sum, day)
    addDay(total, day)
  }
  // The county is one row, even of a period with nothing in it.
  if (by === 'county' && sums.size === 0) sums.set('county', newSum('county'))
  const ordered = [...sums.values()].sort((a, b) =>
    a.id === unassigned ? 1 : b.id === unassigned ? -1 : a.id.localeCompare(b.id),
  )
  const columns = reportColumns(by, ordered)
  return {
    period: input.period,
    by,
    columns,
    rows: ordered.map((sum) => reportRecord(sum, columns, describeGroup(by, sum.id, labels))),
    totals: reportRecord(total, columns, {
      id: null,
      name: '合计 total',
      ...(by === 'bus' ? { town: null } : {}),
    }),
  }
}
