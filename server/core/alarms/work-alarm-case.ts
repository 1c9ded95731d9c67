import { createAuditLog, type Acting } from '../auth/audit-log.js'
import type { Principal } from '../auth/principal.js'
import type { Clock } from '../clock/clock.js'
import { AppError } from '../errors/app-error.js'
import type { Database } from '../store/database.js'
import { createAlarmCaseQueries, type LockedAlarmCase } from '../store/alarm-case-queries.js'
import { acknowledgeAlarmEvent } from './acknowledge-alarm-event.js'
import type { AlarmCase, AlarmCaseChange, AlarmCaseNote } from './alarm-case.js'
import {
  alarmCaseReaders,
  decideAlarmCaseCommand,
  mayWorkAlarmCase,
  type AlarmCaseCommand,
} from './alarm-case-rules.js'

export interface AlarmCaseWorkResult {
  alarm: AlarmCase
  /** What to send live; null when the command changed nothing (a second acknowledgement). */
  change: AlarmCaseChange | null
}

/** Whether this caller may read the case: the bureau every case, a school those that concern it. */
export function canReadAlarmCase(principal: Principal, alarm: Pick<AlarmCase, 'schoolIds'>): boolean {
  if (principal.role === 'bureau') return true
  return principal.role === 'school' && alarm.schoolIds.includes(principal.schoolId)
}

/**
 * Working a case: each command is judged (scope, role, the case's state) and made under the case's
 * row lock, so two people acting at once take turns and the second sees what the first did. A
 * command that acknowledges the case acknowledges its event too, in the same transaction and
 * through the one acknowledgement of events, which confirms a terminal's SOS to the terminal.
 */
export function createAlarmCaseWork(deps: { db: Database; clock: Clock }) {
  const cases = createAlarmCaseQueries(deps.db)

  const assertMay = (principal: Principal, alarm: LockedAlarmCase, command: AlarmCaseCommand['kind']) => {
    if (
      !(alarmCaseReaders as readonly string[]).includes(principal.role) ||
      !canReadAlarmCase(principal, alarm)
    )
      throw new AppError('forbidden', `alarm ${alarm.id} is outside this token's scope`)
    const may = mayWorkAlarmCase(principal.role, alarm.severity, command)
    if (may.allowed) return
    if (may.refusal === 'alarm_bureau_only')
      throw new AppError('forbidden', `alarm ${alarm.id} is critical: the bureau works it`, {
        reason: 'alarm_bureau_only',
      })
    throw new AppError('forbidden', `the ${principal.role} role may not ${command} an alarm`)
  }

  /** An assignee must be an active staff account who could work the case. */
  const assertAssignable = async (
    queries: ReturnType<typeof createAlarmCaseQueries>,
    alarm: LockedAlarmCase,
    assignee: string,
  ) => {
    const account = await queries.findAccount(assignee)
    const refuse = (why: string) =>
      new AppError('unprocessable', `cannot assign alarm ${alarm.id} to ${assignee}: ${why}`, {
        reason: 'assignee_not_eligible',
        field: 'body.assignee',
      })
    if (!account) throw refuse('no active staff account has this username')
    if (account.role === 'school') {
      if (!account.schoolId || !alarm.schoolIds.includes(account.schoolId))
        throw refuse('the alarm does not concern their school')
      if (alarm.severity === 'critical') throw refuse('a critical alarm is for the bureau')
    }
  }

  return {
    /**
     * Does `command` to case `id` as `principal`. Refuses with 404 (no such case), 403 (outside the
     * caller's scope or role, or a school on a critical case: `alarm_bureau_only`), 409 (a closed
     * case: `alarm_closed`) or 422 (an assignee who may not have it: `assignee_not_eligible`).
     */
    async perform(
      id: number,
      command: AlarmCaseCommand,
      principal: Principal,
      acting: Acting,
    ): Promise<AlarmCaseWorkResult> {
      const at = deps.clock.now()
      const done = await deps.db.transaction(async (tx) => {
        const queries = createAlarmCaseQueries(tx)
        const alarm = await queries.lockCase(id)
        if (!alarm) throw new AppError('not_found', `no alarm ${id}`)
        assertMay(principal, alarm, command.kind)
        const decision = decideAlarmCaseCommand(alarm, command)
        if (!decision.allowed)
          throw new AppError('conflict', `alarm ${id} is closed`, { reason: decision.reason })
        if (command.kind === 'assign' && decision.steps.some((step) => step.action === 'assigned'))
          await assertAssignable(queries, alarm, command.assignee)
        await queries.applySteps(id, decision.steps, {
          actor: acting.actor,
          at,
          ...(command.kind === 'assign' ? { assignee: command.assignee } : {}),
          ...(command.kind === 'close' ? { outcome: command.outcome, text: command.text } : {}),
        })
        const note: AlarmCaseNote | undefined =
          command.kind === 'note'
            ? await queries.addNote(id, { author: acting.actor, at, text: command.text })
            : undefined
        if (decision.steps.some((step) => step.action === 'acknowledged')) {
          // In the same transaction: the case, its event and the terminal's confirmation go together.
          const inTx = { db: tx, clock: deps.clock, audit: createAuditLog({ db: tx, clock: deps.clock }) }
          await acknowledgeAlarmEvent(
            inTx,
            { busId: alarm.busId, kind: alarm.kind, ts: new Date(alarm.eventTs) },
            acting,
          )
        }
        return { steps: decision.steps, note }
      })
      const alarm = (await cases.getCase(id))!
      const last = done.steps[done.steps.length - 1]
      const change: AlarmCaseChange | null = done.note
        ? { change: 'noted', alarm, note: done.note }
        : last
          ? { change: last.action, alarm }
          : null
      return { alarm, change }
    },
  }
}

export type AlarmCaseWork = ReturnType<typeof createAlarmCaseWork>
