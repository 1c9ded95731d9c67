import { reportRules } from '../../server/core/reports/report-measures.js'
import type { AppErrorCode } from '../../server/core/errors/app-error.js'
import { eventKindLabels } from '../../server/core/text/event-kind-labels.js'
import { inSentence, labelsIn } from '../../server/core/text/label.js'
import { roadClassLabels } from '../../server/core/text/road-class-labels.js'
import type { Lang } from '../shared/language.js'
import type { RefusalText, StaffPageText } from '../shared/staff-page.js'
import { complianceText, type ComplianceText } from './compliance-text.js'
import type { Grouping, PeriodKind, Standing } from './reports-contract.js'
import { scoreText, type ScoreText } from './score-text.js'

export type View = 'reports' | 'compliance' | 'scores'
export type ErrorKind = 'forbidden'

/** The report's own columns, each worded by the page; the breakdowns by kind are worded below. */
export const fixedColumns = [
  'id',
  'name',
  'town',
  'days',
  'tripsRun',
  'km',
  'movingMinutes',
  'maxSpeedKmh',
  'schoolCallsOnTime',
  'schoolCallsLate',
  'schoolCallsUnseen',
  'onTimeRate',
  'overSpeedEpisodes',
  'overSpeedMinutes',
  'limiterOffMinutes',
  'silentMinutes',
  'routeViolations',
  'alarms',
  'alarmsAcknowledged',
  'acknowledgeMinutes',
  'alarmsClosed',
  'closeMinutes',
  'pupilsCarried',
  'pupilRides',
] as const
export type FixedColumn = (typeof fixedColumns)[number]

/** The refusals the report and compliance routes answer with, worded by their codes. */
export const reportsRefusalCodes = [
  'bad_request',
  'forbidden',
  'not_found',
  'rate_limited',
  'unavailable',
] as const satisfies readonly AppErrorCode[]
export type ReportsRefusalCode = (typeof reportsRefusalCodes)[number]

/** The charts the reports tab draws. */
export type ChartName = 'km' | 'trips' | 'onTime' | 'alarms' | 'overSpeed'

export interface ReportsText extends StaffPageText, RefusalText<ErrorKind> {
  signOut: string
  viewsLabel: string
  views: Record<View, string>
  roles: Record<'bureau' | 'school', string>
  loading: string
  network: string
  refusals: {
    reasons: Readonly<Partial<Record<string, string>>>
    codes: Record<ReportsRefusalCode, string>
  }
  // The reports tab
  reportsHeading: string
  periodLabel: string
  periods: Record<PeriodKind, string>
  dayLabel: string
  monthLabel: string
  byLabel: string
  groupings: Record<Grouping, string>
  /** What the table shows: the period, then the grouping. */
  reportTitle: (period: PeriodKind, date: string, by: Grouping) => string
  breakdowns: string
  downloadWorkbook: string
  downloadCsv: string
  downloading: string
  downloaded: (fileName: string) => string
  loggedNote: string
  tableLabel: string
  noRows: string
  columns: Record<FixedColumn, string>
  /** The name column, by what a row is. */
  nameColumn: Record<Grouping, string>
  /** A breakdown column's header around its kind's words, which read as a label on their own. */
  overSpeedOn: (road: string) => string
  routeViolation: (kind: string) => string
  alarmOf: (kind: string) => string
  /** Road classes and event kinds, worded once for every page and report file (server/core/text/). */
  roadClasses: Readonly<Record<string, string>>
  eventKinds: Readonly<Record<string, string>>
  total: string
  county: string
  /** A row of days with no driver, school or town in the registers. */
  unassigned: Record<Grouping, string>
  sortBy: (column: string) => string
  standing: Record<Exclude<Standing, 'ok'>, string>
  standingNote: string
  chartsHeading: string
  charts: Record<ChartName, string>
  chartTop: (shown: number, total: number) => string
  chartEmpty: string
  target: (pct: number) => string
  barValue: (label: string, value: string) => string
  legendLabel: string
  // The compliance tab (compliance-text.ts)
  compliance: ComplianceText
  // The score tab (score-text.ts)
  scores: ScoreText
}

const lateMin = reportRules.onTimeLateS / 60

/** What a row is, as the report titles name it. */
const reportsNames: Record<Lang, Record<Grouping, string>> = {
  zh: { bus: '车辆', driver: '驾驶员', school: '学校', town: '乡镇', county: '全县' },
  en: { bus: 'bus', driver: 'driver', school: 'school', town: 'town', county: 'county' },
}

