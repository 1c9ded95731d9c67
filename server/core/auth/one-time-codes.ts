import type { Clock } from '../clock/clock.js'
import { AppError, type AppErrorReason } from '../errors/app-error.js'
import type { Database } from '../store/database.js'
import type { AuditLog } from './audit-log.js'

/**
 * What enrolment codes (a guardian's phone, for one pupil) and pairing codes (an attendant's phone)
 * have in common: issued by staff, typed or scanned once on the phone, which then holds a session of
 * its own; refused for the same reasons, in the words the pages tell apart.
 */
export type CodePurpose = 'enrolment' | 'pairing'

/** Why a code was refused, as the audit log and the pages name it. */
export type CodeRefusal = 'unknown' | 'used' | 'expired' | 'wrong_digits' | 'too_many_attempts'

/** The messages the pages tell apart (web/enrol/enrol-errors.ts reads them). */
export const refusalMessages: Record<CodeRefusal, string> = {
  unknown: 'this code is not known or no longer valid: ask for a new one',
  used: 'this code has already been used: ask for a new one to add another phone',
  expired: 'this code has expired: ask for a new one',
  wrong_digits: 'the digits do not match the phone number the school holds',
  too_many_attempts: 'too many wrong attempts: this code no longer works, ask for a new one',
}

/** The reason an error body gives for each refusal, which the pages translate. */
const refusalReasons: Record<CodeRefusal, AppErrorReason> = {
  unknown: 'code_unknown',
  used: 'code_used',
  expired: 'code_expired',
  wrong_digits: 'wrong_confirmation',
  too_many_attempts: 'too_many_attempts',
}

/** The answer to a refused code: the same status for every reason, the field the phone should fix. */
export const refusalError = (refusal: CodeRefusal) =>
  new AppError('unauthenticated', refusalMessages[refusal], {
    field: refusal === 'wrong_digits' ? 'body.phoneLast4' : 'body.code',
    reason: refusalReasons[refusal],
  })

/** What the code parts work with: the store, the clock that dates codes, the audit log. */
export interface CodeParts {
  db: Database
  clock: Clock
  audit: AuditLog
}

/** Where a phone redeeming a code came from: written to the audit log. */
export interface CodeOrigin {
  ip?: string | null
  userAgent?: string | null
}

export interface IssuedCode {
  id: string
  /** As printed and typed: `K7QM-3XPA-9TRD`. Given once; the store keeps only its hash. */
  code: string
  expiresAt: Date
}

export interface RedeemedSession {
  token: string
  sessionId: string
  expiresAt: Date
}
