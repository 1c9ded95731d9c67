import { AppError } from '../errors/app-error.js'
import type { Queryable } from '../store/database.js'
import type { Acting } from './audit-log.js'
import { issueOneTimeCode, voidUnusedCodes } from './issue-one-time-code.js'
import type { CodeOrigin, CodeParts, IssuedCode, RedeemedSession } from './one-time-codes.js'
import { recordRefusal, redeemOneTimeCode, type CodeRow, type Confirmation } from './redeem-one-time-code.js'
import { createSessions } from './sessions.js'

export const pairingValidS = 10 * 60

const replacedReason = 'replaced by a newly paired phone'

/** The bus of an attendant a code may be made for; refuses a driver, a stranger, a busless attendant. */
async function busOfAttendant(tx: Queryable, staffId: string): Promise<string> {
  const [staff] = await tx.query<{ role: string; bus_id: string | null }>(
    'SELECT role, bus_id FROM staff WHERE id = $1',
    [staffId],
  )
  if (!staff) throw new AppError('not_found', `no staff member ${staffId}`, { field: 'body.staffCode' })
  if (staff.role !== 'attendant') {
    throw new AppError('unprocessable', `${staffId} is a ${staff.role}: only attendants pair a phone`, {
      field: 'body.staffCode',
      reason: 'not_an_attendant',
    })
  }
  if (!staff.bus_id) {
    throw new AppError('unprocessable', `${staffId} has no bus in the registers`, {
      field: 'body.staffCode',
      reason: 'attendant_without_bus',
    })
  }
  return staff.bus_id
}

/** A pairing code is good while its attendant still has a bus: the phone pairs to that bus. */
async function confirmAttendantBus(
  tx: Queryable,
  row: CodeRow,
): Promise<Confirmation<{ staffId: string; busId: string }>> {
  const staffId = row.staff_id!
  const [staff] = await tx.query<{ bus_id: string | null }>(
    `SELECT bus_id FROM staff WHERE id = $1 AND role = 'attendant'`,
    [staffId],
  )
  // Moved off every bus since the code was made: nothing to pair to.
  if (!staff?.bus_id) return { ok: false, refusal: 'unknown' }
  return { ok: true, grant: { kind: 'attendant', staffId }, value: { staffId, busId: staff.bus_id } }
}

/**
 * Pairing codes: an attendant's phone paired to the attendant's bus, the code valid ten minutes and
 * redeemed once. A new code voids the attendant's earlier unused ones.
 */
export function createPairingCodes(parts: CodeParts) {
  const { db, clock, audit } = parts

  return {
    /**
     * A pairing code for an attendant with a bus; voids the attendant's earlier unused ones. With
     * `replace`, the attendant's phones paired before are signed out now: a lost phone stops at
     * once, not when the new one is paired.
     */
    async issuePairing(
      staffId: string,
      by: Acting,
      issue: { replace?: boolean } = {},
    ): Promise<IssuedCode & { busId: string; replacedSessionIds: string[] }> {
      const result = await db.transaction(async (tx) => {
        const busId = await busOfAttendant(tx, staffId)
        const holder = { purpose: 'pairing' as const, staffId }
        await voidUnusedCodes(tx, clock, holder)
        const issued = await issueOneTimeCode(tx, clock, holder, by.actor, pairingValidS)
        const replacedSessionIds = issue.replace
          ? await createSessions({ db: tx, clock }).revokeAllOf(
              { staffId },
              { actor: by.actor, reason: replacedReason },
            )
          : []
        return { ...issued, busId, replacedSessionIds }
      })
      await audit.record({
        ...by,
        action: 'pairing_issued',
        target: staffId,
        detail: {
          busId: result.busId,
          codeId: result.id,
          expiresAt: result.expiresAt,
          replace: !!issue.replace,
        },
      })
      for (const sessionId of result.replacedSessionIds) {
        await audit.record({
          ...by,
          action: 'session_revoked',
          target: sessionId,
          detail: { kind: 'attendant', staffId, reason: replacedReason },
        })
      }
      return result
    },

    /** An attendant's phone redeems a pairing code: a sliding session on the attendant's bus. */
    async redeemPairing(
      typed: { code: string },
      origin: CodeOrigin = {},
    ): Promise<RedeemedSession & { staffId: string; busId: string }> {
      const outcome = await db.transaction((tx) =>
        redeemOneTimeCode(tx, clock, { code: typed.code, purpose: 'pairing', origin }, (row) =>
          confirmAttendantBus(tx, row),
        ),
      )
      const from = { ip: origin.ip, userAgent: origin.userAgent }
      if (!outcome.ok) {
        throw await recordRefusal(audit, outcome, {
          actor: outcome.detail.staffId ?? 'anonymous',
          actorRole: 'attendant',
          action: 'pairing_failed',
          ...from,
        })
      }
      const { session, value } = outcome
      await audit.record({
        actor: value.staffId,
        actorRole: 'attendant',
        action: 'paired',
        target: value.busId,
        detail: { sessionId: session.sessionId },
        ...from,
      })
      return { ...session, ...value }
    },
  }
}

export type PairingCodes = ReturnType<typeof createPairingCodes>
