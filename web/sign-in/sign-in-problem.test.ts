import { describe, expect, it } from 'vitest'
import { lockedUntilMs, signInProblem, signInRefusalReasons } from './sign-in-problem.js'
import { signInText } from './sign-in-text.js'

describe('a refused sign-in', () => {
  it('is told by its code and field', () => {
    expect(signInProblem({ status: 401, code: 'unauthenticated' })).toBe('wrong')
    expect(signInProblem({ status: 423, code: 'account_locked' })).toBe('locked')
    expect(signInProblem({ status: 429, code: 'rate_limited' })).toBe('rate_limited')
    expect(signInProblem({ status: 429 })).toBe('rate_limited')
    expect(signInProblem({ status: 403, code: 'forbidden' })).toBe('disabled')
    expect(signInProblem({ status: 400, code: 'bad_request', field: 'body.newPassword' })).toBe('policy')
    expect(signInProblem({ status: 400, code: 'bad_request', field: 'body.username' })).toBe('missing')
    expect(signInProblem({ status: 502 })).toBe('network')
  })

  it('is told by its reason before its code', () => {
    const refused = (status: number, code: string, reason: string) => signInProblem({ status, code, reason })
    expect(refused(409, 'conflict', 'password_change_required')).toBe('must_change')
    expect(refused(400, 'bad_request', 'password_unchanged')).toBe('same_password')
    expect(refused(400, 'bad_request', 'password_too_short')).toBe('policy')
    expect(refused(403, 'forbidden', 'account_disabled')).toBe('disabled')
    expect(refused(401, 'unauthenticated', 'wrong_credentials')).toBe('wrong')
  })

  it('has words in Chinese and English for every reason the server gives', () => {
    for (const reason of signInRefusalReasons) {
      const problem = signInProblem({ status: 400, code: 'bad_request', reason })
      for (const lang of ['zh', 'en'] as const) {
        const words: Partial<Record<string, string>> = signInText[lang].problems
        expect(words[problem]).toBeTruthy()
      }
    }
  })

  it('reads when a lock ends from the message', () => {
    expect(
      lockedUntilMs('too many wrong passwords: the account is locked until 2026-03-02T00:15:00.000Z'),
    ).toBe(Date.parse('2026-03-02T00:15:00Z'))
    expect(lockedUntilMs('locked')).toBe(null)
  })
})
