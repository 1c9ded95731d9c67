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

/**
 * The server's refusal as one of the page's problems: by its code first, then by the kind of message
 * (server/core/auth/one-time-codes.ts, refusalMessages), which tells apart the refusals of one code.
 */
export function problemOf(answer: {
  status: number
  code?: string
  message?: string
  field?: string | null
}): Problem {
  const message = answer.message ?? ''
  if (answer.status === 429 || answer.code === 'rate_limited') return 'rate_limited'
  if (answer.status === 400) return answer.field === 'body.phoneLast4' ? 'digits_format' : 'code_format'
  if (answer.status === 401) {
    if (/already been used/i.test(message)) return 'used'
    if (/expired/i.test(message)) return 'expired'
    if (/too many/i.test(message)) return 'too_many'
    if (/do not match/i.test(message) || answer.field === 'body.phoneLast4') return 'wrong_digits'
    return 'unknown'
  }
  return 'network'
}
