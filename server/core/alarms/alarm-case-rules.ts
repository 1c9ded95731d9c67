import type { Role } from '../auth/principal.js'
import type { AlarmCaseState, AlarmOutcome, AlarmSeverity } from './alarm-case.js'

/** What a person asks of a case. */
export type AlarmCaseCommand =
  | { kind: 'acknowledge' }
  | { kind: 'assign'; assignee: string }
  | { kind: 'note'; text: string }
  | { kind: 'close'; outcome: AlarmOutcome; text: string }

/** One transition a command makes, kept in the case's history. */
export interface AlarmCaseStep {
  action: 'acknowledged' | 'assigned' | 'closed'
  from: AlarmCaseState
  to: AlarmCaseState
}

export type AlarmCaseDecision =
  { allowed: true; steps: AlarmCaseStep[] } | { allowed: false; reason: 'alarm_closed' }

/**
 * The transitions a command makes from the case's state. Anything done to an open case first
 * acknowledges it: whoever assigns or closes it has seen it, and its escalation must stop (and a
 * terminal's SOS be confirmed). Acknowledging again, or assigning to the same person again, changes
 * nothing, as two screens acknowledging at once should not fail. A closed case takes nothing more.
 */
export function decideAlarmCaseCommand(
  current: { state: AlarmCaseState; assignedTo: string | null },
  command: AlarmCaseCommand,
): AlarmCaseDecision {
  const { state } = current
  if (state === 'closed') return { allowed: false, reason: 'alarm_closed' }
  const steps: AlarmCaseStep[] = []
  let at: AlarmCaseState = state
  const step = (action: AlarmCaseStep['action'], to: AlarmCaseState) => {
    steps.push({ action, from: at, to })
    at = to
  }
  const acknowledgeFirst = () => {
    if (at === 'open') step('acknowledged', 'acknowledged')
  }
  switch (command.kind) {
    case 'acknowledge':
      acknowledgeFirst()
      break
    case 'assign':
      acknowledgeFirst()
      if (!(at === 'assigned' && current.assignedTo === command.assignee)) step('assigned', 'assigned')
      break
    case 'note':
      break
    case 'close':
      acknowledgeFirst()
      step('closed', 'closed')
      break
  }
  return { allowed: true, steps }
}

export type AlarmCaseRefusal = 'role' | 'alarm_bureau_only'

/**
 * Who may do what to a case in their scope (the bureau: all; a school: the cases of its buses).
 * The bureau works every case. A school acknowledges, annotates and closes its buses' cases, but
 * not the critical ones, which the bureau answers for, and assigns none: it has no say over
 * whom the bureau's people work on. Nobody else works cases.
 */
export function mayWorkAlarmCase(
  role: Role,
  severity: AlarmSeverity,
  command: AlarmCaseCommand['kind'],
): { allowed: true } | { allowed: false; refusal: AlarmCaseRefusal } {
  if (role === 'bureau') return { allowed: true }
  if (role !== 'school' || command === 'assign') return { allowed: false, refusal: 'role' }
  if (severity === 'critical') return { allowed: false, refusal: 'alarm_bureau_only' }
  return { allowed: true }
}

/** The roles that read cases: the bureau all, a school those that concern it. */
export const alarmCaseReaders = ['bureau', 'school'] as const satisfies readonly Role[]
