import type { AlarmCaseState, AlarmSeverity } from '../../server/core/alarms/alarm-case.js'
import type { AlarmCase } from './bureau-contract.js'

/** The inbox's filter: which states (the case's), severities and kinds; an empty list is any. */
export interface CaseFilter {
  states: readonly AlarmCaseState[]
  severities: readonly AlarmSeverity[]
  kinds: readonly string[]
}

/** The inbox as it opens: every case still to be worked. */
export const unfinishedCases: CaseFilter = {
  states: ['open', 'acknowledged', 'assigned'],
  severities: [],
  kinds: [],
}

export function caseMatches(filter: CaseFilter, alarm: AlarmCase): boolean {
  return (
    (filter.states.length === 0 || filter.states.includes(alarm.state)) &&
    (filter.severities.length === 0 || filter.severities.includes(alarm.severity)) &&
    (filter.kinds.length === 0 || filter.kinds.includes(alarm.kind))
  )
}

const severityRank: Record<AlarmSeverity, number> = { critical: 0, major: 1, minor: 2 }
const stateRank: Record<AlarmCaseState, number> = { open: 0, acknowledged: 1, assigned: 1, closed: 2 }

/**
 * The inbox's order: cases nobody has taken up yet first, then those being worked, closed ones
 * last; within each, the most severe first, escalated before not, then the newest.
 */
export function orderCases(cases: readonly AlarmCase[]): AlarmCase[] {
  return [...cases].sort(
    (a, b) =>
      stateRank[a.state] - stateRank[b.state] ||
      severityRank[a.severity] - severityRank[b.severity] ||
      b.escalationLevel - a.escalationLevel ||
      Date.parse(b.raisedAt) - Date.parse(a.raisedAt) ||
      b.id - a.id,
  )
}

/**
 * The inbox after a case opened or changed live: the new version in place of the old, dropped if
 * it no longer fits the filter (a case closed while the inbox shows unfinished ones), in order.
 */
export function applyCaseChange(
  cases: readonly AlarmCase[],
  filter: CaseFilter,
  alarm: AlarmCase,
): AlarmCase[] {
  const others = cases.filter((known) => known.id !== alarm.id)
  return orderCases(caseMatches(filter, alarm) ? [...others, alarm] : others)
}
