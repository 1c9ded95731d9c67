import { Hono } from 'hono'
import { z } from 'zod'
import { createStaffSignIn } from '../../core/auth/sign-in-staff.js'
import type { ApiDeps } from '../api-deps.js'
import { createAddressRateLimit } from '../address-rate-limit.js'
import { describeOperations } from '../openapi/api-operation.js'
import { readJsonBody, smallBodyMaxBytes } from '../read-request.js'
import { requestOrigin } from '../request-origin.js'

const signInBody = z.object({
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(1024),
  newPassword: z.string().max(1024).optional(),
})

export const signInOperations = describeOperations([
  {
    method: 'post',
    path: '/api/access/sign-in',
    summary: 'Signs a staff member in with user name and password',
    description:
      'Answers a session token for 12 hours. After a one-time password the answer is `conflict` with ' +
      '`field: body.newPassword` until `newPassword` is sent too. Five wrong passwords lock the ' +
      'account for a while; each address has a budget of attempts.',
    callers: 'anyone',
    body: signInBody,
    responses: { 200: '`{token, expiresAt, principal, mustChangePassword}`' },
    errors: ['unauthenticated', 'forbidden', 'conflict', 'account_locked', 'rate_limited'],
  },
])

/** Ten attempts at once from one address, then ten a minute: enough for a school's shared office. */
export const signInAttemptsPerMin = 10

/**
 * Staff sign-in, open to anyone: under /api/access, before any token is checked. Each address has a
 * budget of attempts, so that it cannot try many accounts; each account locks after five wrong
 * passwords, so that nobody can try many passwords on one.
 */
export function signInRoutes(deps: ApiDeps) {
  const staff = createStaffSignIn(deps)
  const attempts = createAddressRateLimit({
    burst: signInAttemptsPerMin,
    perMin: signInAttemptsPerMin,
    clock: deps.clock,
  })
  return new Hono().post('/sign-in', async (c) => {
    const origin = requestOrigin(c, { trustProxy: deps.trustProxy })
    attempts.take(origin.ip)
    const body = await readJsonBody(c, signInBody, smallBodyMaxBytes)
    const signedIn = await staff.signIn(body, origin)
    return c.json({
      token: signedIn.token,
      expiresAt: signedIn.expiresAt.toISOString(),
      principal: signedIn.principal,
      mustChangePassword: signedIn.mustChangePassword,
    })
  })
}
