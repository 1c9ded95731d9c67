import type { AuditLog } from '../../server/core/auth/audit-log.js'
import type { Sessions, VerifiedSession } from '../../server/core/auth/sessions.js'
import {
  listTerminalCredentials,
  rotateTerminalCredential,
} from '../../server/core/auth/terminal-credentials.js'
import type { Clock } from '../../server/core/clock/clock.js'
import { batchCalls } from '../../server/core/batch-calls.js'
import { AppError } from '../../server/core/errors/app-error.js'
import { jt808RegisterResults } from '../../server/core/jt808/message-ids.js'
import type { Database } from '../../server/core/store/database.js'
import { sameTerminalNumber } from './connection-state.js'

/** Who registrations are recorded as in the audit log. */
export const registrationActor = 'jt808-registration'

const results = jt808RegisterResults

export type RegisterOutcome =
  | { result: typeof results.ok; busId: string; authCode: string }
  | {
      result:
        | typeof results.noSuchVehicle
        | typeof results.terminalAlreadyRegistered
        | typeof results.noSuchTerminal
      why: string
    }

export type AuthenticateOutcome = { ok: true; busId: string; sessionId: string } | { ok: false; why: string }

interface AuthenticateRequest {
  terminalNumber: string
  authCode: string
}

export interface TerminalAccess {
  /** 0x0100: the terminal of a bus in the registers asks for its authentication code. */
  register(request: { terminalNumber: string; plate: string; from: string }): Promise<RegisterOutcome>
  /** 0x0102: the code must be the open credential of the bus with this terminal number. */
  authenticate(request: AuthenticateRequest): Promise<AuthenticateOutcome>
}

/**
 * Terminals are known by the registers (`buses.terminal_no`), and prove themselves with their bus's
 * device credential, the same token the broker takes as a password. Registration hands out a code
 * only to a bus that has none open: once a terminal holds one, knowing its number takes over
 * nothing, and a terminal replaced in the bus registers again after the bureau ends the credential.
 * Store errors are thrown: the caller answers nothing, and the terminal tries again. Authentications
 * arriving together are checked together (batchCalls), so a whole fleet reconnecting after a
 * restart costs a few queries, not a few per terminal.
 */
export function createTerminalAccess(options: {
  db: Database
  sessions: Sessions
  audit: AuditLog
  clock: Clock
}): TerminalAccess {
  const { db, sessions, audit, clock } = options
  const authenticateBatched = batchCalls(
    async (requests: AuthenticateRequest[]) => {
      const verified = await sessions.verifyMany(requests.map((request) => request.authCode))
      const busIds = [
        ...new Set(
          verified.flatMap((v) =>
            !(v instanceof AppError) && v.principal.role === 'device' ? [v.principal.busId] : [],
          ),
        ),
      ]
      const buses =
        busIds.length === 0
          ? []
          : await db.query<{ id: string; terminal_no: string | null }>(
              'SELECT id, terminal_no FROM buses WHERE id = ANY($1::text[])',
              [busIds],
            )
      const terminalOf = new Map(buses.map((bus) => [bus.id, bus.terminal_no]))
      return requests.map((request, i) => judgeAuthentication(request, verified[i]!, terminalOf))
    },
    // A reconnecting fleet is checked a few hundred terminals per query.
    { maxItems: 500 },
  )
  return {
    async register({ terminalNumber, plate, from }) {
      const terminals = await listTerminalCredentials(db, clock)
      const bus = terminals.find(
        (t) => t.terminalNo !== null && sameTerminalNumber(t.terminalNo, terminalNumber),
      )
      if (!bus) {
        return { result: results.noSuchTerminal, why: `no bus has terminal ${terminalNumber}` }
      }
      if (normalisePlate(bus.plate) !== normalisePlate(plate)) {
        return {
          result: results.noSuchVehicle,
          why: `terminal ${terminalNumber} is in bus ${bus.busId}, whose plate is not ${plate}`,
        }
      }
      if (bus.sessionId !== null) {
        return {
          result: results.terminalAlreadyRegistered,
          why: `bus ${bus.busId} already has a credential; the bureau ends it to let a terminal register`,
        }
      }
      const credential = await rotateTerminalCredential({
        sessions,
        db,
        busId: bus.busId,
        actor: registrationActor,
      })
      await audit.record({
        actor: registrationActor,
        action: 'credential_rotated',
        target: bus.busId,
        detail: {
          expiresAt: credential.expiresAt.toISOString(),
          terminalNumber,
          by: 'JT/T 808 registration',
        },
        ip: from,
      })
      return { result: results.ok, busId: bus.busId, authCode: credential.password }
    },

    authenticate: authenticateBatched,
  }
}

function judgeAuthentication(
  { terminalNumber }: AuthenticateRequest,
  verified: VerifiedSession | AppError,
  terminalOf: Map<string, string | null>,
): AuthenticateOutcome {
  if (verified instanceof AppError) return { ok: false, why: verified.message }
  const { principal } = verified
  if (principal.role !== 'device') return { ok: false, why: 'the code is not a terminal credential' }
  const terminalNo = terminalOf.get(principal.busId)
  if (!terminalNo || !sameTerminalNumber(terminalNo, terminalNumber)) {
    return { ok: false, why: `the code is bus ${principal.busId}'s, whose terminal is not ${terminalNumber}` }
  }
  return { ok: true, busId: principal.busId, sessionId: verified.sessionId }
}

/**
 * Plates as people write them: `浙B·10001`, `浙B 10001` and `浙b10001` are one plate. NFKC folds
 * full-width letters and digits, which GBK terminals often send.
 */
export function normalisePlate(plate: string): string {
  return plate
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s·・•.\-_]/g, '')
}
