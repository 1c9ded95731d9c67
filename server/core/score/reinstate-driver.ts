import type { AlarmCase, AlarmCaseChange } from '../alarms/alarm-case.js'
import { createAlarmCaseWork } from '../alarms/work-alarm-case.js'
import { createAuditLog, type Acting } from '../auth/audit-log.js'
import type { Principal } from '../auth/principal.js'
import type { Clock } from '../clock/clock.js'
import { toShanghaiTime } from '../clock/shanghai-time.js'
import { AppError } from '../errors/app-error.js'
import { createAlarmCaseQueries } from '../store/alarm-case-queries.js'
import type { Database } from '../store/database.js'
import { createScoreQueries, type RemovalEntry } from '../store/score-queries.js'

export interface Reinstatement {
  /** The removal as lifted: when, by whom, with the bureau's note. */
  removal: RemovalEntry
  /** The removal's task in the inbox as it is now; null where the removal has none. */
  alarm: AlarmCase | null
  /** The case as this reinstatement closed it, to send live; null when it was closed already. */
  change: AlarmCaseChange | null
}

/** What the removal's case says as it closes: the bureau's note, after what was done. */
const closingTextOf = (note: string) =>
  `驾驶员已恢复校车驾驶资格。The driver is reinstated to school-bus duty. ${note}`

/**
 * The bureau reinstating a driver the 12-point score took off school-bus duty, after retraining
 * (the Shaoxing model): the removal standing today is lifted, with the bureau's note and an entry in
 * the audit log in the same transaction, and its task in the inbox, if still open, is closed as
 * resolved through the inbox's own working of cases (its history, its event's acknowledgement). The
 * removal is lifted first and on its own: a case worked by someone at the same moment must not keep
 * the driver off duty. The points stay: the cycle's total and the steps reached are the record, and
 * reaching removal again in the cycle opens nothing new (score-thresholds.ts).
 */
export function createDriverReinstatement(deps: { db: Database; clock: Clock }) {
  const cases = createAlarmCaseQueries(deps.db)
  const work = createAlarmCaseWork(deps)

  return {
    /** Refuses with 404 `no_removal` when no removal of the driver stands today. */
    async reinstate(
      staffId: string,
      note: string,
      principal: Principal,
      acting: Acting,
    ): Promise<Reinstatement> {
      const at = deps.clock.now()
      const day = toShanghaiTime(at).date
      const lifted = await deps.db.transaction(async (tx) => {
        const inTx = createScoreQueries(tx)
        const removal = await inTx.liftRemoval(staffId, day, { actor: acting.actor, at, note })
        if (!removal) return undefined
        const caseId =
          (await inTx.reachedIn([removal.cycleId])).find((entry) => entry.step === 'removal')?.caseId ?? null
        // In the same transaction: a removal is never lifted without the audit log saying who did it.
        await createAuditLog({ db: tx, clock: deps.clock }).record({
          ...acting,
          action: 'score_removal_lifted',
          target: `score/driver/${staffId}`,
          detail: { cycle: removal.cycle, removedAt: removal.removedAt, note, caseId },
        })
        return { removal, caseId }
      })
      if (!lifted)
        throw new AppError('not_found', `no removal from school-bus duty stands for driver ${staffId}`, {
          reason: 'no_removal',
        })
      const { removal, caseId } = lifted

      const found = caseId === null ? undefined : await cases.getCase(caseId)
      if (!found || found.state === 'closed') return { removal, alarm: found ?? null, change: null }
      try {
        const closed = await work.perform(
          found.id,
          { kind: 'close', outcome: 'resolved', text: closingTextOf(note) },
          principal,
          acting,
        )
        return { removal, alarm: closed.alarm, change: closed.change }
      } catch (error) {
        // Closed by someone else since it was read: the removal is lifted all the same.
        if (!(error instanceof AppError && error.reason === 'alarm_closed')) throw error
        return { removal, alarm: (await cases.getCase(found.id)) ?? null, change: null }
      }
    },
  }
}
