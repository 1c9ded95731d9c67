import { describe, expect, it } from 'vitest'
import type { Clock } from '../clock/clock.js'
import { AppError } from '../errors/app-error.js'
import { createAccessTokens } from './access-tokens.js'

function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso)
  return { now: () => now, set: (next) => (now = new Date(next)) }
}

const secret = 'a-test-secret-of-more-than-thirty-two-characters'

async function rejection(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

describe('access tokens', () => {
  it('round-trips the role and scope', async () => {
    const tokens = createAccessTokens({ secret, ttlS: 3600, clock: fixedClock('2026-03-02T07:00:00Z') })
    const token = await tokens.issue({ role: 'parent', sub: 'G0001', pupilIds: ['P1', 'P2'] })
    expect(await tokens.verify(token)).toEqual({ role: 'parent', sub: 'G0001', pupilIds: ['P1', 'P2'] })
  })

  it('refuses a token once it has expired on the injected clock', async () => {
    const clock = fixedClock('2026-03-02T07:00:00Z')
    const tokens = createAccessTokens({ secret, ttlS: 60, clock })
    const token = await tokens.issue({ role: 'bureau', sub: 'bureau-1' })
    clock.set('2026-03-02T07:00:59Z')
    await expect(tokens.verify(token)).resolves.toMatchObject({ role: 'bureau' })
    clock.set('2026-03-02T07:01:00Z')
    const error = await rejection(tokens.verify(token))
    expect(error.status).toBe(401)
    expect(error.message).toMatch(/expired/)
  })

  it('tells when a token expires, so a connection it opened can end then', async () => {
    const clock = fixedClock('2026-03-02T07:00:00Z')
    const tokens = createAccessTokens({ secret, ttlS: 3600, clock })
    const token = await tokens.issue({ role: 'device', sub: 'terminal-B1', busId: 'B1' }, { ttlS: 90 })
    clock.set('2026-03-02T07:01:29.250Z')
    expect(await tokens.verifyWithExpiry(token)).toEqual({
      principal: { role: 'device', sub: 'terminal-B1', busId: 'B1' },
      validForMs: 750,
    })
    clock.set('2026-03-02T07:01:30Z')
    expect((await rejection(tokens.verifyWithExpiry(token))).message).toMatch(/expired/)
  })

  it('refuses an altered token, another secret and a missing token', async () => {
    const clock = fixedClock('2026-03-02T07:00:00Z')
    const tokens = createAccessTokens({ secret, ttlS: 3600, clock })
    const token = await tokens.issue({ role: 'attendant', sub: 'S1', busId: 'B1' })
    const [header, payload, signature] = token.split('.')
    const widened = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'bureau' }),
    ).toString('base64url')
    expect((await rejection(tokens.verify(`${header}.${widened}.${signature}`))).status).toBe(401)

    const other = createAccessTokens({ secret: secret + '-other', ttlS: 3600, clock })
    expect((await rejection(other.verify(token))).status).toBe(401)
    expect((await rejection(tokens.verify(undefined))).message).toMatch(/required/)
    expect((await rejection(tokens.verify('not.a.token'))).status).toBe(401)
  })

  it('refuses a validly signed token without a scope its role needs', async () => {
    const tokens = createAccessTokens({ secret, ttlS: 3600, clock: fixedClock('2026-03-02T07:00:00Z') })
    const token = await tokens.issue({ role: 'parent', sub: 'G1', pupilIds: [] } as never)
    expect((await rejection(tokens.verify(token))).message).toMatch(/scope/)
  })
})
