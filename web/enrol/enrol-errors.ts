import type { AppErrorReason } from '../../server/core/errors/app-error.js'
import { pickRefusal } from '../shared/refusal-text.js'

/** What went wrong, in the words the page has for each. */
export type Problem =
  | 'code_format'
  | 'digits_format'
  | 'unknown'
  | 'used'
  | 'expired'
  | 'wrong_digits'
  | 'too_many'
  | 'rate_limited'
  | 'network'

/** The reasons the server gives for refusing a code (server/core/auth/one-time-codes.ts). */
const problemByReason = {
  code_unknown: 'unknown',
  code_used: 'used',
  code_expired: 'expired',
  wrong_confirmation: 'wrong_digits',
  too_many_attempts: 'too_many',
} as const satisfies Partial<Record<AppErrorReason, Problem>>

export const enrolRefusalReasons = Object.keys(problemByReason) as (keyof typeof problemByReason)[]

const problemByCode: Partial<Record<string, Problem>> = {
  rate_limited: 'rate_limited',
  unauthenticated: 'unknown',
}

/**
 * The server's refusal as one of the page's problems: by its reason first, then its code, then its
 * status; a malformed request names the field the person should fix.
 */
export function problemOf(answer: {
  status: number
  code?: string
  reason?: string
  field?: string | null
}): Problem {
  if (answer.status === 400) return answer.field === 'body.phoneLast4' ? 'digits_format' : 'code_format'
  const known = pickRefusal<Problem>(answer, problemByReason, problemByCode)
  if (known) return known
  if (answer.status === 429) return 'rate_limited'
  if (answer.status === 401) return 'unknown'
  return 'network'
}
