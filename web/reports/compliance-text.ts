import type { ComplianceRule } from '../../server/core/compliance/compliance-finding.js'
import { ruleLabels } from '../../server/core/compliance/compliance-labels.js'
import { amberDays, noticeDays } from '../../server/core/compliance/compliance-rules.js'
import { labelsIn } from '../../server/core/text/label.js'
import type { Lang } from '../shared/language.js'
import type { Level, Subject } from './reports-contract.js'

export type LevelFilter = 'all' | 'red' | 'amber'

/** How many of some buses or people stand at red and amber, of how many. */
export interface StandingCount {
  red: number
  amber: number
  total: number
}

/** The compliance tab's words: the register's filters, counts and findings, and its downloads. */
export interface ComplianceText {
  heading: string
  intro: string
  asOfLabel: string
  levelFilterLabel: string
  levelFilters: Record<LevelFilter, string>
  subjectFilterLabel: string
  allSubjects: string
  subjects: Record<Subject, string>
  levels: Record<Level, string>
  countsLabel: string
  levelCount: (level: string, n: number) => string
  standingSummary: (buses: StandingCount, staff: StandingCount) => string
  findingHeaders: {
    subject: string
    who: string
    bus: string
    rule: string
    dueDate: string
    daysLeft: string
    level: string
  }
  /** The findings' words, as the exports have them (compliance-labels.ts). */
  rules: Record<ComplianceRule, string>
  daysLeft: (n: number | null) => string
  noFindings: string
  workbook: string
  csv: string
  filesNote: string
}

export const complianceText: Record<Lang, ComplianceText> = {
  zh: {
    heading: '合规台账',
    intro: `车辆证件和驾驶员、照管员资质：到期前 ${noticeDays} 天提示，${amberDays} 天内为黄色，到期当天及以后为红色。`,
    asOfLabel: '查看日期',
    levelFilterLabel: '等级',
    levelFilters: { all: '全部', red: '仅红色', amber: '红色和黄色' },
    subjectFilterLabel: '对象',
    allSubjects: '全部对象',
    subjects: { bus: '车辆', driver: '驾驶员', attendant: '照管员' },
    levels: {
      red: '红色：不合规',
      amber: `黄色：${amberDays}天内到期`,
      notice: `提示：${noticeDays}天内到期`,
    },
    countsLabel: '各等级的问题数',
    levelCount: (level, n) => `${level} · ${n} 项`,
    standingSummary: (buses, staff) =>
      `车辆 ${buses.total} 辆，其中红色 ${buses.red} 辆、黄色 ${buses.amber} 辆；` +
      `驾驶员和照管员 ${staff.total} 人，其中红色 ${staff.red} 人、黄色 ${staff.amber} 人。`,
    findingHeaders: {
      subject: '对象',
      who: '车牌 / 姓名',
      bus: '所属车辆',
      rule: '问题',
      dueDate: '到期日',
      daysLeft: '剩余天数',
      level: '等级',
    },
    rules: labelsIn(ruleLabels, 'zh'),
    daysLeft: (n) => (n === null ? '—' : n > 0 ? `还剩 ${n} 天` : n === 0 ? '今天到期' : `已过期 ${-n} 天`),
    noFindings: '没有需要处理的问题',
    workbook: '下载 Excel',
    csv: '下载 CSV',
    filesNote: '下载的文件包含所选等级的全部对象，每次下载都会记入访问记录。',
  },
  en: {
    heading: 'Compliance register',
    intro: `Buses’ papers and drivers’ and attendants’ qualifications: a notice ${noticeDays} days before the due date, amber within ${amberDays} days, red on the day and after.`,
    asOfLabel: 'As of',
    levelFilterLabel: 'Level',
    levelFilters: { all: 'All levels', red: 'Red only', amber: 'Red and amber' },
    subjectFilterLabel: 'Subject',
    allSubjects: 'Everyone',
    subjects: { bus: 'Bus', driver: 'Driver', attendant: 'Attendant' },
    levels: {
      red: 'Red: out of compliance',
      amber: `Amber: due within ${amberDays} days`,
      notice: `Notice: due within ${noticeDays} days`,
    },
    countsLabel: 'Findings by level',
    levelCount: (level, n) => `${level} · ${n}`,
    standingSummary: (buses, staff) =>
      `${buses.total} buses: ${buses.red} red, ${buses.amber} amber; ` +
      `${staff.total} drivers and attendants: ${staff.red} red, ${staff.amber} amber.`,
    findingHeaders: {
      subject: 'Subject',
      who: 'Plate / name',
      bus: 'Bus',
      rule: 'Finding',
      dueDate: 'Due date',
      daysLeft: 'Days left',
      level: 'Level',
    },
    rules: labelsIn(ruleLabels, 'en'),
    daysLeft: (n) =>
      n === null
        ? '—'
        : n > 1
          ? `${n} days left`
          : n === 1
            ? '1 day left'
            : n === 0
              ? 'due today'
              : n === -1
                ? '1 day overdue'
                : `${-n} days overdue`,
    noFindings: 'Nothing to attend to',
    workbook: 'Download Excel',
    csv: 'Download CSV',
    filesNote: 'The files hold every subject at the chosen levels; every download is kept in the audit log.',
  },
}
