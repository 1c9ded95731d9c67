import type { AlarmCaseState, AlarmOutcome, AlarmSeverity } from '../../server/core/alarms/alarm-case.js'
import type { BusState } from '../../server/core/fleet/bus-state.js'
import type { AppErrorCode } from '../../server/core/errors/app-error.js'
import { eventKindLabels, terminalAlarmLabels } from '../../server/core/text/event-kind-labels.js'
import { alarmCaseStateLabels, alarmOutcomeLabels } from '../../server/core/text/alarm-case-labels.js'
import { labelsIn } from '../../server/core/text/label.js'
import type { Lang } from '../shared/language.js'
import type { RefusalText, StaffPageText } from '../shared/staff-page.js'
import type { DeviceHealth } from './bureau-contract.js'

export type View = 'fleet' | 'inbox'
export type ErrorKind = 'forbidden'
/** The inbox's state filter: the unfinished cases (as it opens), one state, or every case. */
export type CaseStateChoice = 'unfinished' | AlarmCaseState | 'all'

/** The codes of the refusals the page can meet; a 401 ends the session instead (sign in again). */
export const bureauRefusalCodes = [
  'bad_request',
  'forbidden',
  'not_found',
  'conflict',
  'unprocessable',
  'rate_limited',
] as const satisfies readonly AppErrorCode[]
type BureauRefusalCode = (typeof bureauRefusalCodes)[number]

type Words<K extends string> = Record<K, string>

export interface BureauText extends StaffPageText, RefusalText<ErrorKind> {
  signOut: string
  viewsLabel: string
  views: Record<View, string>
  roles: Record<'bureau' | 'school', string>
  online: string
  offline: string
  loading: string
  network: string
  refusalCodes: Words<BureauRefusalCode>
  // The fleet
  townLabel: string
  schoolLabel: string
  stateLabel: string
  anyTown: string
  anySchool: string
  anyState: string
  busCount: (shown: number, total: number) => string
  noBuses: string
  legendTitle: string
  states: Words<BusState>
  stateHints: Words<BusState>
  speedLegendTitle: string
  speedBand: (fromKmh: number, toKmh: number | null) => string
  mapLabel: string
  // One bus
  detailHint: string
  closePanel: string
  busTitle: (plate: string) => string
  tripLabel: string
  noTrip: string
  directions: Words<'to_school' | 'from_school'>
  nextCallLabel: string
  lastCall: string
  planned: (time: string) => string
  expected: (time: string) => string
  lateness: (lateS: number | null) => string
  speedLabel: string
  kmh: (speed: number | null) => string
  lastReportLabel: string
  ago: (seconds: number) => string
  never: string
  driverLabel: string
  attendantLabel: string
  pupilsLabel: string
  pupils: (n: number) => string
  deviceTitle: string
  gpsLabel: string
  gps: Words<DeviceHealth['gps']['state']>
  satellites: (n: number) => string
  limiterLabel: string
  limiter: Words<DeviceHealth['limiter']['state']>
  videoLabel: string
  video: Words<DeviceHealth['video']['state']>
  cameras: (channels: number[]) => string
  powerLabel: string
  power: Words<DeviceHealth['power']['state']>
  complianceLabel: string
  compliance: Words<'red' | 'amber' | 'ok'>
  complianceOf: (bus: string, crew: string) => string
  openCasesLabel: string
  dayTitle: string
  tripStates: Words<'upcoming' | 'running' | 'ended'>
  noTripsToday: string
  eventsTitle: string
  noEvents: string
  trackTitle: string
  noTrack: string
  play: string
  pause: string
  trackAt: (time: string, speed: string) => string
  eventDetail: (kind: string, details: Record<string, unknown>) => string
  // Alarms
  /** Event kinds and the terminal's own alarms, worded once for every page (server/core/text/). */
  kinds: Readonly<Record<string, string>>
  terminalAlarms: Readonly<Record<string, string>>
  caseStateLabel: string
  caseStates: Words<CaseStateChoice>
  severityLabel: string
  severities: Words<AlarmSeverity>
  anySeverity: string
  kindLabel: string
  anyKind: string
  noCases: string
  caseTitle: (kind: string, plate: string) => string
  escalated: (level: number) => string
  raisedLabel: string
  stateNow: string
  assignedTo: (who: string) => string
  acknowledgedBy: (who: string) => string
  outcomes: Words<AlarmOutcome>
  closedWith: (outcome: string, text: string) => string
  whereTitle: string
  whereNone: string
  traceTitle: string
  traceNone: string
  traceLimit: (limitKmh: number) => string
  contactsTitle: string
  contactRoles: Readonly<Record<string, string>>
  noContacts: string
  historyTitle: string
  historyActions: Readonly<Record<string, string>>
  notesTitle: string
  noNotes: string
  acknowledge: string
  assign: string
  assigneeLabel: string
  noAssignees: string
  noteLabel: string
  addNote: string
  outcomeLabel: string
  closingTextLabel: string
  closeCase: string
  done: Words<'acknowledged' | 'assigned' | 'noted' | 'closed'>
  newCase: (kind: string, plate: string) => string
}

