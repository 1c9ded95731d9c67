import type { Clock } from '../clock/clock.js'
import type { Queryable } from '../store/database.js'
import { createAlarmCaseQueries } from '../store/alarm-case-queries.js'
import type { PublishAlarmCase } from './alarm-case.js'

/** A case escalates at most this many times: its first time, and as long again, and again. */
export const maxEscalationLevel = 3
/** Cases sent per step: a backlog (the alarms part was down) goes out over a few steps. */
const announceBatch = 200

/**
 * The alarms part's step for the inbox, run every few seconds on the platform's clock: the cases
 * opened since (by whichever process stored their events) are sent to the bureau and their
 * schools, and the critical ones nobody has acknowledged in time escalate. Each case is sent, and
 * each escalation made and sent, by one process however many run the step on one store.
 */
export function createAlarmCaseSender(deps: { db: Queryable; clock: Clock; publish: PublishAlarmCase }) {
  const cases = createAlarmCaseQueries(deps.db)
  return {
    async step(): Promise<{ opened: number; escalated: number }> {
      const now = deps.clock.now()
      const opened = await cases.getCases(await cases.announce(now, announceBatch))
      for (const alarm of opened) deps.publish({ change: 'opened', alarm })
      const escalated = await cases.getCases(await cases.escalate(now, maxEscalationLevel))
      for (const alarm of escalated) deps.publish({ change: 'escalated', alarm })
      return { opened: opened.length, escalated: escalated.length }
    },
  }
}
