import type { Queryable } from '../store/database.js'
import type { Acting } from './audit-log.js'
import { endExtraGuardianPhones, recordEndedPhones } from './guardian-phone-limit.js'
import { issueOneTimeCode, voidUnusedCodes } from './issue-one-time-code.js'
import type { CodeOrigin, CodeParts, IssuedCode, RedeemedSession } from './one-time-codes.js'
import { recordRefusal, redeemOneTimeCode, type CodeRow, type Confirmation } from './redeem-one-time-code.js'

export const enrolmentValidS = 30 * 86_400

export interface EnrolmentPair {
  guardianId: string
  pupilId: string
}

/** The last four digits of a phone number as the registers hold it, whatever its punctuation. */
export function lastFourDigits(phone: string | null): string | null {
  const digits = (phone ?? '').replace(/\D/g, '')
  return digits.length >= 4 ? digits.slice(-4) : null
}

/** A letter's code is confirmed by the last four digits of the phone the registers hold. */
async function confirmGuardianPhone(
  tx: Queryable,
  row: CodeRow,
  phoneLast4: string,
): Promise<Confirmation<EnrolmentPair>> {
  const guardianId = row.guardian_id!
  const [guardian] = await tx.query<{ phone: string | null }>('SELECT phone FROM guardians WHERE id = $1', [
    guardianId,
  ])
  const expected = lastFourDigits(guardian?.phone ?? null)
  if (!expected || phoneLast4 !== expected) return { ok: false, refusal: 'wrong_digits' }
  return { ok: true, grant: { kind: 'guardian', guardianId }, value: { guardianId, pupilId: row.pupil_id! } }
}

const enrolmentHolder = (pair: EnrolmentPair) => ({ purpose: 'enrolment' as const, ...pair })

/**
 * Enrolment codes: a letter for one guardian of one pupil, valid thirty days, redeemed once on the
 * guardian's phone. A new code for the same guardian and pupil voids the earlier unused ones, so
 * only the newest letter works.
 */
export function createEnrolmentCodes(parts: CodeParts) {
  const { db, clock, audit } = parts

  return {
    /** One enrolment letter's code; voids that guardian's and pupil's earlier unused ones. */
    async issueEnrolment(
      pair: EnrolmentPair,
      by: Acting,
      issue: { voidEarlier?: boolean; audit?: boolean } = {},
    ): Promise<IssuedCode> {
      const issued = await db.transaction(async (tx) => {
        if (issue.voidEarlier !== false) await voidUnusedCodes(tx, clock, enrolmentHolder(pair))
        return issueOneTimeCode(tx, clock, enrolmentHolder(pair), by.actor, enrolmentValidS)
      })
      if (issue.audit !== false) {
        await audit.record({
          ...by,
          action: 'enrolment_issued',
          target: pair.pupilId,
          detail: { guardianId: pair.guardianId, codeId: issued.id, expiresAt: issued.expiresAt },
        })
      }
      return issued
    },

    /**
     * A batch of letters in one transaction, each voiding its pair's earlier codes: all are issued
     * or none. The caller audits the batch as one entry with its counts.
     */
    async issueEnrolments(pairs: readonly EnrolmentPair[], by: Acting): Promise<IssuedCode[]> {
      return db.transaction(async (tx) => {
        const issued: IssuedCode[] = []
        for (const pair of pairs) {
          await voidUnusedCodes(tx, clock, enrolmentHolder(pair))
          issued.push(await issueOneTimeCode(tx, clock, enrolmentHolder(pair), by.actor, enrolmentValidS))
        }
        return issued
      })
    },

    /** Voids a pair's unused codes but `exceptId`: once a sent letter reached the guardian. */
    async voidEnrolmentCodes(pair: EnrolmentPair, exceptId?: string): Promise<void> {
      await voidUnusedCodes(db, clock, enrolmentHolder(pair), exceptId)
    },

    /** Voids one code: a letter that could not be sent. */
    async voidCode(id: string): Promise<void> {
      await db.query('UPDATE one_time_codes SET voided_at = $2 WHERE id = $1 AND voided_at IS NULL', [
        id,
        clock.now(),
      ])
    },

    /**
     * A guardian's phone redeems a letter's code, confirmed by the last four digits of the phone
     * number the registers hold for that guardian. Gives a sliding session of the guardian's own;
     * a wrong confirmation counts, and the fifth voids the code.
     */
    async redeemEnrolment(
      typed: { code: string; phoneLast4: string },
      origin: CodeOrigin = {},
    ): Promise<RedeemedSession & { guardianId: string; pupils: { id: string; name: string }[] }> {
      const outcome = await db.transaction(async (tx) => {
        const redeemed = await redeemOneTimeCode(
          tx,
          clock,
          { code: typed.code, purpose: 'enrolment', origin },
          (row) => confirmGuardianPhone(tx, row, typed.phoneLast4),
        )
        if (!redeemed.ok) return redeemed
        const { guardianId } = redeemed.value
        return {
          ...redeemed,
          ended: await endExtraGuardianPhones(tx, clock, guardianId, redeemed.session.sessionId),
        }
      })
      const from = { ip: origin.ip, userAgent: origin.userAgent }
      if (!outcome.ok) {
        throw await recordRefusal(audit, outcome, {
          actor: outcome.detail.guardianId ?? 'anonymous',
          actorRole: 'parent',
          action: 'enrolment_failed',
          target: outcome.detail.pupilId ?? null,
          ...from,
        })
      }
      const { session, value, ended } = outcome
      await audit.record({
        actor: value.guardianId,
        actorRole: 'parent',
        action: 'enrolled',
        target: value.pupilId,
        detail: { sessionId: session.sessionId, endedSessionIds: ended },
        ...from,
      })
      await recordEndedPhones(audit, value.guardianId, ended, from)
      const pupils = await db.query<{ id: string; name: string }>(
        `SELECT p.id, p.name FROM pupil_guardians l JOIN pupils p ON p.id = l.pupil_id
          WHERE l.guardian_id = $1 ORDER BY p.name, p.id`,
        [value.guardianId],
      )
      return { ...session, guardianId: value.guardianId, pupils }
    },
  }
}

export type EnrolmentCodes = ReturnType<typeof createEnrolmentCodes>
