import {
  isAtLeast,
  withoutBirthDate,
  type ComplianceFinding,
  type ComplianceLevel,
} from './compliance-finding.js'
import {
  findComplianceIssues,
  summariseCompliance,
  type BusCompliance,
  type ComplianceRegisters,
  type StaffCompliance,
} from './find-compliance.js'

/** The compliance register as people read it, on screen or exported. */
export interface ComplianceReport {
  date: string
  /** Worst first; a person's finding carries the name the register gives them. */
  findings: (ComplianceFinding & { name: string | null })[]
  buses: BusCompliance[]
  staff: StaffCompliance[]
  counts: Record<ComplianceLevel, number>
}

/**
 * The register of `registers` (already cut to what the reader may see) on `date`. With `level`,
 * only findings at that level or worse, and only the buses and people having one. Age findings
 * leave out their dates, which would give away a birthday.
 */
export function buildComplianceReport(
  registers: ComplianceRegisters,
  date: string,
  options: { level?: ComplianceLevel } = {},
): ComplianceReport {
  const all = findComplianceIssues(registers, date)
  const { level } = options
  const findings = level ? all.filter((f) => isAtLeast(f.level, level)) : all
  const summary = summariseCompliance(registers, all)
  const nameOf = new Map(registers.staff.map((person) => [person.code, person.name]))
  const flagged = new Set(findings.map((f) => `${f.subject === 'bus' ? 'bus' : 'staff'}\t${f.key}`))
  return {
    date,
    findings: findings.map((finding) => ({
      ...withoutBirthDate(finding),
      name: finding.subject === 'bus' ? null : (nameOf.get(finding.key) ?? null),
    })),
    buses: level ? summary.buses.filter((b) => flagged.has(`bus\t${b.plate}`)) : summary.buses,
    staff: level ? summary.staff.filter((s) => flagged.has(`staff\t${s.staffId}`)) : summary.staff,
    counts: {
      red: findings.filter((f) => f.level === 'red').length,
      amber: findings.filter((f) => f.level === 'amber').length,
      notice: findings.filter((f) => f.level === 'notice').length,
    },
  }
}
