import { alarmCaseStateLabels, alarmOutcomeLabels } from '../../server/core/text/alarm-case-labels.js'
import { inSentence, labelsIn } from '../../server/core/text/label.js'
import type { Lang } from '../shared/language.js'
import type { Cycle, Measure, ScoreSubjectName, Step, Thresholds } from './reports-contract.js'

export type SubjectFilter = 'all' | ScoreSubjectName

/** The score tab's words: the board, a subject's history, reinstating a driver, and the score table. */
export interface ScoreText {
  heading: string
  /** What the steps are, at the thresholds the server gives. */
  intro: (thresholds: Thresholds) => string
  cycle: (cycle: Cycle) => string
  filterLabel: string
  filters: Record<SubjectFilter, string>
  subjects: Record<ScoreSubjectName, string>
  boardLabel: string
  headers: Record<'subject' | 'who' | 'bus' | 'total' | 'voided' | 'reached' | 'standing', string>
  totalOf: (total: number, of: number) => string
  busCount: (n: number) => string
  steps: Record<Step, string>
  stepAt: (step: string, threshold: number) => string
  /** Beside a step reached whose threshold voided points have taken the total back under. */
  fallenBelow: string
  removed: string
  noScores: string
  openHistory: (name: string) => string
  // A subject's history
  historyTitle: (name: string) => string
  summary: (total: number, of: number, voided: number, cycle: Cycle) => string
  reachedHeading: string
  reachedAt: (at: string, totalThen: number) => string
  caseNo: (id: number) => string
  coveredByHigher: string
  fallenSince: (at: string) => string
  noneReached: string
  pointsHeading: string
  pointHeaders: Record<'when' | 'kind' | 'bus' | 'points' | 'rule' | 'alarm' | 'voided', string>
  noPoints: string
  pointsEach: (n: number) => string
  /** A margin over the limit in its measure: `25%`, `12 km/h`. */
  measureValue: (measure: Measure, value: number) => string
  bandApplied: (margin: string, from: string) => string
  noSpeeds: string
  caseStates: Readonly<Record<string, string>>
  outcomes: Readonly<Record<string, string>>
  closedAs: (outcome: string) => string
  voidedBy: (outcome: string, by: string, at: string) => string
  removalsHeading: string
  removalHeaders: Record<'cycle' | 'removedAt' | 'state' | 'note', string>
  removalStates: { stands: string; lapsed: string; lifted: (by: string, at: string) => string }
  cyclesHeading: string
  cycleHeaders: Record<'cycle' | 'total' | 'voided', string>
  cycleRange: (cycle: Cycle) => string
  thisCycle: string
  // Reinstating a driver
  reinstate: string
  reinstateTitle: (name: string) => string
  reinstateWarning: string
  noteLabel: string
  noteRequired: string
  cancel: string
  confirmReinstate: string
  reinstated: (name: string) => string
  /** The refusals of the score's routes, by code, before the page's own. */
  refusalCodes: Record<'bad_request' | 'forbidden' | 'not_found', string>
  // The score table
  rulesHeading: string
  /** The cycle's start month, and the outcomes that void a case's points in words. */
  rulesIntro: (startMonth: number, voiding: string[]) => string
  ruleHeaders: Record<'kind' | 'points' | 'subjects' | 'basis', string>
  bands: (steps: string[]) => string
  bandFrom: (from: string, points: number) => string
  /** Whom a rule charges, in words. */
  charged: (subjects: string[]) => string
  noRules: string
}

const enMonth = (month: number) =>
  new Intl.DateTimeFormat('en', { month: 'long', timeZone: 'UTC' }).format(Date.UTC(2000, month - 1, 1))
