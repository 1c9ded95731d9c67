import type { Clock } from '../clock/clock.js'
import type { Queryable } from '../store/database.js'
import type { AuditEntry, AuditLog } from './audit-log.js'
import { hashCode, normaliseCode } from './one-time-code-format.js'
import {
  refusalError,
  type CodeOrigin,
  type CodePurpose,
  type CodeRefusal,
  type RedeemedSession,
} from './one-time-codes.js'
import { describeUserAgent } from './phone-label.js'
import { createSessions, type SessionGrant } from './sessions.js'

/** A phone stays enrolled or paired while it is used at least once in this long. */
export const phoneSessionS = 180 * 86_400
/** Wrong confirmations before a code is voided. */
export const maxWrongConfirmations = 5

export type CodeRow = {
  id: string
  purpose: CodePurpose
  guardian_id: string | null
  pupil_id: string | null
  staff_id: string | null
  expires_at: Date
  failed_attempts: number
  used_at: Date | null
  voided_at: Date | null
}

/**
 * What a code's own check says of the phone redeeming it, once the code itself is valid: the session
 * to give, or a refusal. `wrong_digits` is counted, and the last allowed voids the code.
 */
export type Confirmation<T> =
  { ok: true; grant: SessionGrant; value: T } | { ok: false; refusal: 'unknown' | 'wrong_digits' }

/** Whom a refused code was for, as far as it is known, and how many wrong confirmations it had. */
export interface RefusalDetail {
  codeId?: string
  guardianId?: string
  pupilId?: string
  staffId?: string
  attempts?: number
}

export type Refused = { ok: false; refusal: CodeRefusal; detail: RefusalDetail }
export type Redemption<T> = { ok: true; session: RedeemedSession; value: T } | Refused

/** The code row for a typed code, locked until the transaction ends so it is redeemed once. */
async function lockCode(tx: Queryable, typed: string, purpose: CodePurpose): Promise<CodeRow | undefined> {
  const normalised = normaliseCode(typed)
  if (!normalised) return undefined
  const [row] = await tx.query<CodeRow>(
    `SELECT id, purpose, guardian_id, pupil_id, staff_id, expires_at, failed_attempts, used_at, voided_at
       FROM one_time_codes WHERE code_hash = $1 AND purpose = $2 FOR UPDATE`,
    [hashCode(normalised), purpose],
  )
  return row
}

/** Unknown, voided, used or expired: the refusal, or none when the code may still be redeemed. */
function refusalOf(row: CodeRow | undefined, now: Date): CodeRefusal | null {
  if (!row || row.voided_at) return 'unknown'
  if (row.used_at) return 'used'
  if (row.expires_at <= now) return 'expired'
  return null
}

const holderOf = (row: CodeRow | undefined): RefusalDetail => ({
  codeId: row?.id,
  guardianId: row?.guardian_id ?? undefined,
  pupilId: row?.pupil_id ?? undefined,
  staffId: row?.staff_id ?? undefined,
})

/** Counts a wrong confirmation; the last allowed voids the code. Returns the count so far. */
async function countWrongConfirmation(tx: Queryable, clock: Clock, row: CodeRow): Promise<number> {
  const attempts = row.failed_attempts + 1
  await tx.query('UPDATE one_time_codes SET failed_attempts = $2, voided_at = $3 WHERE id = $1', [
    row.id,
    attempts,
    attempts >= maxWrongConfirmations ? clock.now() : null,
  ])
  return attempts
}

/**
 * Redeems a typed code inside the caller's transaction: the code looked up and locked, refused when
 * unknown, voided, used or expired, then `confirm`ed by its kind; a confirmed code gives the phone a
 * sliding session and is used up. A refusal is returned, not thrown, so that the counted wrong
 * confirmation is kept when the transaction commits.
 */
export async function redeemOneTimeCode<T>(
  tx: Queryable,
  clock: Clock,
  typed: { code: string; purpose: CodePurpose; origin: CodeOrigin },
  confirm: (row: CodeRow) => Promise<Confirmation<T>>,
): Promise<Redemption<T>> {
  const row = await lockCode(tx, typed.code, typed.purpose)
  const refusal = refusalOf(row, clock.now())
  if (refusal || !row) return { ok: false, refusal: refusal ?? 'unknown', detail: holderOf(row) }
  const confirmation = await confirm(row)
  if (!confirmation.ok) {
    if (confirmation.refusal === 'unknown') return { ok: false, refusal: 'unknown', detail: holderOf(row) }
    const attempts = await countWrongConfirmation(tx, clock, row)
    return {
      ok: false,
      refusal: attempts >= maxWrongConfirmations ? 'too_many_attempts' : 'wrong_digits',
      detail: { ...holderOf(row), attempts },
    }
  }
  const issued = await createSessions({ db: tx, clock }).issue(confirmation.grant, {
    ttlS: phoneSessionS,
    renewS: phoneSessionS,
    label: describeUserAgent(typed.origin.userAgent),
    ip: typed.origin.ip ?? undefined,
  })
  await tx.query('UPDATE one_time_codes SET used_at = $2, session_id = $3 WHERE id = $1', [
    row.id,
    clock.now(),
    issued.id,
  ])
  return {
    ok: true,
    session: { token: issued.token, sessionId: issued.id, expiresAt: issued.expiresAt },
    value: confirmation.value,
  }
}

/** Writes a refused redemption to the audit log; returns the error the phone is answered with. */
export async function recordRefusal(
  audit: AuditLog,
  refused: Refused,
  entry: Omit<AuditEntry, 'detail'>,
): Promise<Error> {
  await audit.record({ ...entry, detail: { reason: refused.refusal, ...refused.detail } })
  return refusalError(refused.refusal)
}
