import { amberDays, noticeDays } from './compliance-rules.js'

export type ComplianceSubject = 'bus' | 'driver' | 'attendant'

/**
 * What a finding is about: one paper of a bus or a person, one condition a driver must meet, or a
 * bus's driver or attendant. A paper's findings change rule as it nears and passes its due date,
 * never paper: what is remembered of a finding (trip warnings, alarms) goes by paper.
 */
export type CompliancePaper =
  | 'permit'
  | 'inspection'
  | 'insurance'
  | 'crew_driver'
  | 'crew_attendant'
  | 'age'
  | 'experience'
  | 'licence_class'
  | 'review'
  | 'training'
  | 'score'

/** Stable codes: pages and exports word them, alarms and import warnings carry them. */
export const complianceRules = [
  'permit_missing',
  'permit_expiring',
  'permit_expired',
  'inspection_missing',
  'inspection_due',
  'inspection_overdue',
  'insurance_missing',
  'insurance_expiring',
  'insurance_expired',
  'driver_missing',
  'attendant_missing',
  'driver_birth_date_missing',
  'driver_age',
  'driver_licence_date_missing',
  'driver_experience',
  'driver_licence_class_missing',
  'driver_licence_class',
  'driver_review_missing',
  'driver_review_due',
  'driver_review_overdue',
  'attendant_training_missing',
  'attendant_training_due',
  'attendant_training_overdue',
  'driver_removed_by_score',
  'operator_removed_by_score',
] as const
export type ComplianceRule = (typeof complianceRules)[number]

/** Red: out of compliance (or lapsing today); amber: within 7 days; notice: within 30. */
export const complianceLevels = ['red', 'amber', 'notice'] as const
export type ComplianceLevel = (typeof complianceLevels)[number]

/** A bus's or a person's standing on a day: its worst finding, a notice counting as ok. */
export type ComplianceStatus = 'red' | 'amber' | 'ok'

export interface ComplianceFinding {
  subject: ComplianceSubject
  /** The bus's plate, or the person's staff code. */
  key: string
  /** The bus concerned: the bus itself, or the one the person serves (null when none). */
  busPlate: string | null
  paper: CompliancePaper
  rule: ComplianceRule
  level: ComplianceLevel
  /**
   * The last day the paper covers or the check is on time; for a condition not yet met (a driver
   * too young, too new to driving), the day it will be. Null when the register lacks the date.
   */
  dueDate: string | null
  /** From the service day to `dueDate`: 0 on that day, negative after it. */
  daysLeft: number | null
}

/** The level of a dated paper `daysLeft` days before its due date; none beyond 30 days. */
export function levelForDaysLeft(daysLeft: number): ComplianceLevel | null {
  if (daysLeft <= 0) return 'red'
  if (daysLeft <= amberDays) return 'amber'
  if (daysLeft <= noticeDays) return 'notice'
  return null
}

const levelRank: Record<ComplianceLevel, number> = { red: 0, amber: 1, notice: 2 }

/** True when `level` is `atLeast` or worse (red is worst). */
export function isAtLeast(level: ComplianceLevel, atLeast: ComplianceLevel): boolean {
  return levelRank[level] <= levelRank[atLeast]
}

/** The worst of some findings as a status: red, amber, or ok (notices and nothing). */
export function statusOf(findings: readonly Pick<ComplianceFinding, 'level'>[]): ComplianceStatus {
  if (findings.some((f) => f.level === 'red')) return 'red'
  if (findings.some((f) => f.level === 'amber')) return 'amber'
  return 'ok'
}

/** Worst first, then by due date (undated first: missing data is the first thing to fix). */
export function compareFindings(a: ComplianceFinding, b: ComplianceFinding): number {
  return (
    levelRank[a.level] - levelRank[b.level] ||
    (a.dueDate ?? '').localeCompare(b.dueDate ?? '') ||
    a.subject.localeCompare(b.subject) ||
    a.key.localeCompare(b.key) ||
    a.rule.localeCompare(b.rule)
  )
}

/**
 * A finding as shown to people: an age finding's dates would give away the driver's birthday,
 * so it says only that the age is out of range (or nearly so).
 */
export function withoutBirthDate(finding: ComplianceFinding): ComplianceFinding {
  return finding.paper === 'age' ? { ...finding, dueDate: null, daysLeft: null } : finding
}

/**
 * Which turn of a paper a finding belongs to: its due date, so a renewed paper warns again; for a
 * driver's age, the lower or the upper limit; for missing data, `missing`.
 */
export function findingCycle(finding: ComplianceFinding): string {
  if (finding.dueDate === null) return 'missing'
  if (finding.paper === 'age')
    return finding.daysLeft !== null && finding.daysLeft > 0 && finding.level === 'red' ? 'min' : 'max'
  return finding.dueDate
}
