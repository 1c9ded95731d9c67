import type { AppErrorReason } from '../../server/core/errors/app-error.js'
import { pickRefusal } from '../shared/refusal-text.js'
import type { SignInProblem } from './sign-in-text.js'

export interface RefusedAnswer {
  status: number
  code?: string
  reason?: string
  message?: string
  field?: string | null
}

/** The reasons the server gives for refusing a sign-in (server/core/auth/sign-in-staff.ts, passwords.ts). */
const problemByReason = {
  wrong_credentials: 'wrong',
  account_disabled: 'disabled',
  password_change_required: 'must_change',
  password_too_short: 'policy',
  password_too_long: 'policy',
  password_is_username: 'policy',
  password_unchanged: 'same_password',
} as const satisfies Partial<Record<AppErrorReason, SignInProblem>>

export const signInRefusalReasons = Object.keys(problemByReason) as (keyof typeof problemByReason)[]

const problemByCode: Partial<Record<string, SignInProblem>> = {
  unauthenticated: 'wrong',
  account_locked: 'locked',
  rate_limited: 'rate_limited',
  forbidden: 'disabled',
}

/** What a refused sign-in means for the person: by the server's reason, then its code (and field), then its status. */
export function signInProblem(answer: RefusedAnswer): SignInProblem {
  const known = pickRefusal<SignInProblem>(answer, problemByReason, problemByCode)
  if (known) return known
  if (answer.code === 'bad_request') return answer.field === 'body.newPassword' ? 'policy' : 'missing'
  return answer.status === 429 ? 'rate_limited' : 'network'
}

/** When a lock ends, as the server's message gives it (an ISO time), or null. */
export function lockedUntilMs(message: string | undefined): number | null {
  const iso = message?.match(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/)?.[0]
  return iso ? Date.parse(iso) : null
}
