import { describe, expect, it } from 'vitest'
import { lockedUntilMs, signInProblem } from './sign-in-problem.js'

describe('a refused sign-in', () => {
  it('is told by its code and field', () => {
    expect(signInProblem({ status: 401, code: 'unauthenticated' })).toBe('wrong')
    expect(signInProblem({ status: 423, code: 'account_locked' })).toBe('locked')
    expect(signInProblem({ status: 429, code: 'rate_limited' })).toBe('rate_limited')
    expect(signInProblem({ status: 429 })).toBe('rate_limited')
    expect(signInProblem({ status: 403, code: 'forbidden' })).toBe('disabled')
    expect(signInProblem({ status: 409, code: 'conflict', field: 'body.newPassword' })).toBe('must_change')
    expect(
      signInProblem({ status: 400, code: 'bad_request', field: 'body.newPassword', message: 'at least 10' }),
    ).toBe('policy')
    expect(
      signInProblem({
        status: 400,
        code: 'bad_request',
        field: 'body.newPassword',
        message: 'body.newPassword: the new password must differ from the current one',
      }),
    ).toBe('same_password')
    expect(signInProblem({ status: 502 })).toBe('network')
  })

  it('reads when a lock ends from the message', () => {
    expect(
      lockedUntilMs('too many wrong passwords: the account is locked until 2026-03-02T00:15:00.000Z'),
    ).toBe(Date.parse('2026-03-02T00:15:00Z'))
    expect(lockedUntilMs('locked')).toBe(null)
  })
})