export const reportsText: Record<Lang, ReportsText> = {
  zh: {
    lang: 'zh',
    htmlLang: 'zh-CN',
    title: '报表与合规',
    otherLanguage: 'English',
    signOut: '退出登录',
    viewsLabel: '页面内容',
    views: { reports: '运营报表', compliance: '合规台账', scores: '记分' },
    roles: { bureau: '教育局', school: '学校' },
    loading: '正在加载…',
    network: '连不上服务器，请检查网络后再试',
    refusals: {
      reasons: {
        no_removal: '这名驾驶员目前没有被暂停校车驾驶：可能已由他人恢复，或暂停已随周期结束失效。',
      },
      codes: {
        bad_request: '日期不对：日报请选某一天，月报请选某个月（2000–2099 年）。',
        forbidden: '没有权限查看这个分组：学校只能按车辆、驾驶员和学校查看。',
        not_found: '找不到要查看的内容',
        rate_limited: '操作太频繁，请稍后再试',
        unavailable: '服务器暂时无法完成，请稍后重试',
      },
    },
    reportsHeading: '运营报表',
    periodLabel: '报表',
    periods: { day: '日报', month: '月报' },
    dayLabel: '日期',
    monthLabel: '月份',
    byLabel: '分组',
    groupings: { bus: '按车辆', driver: '按驾驶员', school: '按学校', town: '按乡镇', county: '全县' },
    reportTitle: (period, date, by) =>
      `${date} ${period === 'day' ? '日报' : '月报'} · ${by === 'county' ? '全县' : `按${reportsNames.zh[by]}`}`,
    breakdowns: '显示分类明细（道路等级、违规和报警类型）',
    downloadWorkbook: '下载 Excel（各分组）',
    downloadCsv: '下载 CSV（本分组）',
    downloading: '正在下载…',
    downloaded: (fileName) => `已下载 ${fileName}`,
    loggedNote: '每次下载都会记入访问记录。',
    tableLabel: '报表数据',
    noRows: '本期没有数据',
    columns: {
      id: '编号',
      name: '名称',
      town: '乡镇',
      days: '运行天数',
      tripsRun: '运行趟次',
      km: '里程（公里）',
      movingMinutes: '行驶时长（分钟）',
      maxSpeedKmh: '最高车速（公里/小时）',
      schoolCallsOnTime: `到校准点（迟到≤${lateMin}分钟）`,
      schoolCallsLate: '到校迟到',
      schoolCallsUnseen: '未见到校',
      onTimeRate: '到校准点率（%）',
      overSpeedEpisodes: '超速次数',
      overSpeedMinutes: '超速时长（分钟）',
      limiterOffMinutes: '限速器关闭（分钟）',
      silentMinutes: '终端失联（分钟）',
      routeViolations: '线路违规',
      alarms: '报警数',
      alarmsAcknowledged: '已确认报警',
      acknowledgeMinutes: '平均确认用时（分钟）',
      alarmsClosed: '已办结报警',
      closeMinutes: '平均办结用时（分钟）',
      pupilsCarried: '乘车学生（人）',
      pupilRides: '乘车人次',
    },
    nameColumn: { bus: '车牌', driver: '驾驶员', school: '学校', town: '乡镇', county: '范围' },
    overSpeedOn: (road) => `超速·${road}`,
    routeViolation: (kind) => `线路违规·${kind}`,
    alarmOf: (kind) => `报警·${kind}`,
    roadClasses: labelsIn(roadClassLabels, 'zh'),
    eventKinds: labelsIn(eventKindLabels, 'zh'),
    total: '合计',
    county: '全县',
    unassigned: {
      bus: '未知车辆',
      driver: '未登记驾驶员',
      school: '未知学校',
      town: '未知乡镇',
      county: '全县',
    },
    sortBy: (column) => `按“${column}”排序`,
    standing: { red: '不合规', amber: '即将到期' },
    standingNote: '车辆和驾驶员旁的“不合规”“即将到期”是今天合规台账中的状态。',
    chartsHeading: '图表',
    charts: {
      km: '里程（公里）',
      trips: '运行趟次',
      onTime: '到校准点率（%）',
      alarms: '报警（按类型）',
      overSpeed: '超速次数（按道路等级）',
    },
    chartTop: (shown, total) => `显示最高的 ${shown} 项，共 ${total} 项`,
    chartEmpty: '本期没有可画的数据',
    target: (pct) => `目标 ${pct}%`,
    barValue: (label, value) => `${label}：${value}`,
    legendLabel: '图例',
    compliance: complianceText.zh,
    scores: scoreText.zh,
    errorTitle: { forbidden: '没有权限' },
    errorAdvice: { forbidden: '报表与合规只对教育局和学校开放。' },
  },
  en: {
    lang: 'en',
    htmlLang: 'en',
    title: 'Reports and compliance',
    otherLanguage: '中文',
    signOut: 'Sign out',
    viewsLabel: 'Page contents',
    views: { reports: 'Reports', compliance: 'Compliance', scores: 'Scores' },
    roles: { bureau: 'Bureau', school: 'School' },
    loading: 'Loading…',
    network: 'The server cannot be reached; check the connection and try again',
    refusals: {
      reasons: {
        no_removal:
          'This driver is not off school-bus duty now: reinstated already by someone, or the removal lapsed with its cycle.',
      },
      codes: {
        bad_request:
          'That date does not work: a day for a daily report, a month for a monthly one (2000–2099).',
        forbidden: 'You may not see this grouping: a school sees its reports by bus, driver and school.',
        not_found: 'What this refers to was not found',
        rate_limited: 'Too many requests; try again later',
        unavailable: 'The server could not do this now; try again',
      },
    },
    reportsHeading: 'Reports',
    periodLabel: 'Report',
    periods: { day: 'Daily', month: 'Monthly' },
    dayLabel: 'Day',
    monthLabel: 'Month',
    byLabel: 'Grouping',
    groupings: { bus: 'By bus', driver: 'By driver', school: 'By school', town: 'By town', county: 'County' },
    reportTitle: (period, date, by) =>
      `${period === 'day' ? 'Daily report' : 'Monthly report'}, ${date} · ${
        by === 'county' ? 'the county' : `by ${reportsNames.en[by]}`
      }`,
    breakdowns: 'Show breakdowns (road classes, violation and alarm kinds)',
    downloadWorkbook: 'Download Excel (every grouping)',
    downloadCsv: 'Download CSV (this grouping)',
    downloading: 'Downloading…',
    downloaded: (fileName) => `Downloaded ${fileName}`,
    loggedNote: 'Every download is kept in the audit log.',
    tableLabel: 'Report figures',
    noRows: 'Nothing in this period',
    columns: {
      id: 'ID',
      name: 'Name',
      town: 'Town',
      days: 'Days in service',
      tripsRun: 'Trips run',
      km: 'Distance (km)',
      movingMinutes: 'Moving (min)',
      maxSpeedKmh: 'Top speed (km/h)',
      schoolCallsOnTime: `On time at school (≤ ${lateMin} min late)`,
      schoolCallsLate: 'Late at school',
      schoolCallsUnseen: 'School call not seen',
      onTimeRate: 'On-time rate (%)',
      overSpeedEpisodes: 'Over-speed episodes',
      overSpeedMinutes: 'Over-speed (min)',
      limiterOffMinutes: 'Limiter off (min)',
      silentMinutes: 'Terminal silent (min)',
      routeViolations: 'Route violations',
      alarms: 'Alarms',
      alarmsAcknowledged: 'Alarms acknowledged',
      acknowledgeMinutes: 'Average time to acknowledge (min)',
      alarmsClosed: 'Alarms closed',
      closeMinutes: 'Average time to close (min)',
      pupilsCarried: 'Pupils carried',
      pupilRides: 'Pupil rides',
    },
    nameColumn: { bus: 'Plate', driver: 'Driver', school: 'School', town: 'Town', county: 'Area' },
    overSpeedOn: (road) => `Over-speed, ${inSentence(road)}`,
    routeViolation: (kind) => `Route: ${inSentence(kind)}`,
    alarmOf: (kind) => `Alarm: ${inSentence(kind)}`,
    roadClasses: labelsIn(roadClassLabels, 'en'),
    eventKinds: labelsIn(eventKindLabels, 'en'),
    total: 'Total',
    county: 'The county',
    unassigned: {
      bus: 'Unknown bus',
      driver: 'Driver not registered',
      school: 'Unknown school',
      town: 'Unknown town',
      county: 'The county',
    },
    sortBy: (column) => `Sort by ${column}`,
    standing: { red: 'out of compliance', amber: 'due soon' },
    standingNote:
      '“Out of compliance” and “due soon” beside a bus or driver are its standing in today’s compliance register.',
    chartsHeading: 'Charts',
    charts: {
      km: 'Distance (km)',
      trips: 'Trips run',
      onTime: 'On-time rate at school (%)',
      alarms: 'Alarms by kind',
      overSpeed: 'Over-speed episodes by road class',
    },
    chartTop: (shown, total) => `The ${shown} highest of ${total}`,
    chartEmpty: 'Nothing to draw for this period',
    target: (pct) => `target ${pct}%`,
    barValue: (label, value) => `${label}: ${value}`,
    legendLabel: 'Legend',
    compliance: complianceText.en,
    scores: scoreText.en,
    errorTitle: { forbidden: 'Not allowed' },
    errorAdvice: { forbidden: 'Reports and compliance are for the bureau and schools.' },
  },
}
