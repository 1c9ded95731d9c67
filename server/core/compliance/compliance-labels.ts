import type {
  ComplianceLevel,
  ComplianceRule,
  ComplianceStatus,
  ComplianceSubject,
} from './compliance-finding.js'
import type { Label } from '../text/label.js'

/** How the exports word each finding, in both languages (the pages word them in their own texts). */
export const ruleLabels: Record<ComplianceRule, Label> = {
  permit_missing: { zh: '未登记校车标牌', en: 'No school-bus permit recorded' },
  permit_expiring: { zh: '校车标牌即将到期', en: 'School-bus permit expiring' },
  permit_expired: { zh: '校车标牌已过期', en: 'School-bus permit expired' },
  inspection_missing: { zh: '未登记安全技术检验', en: 'No safety inspection recorded' },
  inspection_due: { zh: '半年一次的安全检验即将到期', en: 'Six-monthly safety inspection due' },
  inspection_overdue: { zh: '安全检验已逾期', en: 'Safety inspection overdue' },
  insurance_missing: { zh: '未登记保险', en: 'No insurance recorded' },
  insurance_expiring: { zh: '保险即将到期', en: 'Insurance expiring' },
  insurance_expired: { zh: '保险已过期', en: 'Insurance expired' },
  driver_missing: { zh: '未配备驾驶员', en: 'No driver assigned' },
  attendant_missing: { zh: '未配备照管员', en: 'No attendant assigned' },
  driver_birth_date_missing: { zh: '未登记出生日期', en: 'No birth date recorded' },
  driver_age: { zh: '年龄不在25至60周岁之间（或即将超出）', en: 'Age outside 25–60 (or about to be)' },
  driver_licence_date_missing: { zh: '未登记初次领证日期', en: 'No first-licence date recorded' },
  driver_experience: { zh: '驾驶经历不满3年', en: 'Less than 3 years of driving' },
  driver_licence_class_missing: { zh: '未登记准驾车型', en: 'No licence class recorded' },
  driver_licence_class: { zh: '准驾车型与车辆不符', en: 'Licence class does not cover the bus' },
  driver_review_missing: { zh: '未登记年度审验', en: 'No annual review recorded' },
  driver_review_due: { zh: '年度审验即将到期', en: 'Annual review due' },
  driver_review_overdue: { zh: '年度审验已逾期', en: 'Annual review overdue' },
  attendant_training_missing: { zh: '未登记照管员培训', en: 'No attendant training recorded' },
  attendant_training_due: { zh: '照管员培训即将到期', en: 'Attendant training due' },
  attendant_training_overdue: { zh: '照管员培训已逾期', en: 'Attendant training overdue' },
  driver_removed_by_score: { zh: '记满12分，暂停校车驾驶', en: 'Off school-bus duty: 12 points' },
  operator_removed_by_score: {
    zh: '运营企业记满12分，暂停校车运营',
    en: 'Operator off school-bus service: 12 points',
  },
}

export const levelLabels: Record<ComplianceLevel, Label> = {
  red: { zh: '红色（不合规）', en: 'red (out of compliance)' },
  amber: { zh: '黄色（7天内）', en: 'amber (within 7 days)' },
  notice: { zh: '提示（30天内）', en: 'notice (within 30 days)' },
}

export const statusLabels: Record<ComplianceStatus, Label> = {
  red: { zh: '红色', en: 'red' },
  amber: { zh: '黄色', en: 'amber' },
  ok: { zh: '正常', en: 'ok' },
}

export const subjectLabels: Record<ComplianceSubject, Label> = {
  bus: { zh: '车辆', en: 'bus' },
  driver: { zh: '驾驶员', en: 'driver' },
  attendant: { zh: '照管员', en: 'attendant' },
}
