import type { ComplianceRule } from '../../server/core/compliance/compliance-finding.js'
import { amberDays, noticeDays } from '../../server/core/compliance/compliance-rules.js'
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
    rules: {
      permit_missing: '未登记校车标牌',
      permit_expiring: '校车标牌即将到期',
      permit_expired: '校车标牌已过期',
      inspection_missing: '未登记安全技术检验',
      inspection_due: '半年一次的安全检验即将到期',
      inspection_overdue: '安全检验已逾期',
      insurance_missing: '未登记保险',
      insurance_expiring: '保险即将到期',
      insurance_expired: '保险已过期',
      driver_missing: '未配备驾驶员',
      attendant_missing: '未配备照管员',
      driver_birth_date_missing: '未登记出生日期',
      driver_age: '年龄不在25至60周岁之间（或即将超出）',
      driver_licence_date_missing: '未登记初次领证日期',
      driver_experience: '驾驶经历不满3年',
      driver_licence_class_missing: '未登记准驾车型',
      driver_licence_class: '准驾车型与车辆不符',
      driver_review_missing: '未登记年度审验',
      driver_review_due: '年度审验即将到期',
      driver_review_overdue: '年度审验已逾期',
      attendant_training_missing: '未登记照管员培训',
      attendant_training_due: '照管员培训即将到期',
      attendant_training_overdue: '照管员培训已逾期',
      driver_removed_by_score: '记满12分，暂停校车驾驶',
    },
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
    rules: {
      permit_missing: 'No school-bus permit recorded',
      permit_expiring: 'School-bus permit expiring',
      permit_expired: 'School-bus permit expired',
      inspection_missing: 'No safety inspection recorded',
      inspection_due: 'Six-monthly safety inspection due',
      inspection_overdue: 'Safety inspection overdue',
      insurance_missing: 'No insurance recorded',
      insurance_expiring: 'Insurance expiring',
      insurance_expired: 'Insurance expired',
      driver_missing: 'No driver assigned',
      attendant_missing: 'No attendant assigned',
      driver_birth_date_missing: 'No birth date recorded',
      driver_age: 'Age outside 25–60 (or about to be)',
      driver_licence_date_missing: 'No first-licence date recorded',
      driver_experience: 'Less than 3 years of driving',
      driver_licence_class_missing: 'No licence class recorded',
      driver_licence_class: 'Licence class does not cover the bus',
      driver_review_missing: 'No annual review recorded',
      driver_review_due: 'Annual review due',
      driver_review_overdue: 'Annual review overdue',
      attendant_training_missing: 'No attendant training recorded',
      attendant_training_due: 'Attendant training due',
      attendant_training_overdue: 'Attendant training overdue',
      driver_removed_by_score: 'Off school-bus duty: 12 points',
    },
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
