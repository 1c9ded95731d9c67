import {
  complianceLevels,
  type Compliance,
  type Finding,
  type Grouping,
  type Level,
  type Standing,
  type Subject,
} from './reports-contract.js'
import type { ComplianceText, LevelFilter, StandingCount } from './compliance-text.js'

/** The levels a filter keeps: as the server's `level`, that level or worse (red, then amber, then notice). */
export function levelsOf(filter: LevelFilter): readonly Level[] {
  if (filter === 'all') return complianceLevels
  return complianceLevels.slice(0, complianceLevels.indexOf(filter) + 1)
}

/** The findings a reader asked for: at the filter's levels, of one kind of subject or all. */
export function filterFindings(
  findings: readonly Finding[],
  filter: { level: LevelFilter; subject: Subject | 'all' },
): Finding[] {
  const levels = levelsOf(filter.level)
  return findings.filter(
    (finding) =>
      levels.includes(finding.level) && (filter.subject === 'all' || finding.subject === filter.subject),
  )
}

/** How many findings stand at each level. */
export function countLevels(findings: readonly Finding[]): Record<Level, number> {
  const counts: Record<Level, number> = { red: 0, amber: 0, notice: 0 }
  for (const finding of findings) counts[finding.level] += 1
  return counts
}

const countStandings = (statuses: readonly Standing[]): StandingCount => ({
  red: statuses.filter((status) => status === 'red').length,
  amber: statuses.filter((status) => status === 'amber').length,
  total: statuses.length,
})

/** The buses' standing (their own papers) and the drivers' and attendants', counted. */
export function countStandingsOf(compliance: Compliance): { buses: StandingCount; staff: StandingCount } {
  return {
    buses: countStandings(compliance.buses.map((bus) => bus.status)),
    staff: countStandings(compliance.staff.map((person) => person.status)),
  }
}

/**
 * The standing of each row a report by bus or by driver holds, by the row's id (the bus's id, the
 * driver's staff code): red or amber where the compliance register has it so; other groupings have none.
 */
export function standingsByRow(compliance: Compliance | null, by: Grouping): Map<string, Standing> {
  const standings = new Map<string, Standing>()
  if (!compliance) return standings
  if (by === 'bus') for (const bus of compliance.buses) standings.set(bus.busId, bus.status)
  if (by === 'driver')
    for (const person of compliance.staff)
      if (person.role === 'driver') standings.set(person.staffId, person.status)
  return standings
}

/** A finding's rule in the page's words; a rule the page does not know yet, as the server names it. */
export function ruleWords(rule: string, t: ComplianceText): string {
  return (t.rules as Record<string, string>)[rule] ?? rule.replace(/_/g, ' ')
}
