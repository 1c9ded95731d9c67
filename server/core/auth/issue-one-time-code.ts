import type { Clock } from '../clock/clock.js'
import type { Queryable } from '../store/database.js'
import { generateCode, hashCode, normaliseCode } from './one-time-code-format.js'
import type { IssuedCode } from './one-time-codes.js'
import { randomText } from './sessions.js'

/** Whom a code is for: a guardian for one pupil, or an attendant. */
export type CodeHolder =
  { purpose: 'enrolment'; guardianId: string; pupilId: string } | { purpose: 'pairing'; staffId: string }

/** A new code for `holder`, valid `validS` from now; the store keeps only its hash. */
export async function issueOneTimeCode(
  tx: Queryable,
  clock: Clock,
  holder: CodeHolder,
  createdBy: string,
  validS: number,
): Promise<IssuedCode> {
  const now = clock.now()
  const code = generateCode()
  const id = randomText(12)
  const expiresAt = new Date(now.getTime() + validS * 1000)
  await tx.query(
    `INSERT INTO one_time_codes (id, purpose, code_hash, guardian_id, pupil_id, staff_id, created_by,
       created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      id,
      holder.purpose,
      hashCode(normaliseCode(code)!),
      holder.purpose === 'enrolment' ? holder.guardianId : null,
      holder.purpose === 'enrolment' ? holder.pupilId : null,
      holder.purpose === 'pairing' ? holder.staffId : null,
      createdBy,
      now,
      expiresAt,
    ],
  )
  return { id, code, expiresAt }
}

/**
 * Voids the holder's unused codes but `exceptId`: a new code replaces the earlier ones, so only the
 * newest letter (or pairing code) works.
 */
export async function voidUnusedCodes(
  tx: Queryable,
  clock: Clock,
  holder: CodeHolder,
  exceptId?: string,
): Promise<void> {
  const [heldBy, held] =
    holder.purpose === 'enrolment'
      ? ['guardian_id = $4 AND pupil_id = $5', [holder.guardianId, holder.pupilId]]
      : ['staff_id = $4', [holder.staffId]]
  await tx.query(
    `UPDATE one_time_codes SET voided_at = $2
      WHERE purpose = $1 AND ${heldBy}
        AND used_at IS NULL AND voided_at IS NULL AND id IS DISTINCT FROM $3`,
    [holder.purpose, clock.now(), exceptId ?? null, ...held],
  )
}
