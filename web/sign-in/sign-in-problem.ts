import type { SignInProblem } from './sign-in-text.js'

export interface RefusedAnswer {
  status: number
  code?: string
  message?: string
  field?: string | null
}

/** What a refused sign-in means for the person, by the server's error code (and field). */
export function signInProblem(answer: RefusedAnswer): SignInProblem {
  switch (answer.code) {
    case 'unauthenticated':
      return 'wrong'
    case 'account_locked':
      return 'locked'
    case 'rate_limited':
      return 'rate_limited'
    case 'forbidden':
      return 'disabled'
    case 'conflict':
      return answer.field === 'body.newPassword' ? 'must_change' : 'network'
    case 'bad_request':
      if (answer.field === 'body.newPassword')
        return answer.message?.includes('differ') ? 'same_password' : 'policy'
      return 'missing'
    default:
      return answer.status === 429 ? 'rate_limited' : 'network'
  }
}

/** When a lock ends, as the server's message gives it (an ISO time), or null. */
export function lockedUntilMs(message: string | undefined): number | null {
  const iso = message?.match(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/)?.[0]
  return iso ? Date.parse(iso) : null
}