const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null

const minutes = (seconds: number) => Math.round(Math.abs(seconds) / 60)

export const bureauText: Record<Lang, BureauText> = {
  zh: {
    lang: 'zh',
    htmlLang: 'zh-CN',
    title: '校车监控台',
    otherLanguage: 'English',
    signOut: '退出登录',
    viewsLabel: '监控内容',
    views: { fleet: '车辆', inbox: '报警' },
    roles: { bureau: '教育局', school: '学校' },
    online: '实时连接正常',
    offline: '实时连接已断开，正在重连…',
    loading: '正在加载…',
    network: '网络或服务器出错，请重试',
    refusalCodes: {
      bad_request: '输入有误，请检查',
      forbidden: '没有权限这样做',
      not_found: '找不到，可能已被删除',
      conflict: '数据已变化，请刷新后再试',
      unprocessable: '服务器不能处理这项操作',
      rate_limited: '操作太频繁，请稍后再试',
    },
    townLabel: '镇街',
    schoolLabel: '学校',
    stateLabel: '状态',
    anyTown: '全部镇街',
    anySchool: '全部学校',
    anyState: '全部状态',
    busCount: (shown, total) => `显示 ${shown} 辆，共 ${total} 辆`,
    noBuses: '没有符合条件的车辆',
    legendTitle: '图例',
    states: {
      on_time: '运行正常',
      late: '晚点',
      off_route: '偏离线路',
      deadhead: '空驶',
      parked: '停放',
      silent: '失联',
    },
    stateHints: {
      on_time: '正在跑班次，未晚点',
      late: '班次晚点 5 分钟以上',
      off_route: '离开核定线路，尚未回到线路上',
      deadhead: '没有班次，车辆在行驶',
      parked: '没有班次，熄火或停着',
      silent: '超过 2 分钟没有收到定位',
    },
    speedLegendTitle: '车速',
    speedBand: (from, to) => (to === null ? `${from} 公里/小时以上` : `${from}–${to} 公里/小时`),
    mapLabel: '全部校车的实时位置',
    detailHint: '在地图或列表中点一辆车，或在报警里点一条报警，查看详情。',
    closePanel: '关闭',
    busTitle: (plate) => `车辆 ${plate}`,
    tripLabel: '当前班次',
    noTrip: '现在没有班次',
    directions: { to_school: '上学', from_school: '放学' },
    nextCallLabel: '下一站',
    lastCall: '已到最后一站',
    planned: (time) => `计划 ${time}`,
    expected: (time) => `预计 ${time}`,
    lateness: (lateS) =>
      lateS === null
        ? '是否晚点未知'
        : lateS >= 60
          ? `晚点 ${minutes(lateS)} 分钟`
          : lateS <= -60
            ? `提前 ${minutes(lateS)} 分钟`
            : '准点',
    speedLabel: '车速',
    kmh: (speed) => (speed === null ? '—' : `${Math.round(speed)} 公里/小时`),
    lastReportLabel: '最后定位',
    ago: (s) =>
      s < 60
        ? `${Math.max(0, Math.round(s))} 秒前`
        : s < 3600
          ? `${Math.round(s / 60)} 分钟前`
          : `${Math.round(s / 3600)} 小时前`,
    never: '从未上报',
    driverLabel: '驾驶员',
    attendantLabel: '照管员',
    pupilsLabel: '车上学生',
    pupils: (n) => `${n} 人`,
    deviceTitle: '车载设备',
    gpsLabel: '定位',
    gps: { ok: '正常', stale: '定位过时', fault: '故障', none: '无数据' },
    satellites: (n) => `${n} 颗卫星`,
    limiterLabel: '限速器',
    limiter: { on: '开启', off: '关闭', fault: '故障', unknown: '未上报' },
    videoLabel: '行车记录仪',
    video: { ok: '正常', fault: '故障', silent: '无响应', unknown: '未上报' },
    cameras: (channels) => `摄像头 ${channels.join('、')}`,
    powerLabel: '终端电源',
    power: { ok: '正常', low: '欠压', lost: '掉电' },
    complianceLabel: '证照',
    compliance: { red: '不合规', amber: '即将到期', ok: '合规' },
    complianceOf: (bus, crew) => `车辆：${bus}；人员：${crew}`,
    openCasesLabel: '未结报警',
    dayTitle: '今天的班次',
    tripStates: { upcoming: '未开始', running: '进行中', ended: '已结束' },
    noTripsToday: '今天没有班次',
    eventsTitle: '今天的事件',
    noEvents: '今天还没有事件',
    trackTitle: '今天的轨迹',
    noTrack: '今天还没有轨迹',
    play: '播放',
    pause: '暂停',
    trackAt: (time, speed) => `${time} · ${speed}`,
    eventDetail: (kind, d) => {
      if (kind === 'over_speed' && num(d.peakKmh) !== null)
        return `最高 ${Math.round(num(d.peakKmh)!)} 公里/小时，限速 ${num(d.limitKmh) ?? '—'}`
      if ((kind === 'stop_arrival' || kind === 'stop_departure') && num(d.seq) !== null)
        return `第 ${num(d.seq)} 站`
      if (kind === 'route_off_corridor' && num(d.maxOffM) !== null)
        return `最远偏离 ${Math.round(num(d.maxOffM)!)} 米`
      return ''
    },
    kinds: labelsIn(eventKindLabels, 'zh'),
    terminalAlarms: labelsIn(terminalAlarmLabels, 'zh'),
    caseStateLabel: '处理状态',
    caseStates: {
      unfinished: '未结案',
      ...labelsIn(alarmCaseStateLabels, 'zh'),
      all: '全部',
    },
    severityLabel: '级别',
    severities: { critical: '严重', major: '重要', minor: '一般' },
    anySeverity: '全部级别',
    kindLabel: '类型',
    anyKind: '全部类型',
    noCases: '没有符合条件的报警',
    caseTitle: (kind, plate) => `${kind} · ${plate}`,
    escalated: (level) => `已升级 ${level} 次`,
    raisedLabel: '发生时间',
    stateNow: '处理状态',
    assignedTo: (who) => `指派给 ${who}`,
    acknowledgedBy: (who) => `${who} 已确认`,
    outcomes: labelsIn(alarmOutcomeLabels, 'zh'),
    closedWith: (outcome, text) => `结案：${outcome}。${text}`,
    whereTitle: '发生地点',
    whereNone: '没有位置信息',
    traceTitle: '车速记录',
    traceNone: '这段时间没有定位',
    traceLimit: (limit) => `限速 ${limit} 公里/小时`,
    contactsTitle: '一车一员一警',
    contactRoles: { driver: '驾驶员', attendant: '照管员', police: '联系民警' },
    noContacts: '登记表里没有这辆车的人员',
    historyTitle: '处理记录',
    historyActions: {
      opened: '报警产生',
      acknowledged: '确认',
      assigned: '指派',
      closed: '结案',
      escalated: '超时升级',
    },
    notesTitle: '备注',
    noNotes: '还没有备注',
    acknowledge: '确认收到',
    assign: '指派',
    assigneeLabel: '指派给',
    noAssignees: '没有可指派的账号',
    noteLabel: '备注',
    addNote: '添加备注',
    outcomeLabel: '处理结果',
    closingTextLabel: '结案说明',
    closeCase: '结案',
    done: { acknowledged: '已确认', assigned: '已指派', noted: '备注已添加', closed: '已结案' },
    newCase: (kind, plate) => `新报警：${plate} ${kind}`,
    errorTitle: { forbidden: '没有权限打开监控台' },
    errorAdvice: { forbidden: '监控台只对教育局和学校的工作人员开放。' },
  },
  en: {
    lang: 'en',
    htmlLang: 'en',
    title: 'Fleet console',
    otherLanguage: '中文',
    signOut: 'Sign out',
    viewsLabel: 'What the console shows',
    views: { fleet: 'Buses', inbox: 'Alarms' },
    roles: { bureau: 'Bureau', school: 'School' },
    online: 'Live',
    offline: 'Live connection lost; reconnecting…',
    loading: 'Loading…',
    network: 'The network or the server failed; try again',
    refusalCodes: {
      bad_request: 'Not accepted; check the input',
      forbidden: 'You may not do this',
      not_found: 'Not found; it may have been removed',
      conflict: 'The data has changed; reload and try again',
      unprocessable: 'The server cannot do this',
      rate_limited: 'Too many requests; try again later',
    },
    townLabel: 'Town',
    schoolLabel: 'School',
    stateLabel: 'State',
    anyTown: 'All towns',
    anySchool: 'All schools',
    anyState: 'All states',
    busCount: (shown, total) => `${shown} of ${total} buses`,
    noBuses: 'No bus fits these filters',
    legendTitle: 'Legend',
    states: {
      on_time: 'On time',
      late: 'Late',
      off_route: 'Off route',
      deadhead: 'Driving, no trip',
      parked: 'Parked',
      silent: 'Silent',
    },
    stateHints: {
      on_time: 'On a trip, on time',
      late: 'On a trip, 5 minutes or more late',
      off_route: 'Left its approved route and not back on it',
      deadhead: 'No trip running, the bus is driving',
      parked: 'No trip running, engine off or standing',
      silent: 'No report for over 2 minutes',
    },
    speedLegendTitle: 'Speed',
    speedBand: (from, to) => (to === null ? `over ${from} km/h` : `${from}–${to} km/h`),
    mapLabel: 'Where every school bus is now',
    detailHint: 'Pick a bus on the map or in the list, or an alarm in the inbox, to see it here.',
    closePanel: 'Close',
    busTitle: (plate) => `Bus ${plate}`,
    tripLabel: 'Trip now',
    noTrip: 'No trip running',
    directions: { to_school: 'to school', from_school: 'home from school' },
    nextCallLabel: 'Next stop',
    lastCall: 'At its last stop',
    planned: (time) => `due ${time}`,
    expected: (time) => `expected ${time}`,
    lateness: (lateS) =>
      lateS === null
        ? 'lateness unknown'
        : lateS >= 60
          ? `${minutes(lateS)} min late`
          : lateS <= -60
            ? `${minutes(lateS)} min early`
            : 'on time',
    speedLabel: 'Speed',
    kmh: (speed) => (speed === null ? '—' : `${Math.round(speed)} km/h`),
    lastReportLabel: 'Last report',
    ago: (s) =>
      s < 60
        ? `${Math.max(0, Math.round(s))} s ago`
        : s < 3600
          ? `${Math.round(s / 60)} min ago`
          : `${Math.round(s / 3600)} h ago`,
    never: 'never reported',
    driverLabel: 'Driver',
    attendantLabel: 'Attendant',
    pupilsLabel: 'Pupils on board',
    pupils: (n) => String(n),
    deviceTitle: 'Equipment',
    gpsLabel: 'GPS',
    gps: { ok: 'OK', stale: 'no recent fix', fault: 'fault', none: 'no data' },
    satellites: (n) => `${n} satellites`,
    limiterLabel: 'Speed limiter',
    limiter: { on: 'on', off: 'off', fault: 'fault', unknown: 'not reported' },
    videoLabel: 'Video recorder',
    video: { ok: 'OK', fault: 'fault', silent: 'not responding', unknown: 'not reported' },
    cameras: (channels) => `camera ${channels.join(', ')}`,
    powerLabel: 'Terminal power',
    power: { ok: 'OK', low: 'low', lost: 'lost' },
    complianceLabel: 'Papers',
    compliance: { red: 'out of order', amber: 'due soon', ok: 'in order' },
    complianceOf: (bus, crew) => `bus: ${bus}; crew: ${crew}`,
    openCasesLabel: 'Open alarms',
    dayTitle: "Today's trips",
    tripStates: { upcoming: 'upcoming', running: 'running', ended: 'ended' },
    noTripsToday: 'No trips today',
    eventsTitle: "Today's events",
    noEvents: 'No events yet today',
    trackTitle: "Today's track",
    noTrack: 'No track yet today',
    play: 'Play',
    pause: 'Pause',
    trackAt: (time, speed) => `${time} · ${speed}`,
    eventDetail: (kind, d) => {
      if (kind === 'over_speed' && num(d.peakKmh) !== null)
        return `peak ${Math.round(num(d.peakKmh)!)} km/h, limit ${num(d.limitKmh) ?? '—'}`
      if ((kind === 'stop_arrival' || kind === 'stop_departure') && num(d.seq) !== null)
        return `stop ${num(d.seq)}`
      if (kind === 'route_off_corridor' && num(d.maxOffM) !== null)
        return `up to ${Math.round(num(d.maxOffM)!)} m off`
      return ''
    },
    kinds: labelsIn(eventKindLabels, 'en'),
    terminalAlarms: labelsIn(terminalAlarmLabels, 'en'),
    caseStateLabel: 'Handling',
    caseStates: {
      unfinished: 'Not closed',
      ...labelsIn(alarmCaseStateLabels, 'en'),
      all: 'All',
    },
    severityLabel: 'Severity',
    severities: { critical: 'Critical', major: 'Major', minor: 'Minor' },
    anySeverity: 'All severities',
    kindLabel: 'Kind',
    anyKind: 'All kinds',
    noCases: 'No alarm fits these filters',
    caseTitle: (kind, plate) => `${kind} · ${plate}`,
    escalated: (level) => `escalated ${level}×`,
    raisedLabel: 'When',
    stateNow: 'Handling',
    assignedTo: (who) => `assigned to ${who}`,
    acknowledgedBy: (who) => `acknowledged by ${who}`,
    outcomes: labelsIn(alarmOutcomeLabels, 'en'),
    closedWith: (outcome, text) => `Closed: ${outcome}. ${text}`,
    whereTitle: 'Where',
    whereNone: 'No place known',
    traceTitle: 'Speed',
    traceNone: 'No reports in this time',
    traceLimit: (limit) => `limit ${limit} km/h`,
    contactsTitle: 'Driver, attendant and police contact',
    contactRoles: { driver: 'Driver', attendant: 'Attendant', police: 'Police contact' },
    noContacts: 'The registers name nobody for this bus',
    historyTitle: 'History',
    historyActions: {
      opened: 'Raised',
      acknowledged: 'Acknowledged',
      assigned: 'Assigned',
      closed: 'Closed',
      escalated: 'Escalated, unacknowledged',
    },
    notesTitle: 'Notes',
    noNotes: 'No notes yet',
    acknowledge: 'Acknowledge',
    assign: 'Assign',
    assigneeLabel: 'Assign to',
    noAssignees: 'No account to assign to',
    noteLabel: 'Note',
    addNote: 'Add note',
    outcomeLabel: 'Outcome',
    closingTextLabel: 'Closing note',
    closeCase: 'Close alarm',
    done: { acknowledged: 'Acknowledged', assigned: 'Assigned', noted: 'Note added', closed: 'Closed' },
    newCase: (kind, plate) => `New alarm: ${plate} ${kind}`,
    errorTitle: { forbidden: 'This console is not for this account' },
    errorAdvice: { forbidden: 'The fleet console is for the staff of the bureau and the schools.' },
  },
}

/** An event kind in words, or the kind itself where the page has none. */
export function kindText(t: BureauText, kind: string): string {
  return t.kinds[kind] ?? kind
}
