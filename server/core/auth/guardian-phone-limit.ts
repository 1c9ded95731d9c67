import type { Clock } from '../clock/clock.js'
import type { Queryable } from '../store/database.js'
import type { AuditLog } from './audit-log.js'
import type { CodeOrigin } from './one-time-codes.js'
import { createSessions } from './sessions.js'

/** A guardian's phones: a fourth one enrolled ends the one least recently used. */
export const maxGuardianPhones = 3

const endedReason = 'a newer phone was enrolled'

/**
 * Ends a guardian's open sessions beyond the `maxGuardianPhones` most recently used, never the one
 * just given (`keptSessionId`). Returns the ids of those it ended.
 */
export async function endExtraGuardianPhones(
  tx: Queryable,
  clock: Clock,
  guardianId: string,
  keptSessionId: string,
): Promise<string[]> {
  const extra = await tx.query<{ id: string }>(
    `SELECT id FROM auth_sessions
      WHERE kind = 'guardian' AND guardian_id = $1 AND revoked_at IS NULL AND expires_at > $2
      ORDER BY (id = $3) DESC, last_used_at DESC, created_at DESC OFFSET $4`,
    [guardianId, clock.now(), keptSessionId, maxGuardianPhones],
  )
  const sessions = createSessions({ db: tx, clock })
  const ended: string[] = []
  for (const { id } of extra) {
    if (await sessions.revoke(id, { actor: guardianId, reason: endedReason })) ended.push(id)
  }
  return ended
}

/** The phones the limit ended, each in the audit log as the guardian's doing. */
export async function recordEndedPhones(
  audit: AuditLog,
  guardianId: string,
  ended: readonly string[],
  origin: CodeOrigin,
): Promise<void> {
  for (const id of ended) {
    await audit.record({
      actor: guardianId,
      actorRole: 'parent',
      action: 'session_revoked',
      target: id,
      detail: { kind: 'guardian', reason: endedReason, limit: maxGuardianPhones },
      ip: origin.ip,
      userAgent: origin.userAgent,
    })
  }
}
