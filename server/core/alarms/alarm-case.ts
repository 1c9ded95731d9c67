/**
 * The bureau's alarm inbox: every alarm event (a kind in the catalogue) opens one case, which a
 * person acknowledges, assigns, annotates and closes with an outcome (migration 12). These are the
 * shapes the API answers with and the live channel sends.
 */

export const alarmSeverities = ['critical', 'major', 'minor'] as const
export type AlarmSeverity = (typeof alarmSeverities)[number]

/** open → acknowledged → assigned → closed; closing is allowed from any state but closed. */
export const alarmCaseStates = ['open', 'acknowledged', 'assigned', 'closed'] as const
export type AlarmCaseState = (typeof alarmCaseStates)[number]

/** How a case ended; the closing text says more. */
export const alarmOutcomes = [
  /** Dealt with: the child was found, the driver slowed down, the terminal was repaired. */
  'resolved',
  /** Nothing happened: a misreading of the terminal or of the rules. */
  'false_alarm',
  /** The equipment, not the bus's conduct, was at fault. */
  'equipment_fault',
  /** Another case covers it. */
  'duplicate',
  /** Handed to the police or the operator, who follow it up. */
  'referred',
  'no_action_needed',
] as const
export type AlarmOutcome = (typeof alarmOutcomes)[number]

/** An event kind the bureau treats as an alarm. */
export interface AlarmKind {
  kind: string
  severity: AlarmSeverity
  /** Critical kinds only: a case nobody has acknowledged escalates after this many minutes. */
  escalateAfterMin: number | null
  updatedBy: string
  updatedAt: Date
}

/** A case as lists show it; the evidence is read with the one case. */
export interface AlarmCase {
  id: number
  busId: string
  plate: string | null
  kind: string
  /** The event's own time, which with bus and kind names it. */
  raisedAt: Date
  tripId: string | null
  severity: AlarmSeverity
  /** The schools it concerns: they see it in their inbox. */
  schoolIds: string[]
  state: AlarmCaseState
  /** When the platform first sent it to the bureau and the schools; escalation counts from here. */
  announcedAt: Date | null
  acknowledgedBy: string | null
  acknowledgedAt: Date | null
  assignedTo: string | null
  assignedBy: string | null
  assignedAt: Date | null
  closedBy: string | null
  closedAt: Date | null
  outcome: AlarmOutcome | null
  closingText: string | null
  /** 0 until it escalates; each escalation adds one. */
  escalationLevel: number
  escalatedAt: Date | null
  /** When it escalates next, while nobody acknowledges it. */
  escalateAt: Date | null
  /** Where the event says it happened, when it says. */
  where: { lat: number; lon: number } | null
}

export type AlarmCaseAction = 'opened' | 'acknowledged' | 'assigned' | 'closed' | 'escalated'

export interface AlarmCaseHistoryEntry {
  at: Date
  actor: string
  action: AlarmCaseAction
  fromState: AlarmCaseState | null
  toState: AlarmCaseState
  detail: Record<string, unknown>
}

export interface AlarmCaseNote {
  id: number
  at: Date
  author: string
  text: string
}

/** What the live channel sends to the bureau and the case's schools when a case opens or changes. */
export interface AlarmCaseChange {
  change: AlarmCaseAction | 'noted'
  alarm: AlarmCase
  note?: AlarmCaseNote
}

/** Sends a change to the bureau and the schools the case concerns, never to parents. */
export type PublishAlarmCase = (change: AlarmCaseChange) => void