const enPoints = (n: number) => (n === 1 ? '1 point' : `${n} points`)
const enList = (items: string[], joiner: 'and' | 'or') =>
  items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${joiner} ${items.at(-1)}`
const zhOr = (items: string[]) =>
  items.length < 2 ? items.join('') : `${items.slice(0, -1).join('、')}或${items.at(-1)}`

export const scoreText: Record<Lang, ScoreText> = {
  zh: {
    heading: '驾驶员和企业记分',
    intro: (t) =>
      `每个周期从 0 分起算，报警按记分标准计入驾驶员和车辆所属企业：累计 ${t.interview} 分约谈，` +
      `${t.warning} 分警告，${t.removal} 分暂停校车驾驶，直至教育局恢复或周期结束。`,
    cycle: (c) => `本周期：${c.startsOn} 至 ${c.endsOn}`,
    filterLabel: '对象',
    filters: { all: '驾驶员和企业', driver: '仅驾驶员', company: '仅企业' },
    subjects: { driver: '驾驶员', company: '企业' },
    boardLabel: '记分榜',
    headers: {
      subject: '对象',
      who: '姓名 / 企业',
      bus: '车辆',
      total: '本周期记分',
      voided: '已撤销',
      reached: '已达到',
      standing: '状态',
    },
    totalOf: (total, of) => `${total} / ${of}`,
    busCount: (n) => `${n} 辆车`,
    steps: { interview: '约谈', warning: '警告', removal: '暂停校车驾驶' },
    stepAt: (step, threshold) => `${step}（${threshold} 分）`,
    fallenBelow: '已回落',
    removed: '已暂停校车驾驶',
    noScores: '没有可显示的记分',
    openHistory: (name) => `查看 ${name} 的记分明细`,
    historyTitle: (name) => `${name} · 记分明细`,
    summary: (total, of, voided, c) =>
      `本周期（${c.startsOn} 至 ${c.endsOn}）累计 ${total} 分，满 ${of} 分暂停；已撤销 ${voided} 分。`,
    reachedHeading: '已达到的处理',
    reachedAt: (at, totalThen) => `${at} 达到，当时 ${totalThen} 分`,
    caseNo: (id) => `报警 #${id}`,
    coveredByHigher: '由更高一级的处理一并办理',
    fallenSince: (at) => `${at} 起低于该分数`,
    noneReached: '尚未达到任何处理',
    pointsHeading: '扣分记录',
    pointHeaders: {
      when: '时间',
      kind: '报警类型',
      bus: '车辆',
      points: '记分',
      rule: '依据',
      alarm: '报警处理',
      voided: '撤销',
    },
    noPoints: '本周期没有记分',
    pointsEach: (n) => `每次 ${n} 分`,
    measureValue: (measure, value) => (measure === 'over_limit_pct' ? `${value}%` : `${value} 公里/小时`),
    bandApplied: (margin, from) => `超出限速 ${margin}，按 ${from} 起的一档`,
    noSpeeds: '事件未记录车速，按第一档',
    caseStates: labelsIn(alarmCaseStateLabels, 'zh'),
    outcomes: labelsIn(alarmOutcomeLabels, 'zh'),
    closedAs: (outcome) => `已结案：${outcome}`,
    voidedBy: (outcome, by, at) => `${outcome}：${by} 于 ${at} 撤销`,
    removalsHeading: '暂停校车驾驶记录',
    removalHeaders: { cycle: '周期', removedAt: '暂停时间', state: '现状', note: '恢复说明' },
    removalStates: {
      stands: '暂停中',
      lapsed: '已随周期结束失效',
      lifted: (by, at) => `${by} 于 ${at} 恢复`,
    },
    cyclesHeading: '各周期累计',
    cycleHeaders: { cycle: '周期', total: '记分', voided: '已撤销' },
    cycleRange: (c) => `${c.startsOn} 至 ${c.endsOn}`,
    thisCycle: '（本周期）',
    reinstate: '恢复校车驾驶资格',
    reinstateTitle: (name) => `恢复 ${name} 的校车驾驶资格`,
    reinstateWarning:
      '驾驶员完成再培训后，由教育局恢复其校车驾驶资格。记分和已达到的处理都保留；暂停的报警如未结案，' +
      '将以“已处理”结案。此操作记入访问记录。',
    noteLabel: '恢复说明（必填：完成的培训、审核决定）',
    noteRequired: '请填写恢复说明',
    cancel: '取消',
    confirmReinstate: '确认恢复',
    reinstated: (name) => `已恢复 ${name} 的校车驾驶资格`,
    refusalCodes: {
      bad_request: '请填写恢复说明（不超过 1000 字）',
      forbidden: '没有权限查看或处理这项记分：恢复资格只能由教育局操作',
      not_found: '找不到这名驾驶员或企业的记分',
    },
    rulesHeading: '记分标准',
    rulesIntro: (month, voiding) =>
      `${month === 1 ? '周期为自然年（1 月 1 日起）' : `周期从每年 ${month} 月 1 日起，为期 12 个月`}。` +
      `报警结案为${zhOr(voiding)}的，扣分撤销。`,
    ruleHeaders: { kind: '报警类型', points: '记分', subjects: '记分对象', basis: '依据' },
    bands: (steps) => `超出限速：${steps.join('；')}`,
    bandFrom: (from, points) => `${from} 起 ${points} 分`,
    charged: (subjects) => subjects.join('、'),
    noRules: '记分标准为空：报警不记分',
  },
  en: {
    heading: 'Scores of drivers and companies',
    intro: (t) =>
      `Each cycle starts at 0; alarms add the score table's points to the driver and the bus's company: ` +
      `an interview at ${t.interview} points, a warning at ${t.warning}, removal from school-bus duty at ` +
      `${t.removal}, until the bureau reinstates the driver or the cycle ends.`,
    cycle: (c) => `This cycle: ${c.startsOn} to ${c.endsOn}`,
    filterLabel: 'Show',
    filters: { all: 'Drivers and companies', driver: 'Drivers', company: 'Companies' },
    subjects: { driver: 'Driver', company: 'Company' },
    boardLabel: 'Scores',
    headers: {
      subject: 'Subject',
      who: 'Name',
      bus: 'Bus',
      total: 'Points this cycle',
      voided: 'Voided',
      reached: 'Reached',
      standing: 'Standing',
    },
    totalOf: (total, of) => `${total} / ${of}`,
    busCount: (n) => (n === 1 ? '1 bus' : `${n} buses`),
    steps: { interview: 'Interview', warning: 'Warning', removal: 'Removal' },
    stepAt: (step, threshold) => `${step} (${threshold} points)`,
    fallenBelow: 'now under it',
    removed: 'Off school-bus duty',
    noScores: 'Nobody to show',
    openHistory: (name) => `Points of ${name}`,
    historyTitle: (name) => `${name}: points`,
    summary: (total, of, voided, c) =>
      `${total} points in the cycle ${c.startsOn} to ${c.endsOn}, removal at ${of}; ${voided} voided.`,
    reachedHeading: 'Steps reached',
    reachedAt: (at, totalThen) => `reached ${at} at ${totalThen} points`,
    caseNo: (id) => `alarm #${id}`,
    coveredByHigher: "covered by the higher step's alarm",
    fallenSince: (at) => `under it since ${at}`,
    noneReached: 'No step reached',
    pointsHeading: 'Points',
    pointHeaders: {
      when: 'When',
      kind: 'Alarm',
      bus: 'Bus',
      points: 'Points',
      rule: 'Rule applied',
      alarm: 'Alarm case',
      voided: 'Voided',
    },
    noPoints: 'No points in this cycle',
    pointsEach: (n) => `${enPoints(n)} each`,
    measureValue: (measure, value) => (measure === 'over_limit_pct' ? `${value}%` : `${value} km/h`),
    bandApplied: (margin, from) => `${margin} over the limit: the step from ${from}`,
    noSpeeds: 'No speeds recorded: the first step',
    caseStates: labelsIn(alarmCaseStateLabels, 'en'),
    outcomes: labelsIn(alarmOutcomeLabels, 'en'),
    closedAs: (outcome) => `Closed: ${outcome}`,
    voidedBy: (outcome, by, at) => `${outcome}: voided by ${by}, ${at}`,
    removalsHeading: 'Removals from school-bus duty',
    removalHeaders: { cycle: 'Cycle', removedAt: 'Removed', state: 'Now', note: 'Note' },
    removalStates: {
      stands: 'Stands',
      lapsed: 'Lapsed with its cycle',
      lifted: (by, at) => `Reinstated by ${by}, ${at}`,
    },
    cyclesHeading: 'Cycles',
    cycleHeaders: { cycle: 'Cycle', total: 'Points', voided: 'Voided' },
    cycleRange: (c) => `${c.startsOn} to ${c.endsOn}`,
    thisCycle: ' (this cycle)',
    reinstate: 'Reinstate',
    reinstateTitle: (name) => `Reinstate ${name} to school-bus duty`,
    reinstateWarning:
      'The bureau reinstates a driver after retraining. The points and the steps reached stay; the ' +
      "removal's alarm, if still open, is closed as resolved. This is kept in the audit log.",
    noteLabel: 'Note (required: the retraining done, the decision)',
    noteRequired: 'Write a note first',
    cancel: 'Cancel',
    confirmReinstate: 'Reinstate',
    reinstated: (name) => `${name} is reinstated to school-bus duty`,
    refusalCodes: {
      bad_request: 'Write a note of at most 1000 characters',
      forbidden: 'You may not see or act on this score: only the bureau reinstates drivers',
      not_found: 'No score was found for this driver or company',
    },
    rulesHeading: 'Score table',
    rulesIntro: (month, voiding) =>
      `${month === 1 ? 'Cycles are calendar years' : `Cycles run twelve months from 1 ${enMonth(month)}`}. ` +
      `The points of an alarm closed as ${enList(voiding.map(inSentence), 'or')} are voided.`,
    ruleHeaders: { kind: 'Alarm', points: 'Points', subjects: 'Charged to', basis: 'Basis' },
    bands: (steps) => `Over the limit: ${steps.join('; ')}`,
    bandFrom: (from, points) => `${enPoints(points)} from ${from}`,
    charged: (subjects) => enList(subjects, 'and'),
    noRules: 'The table is empty: no alarm costs points',
  },
}
