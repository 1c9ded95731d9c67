import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { createEnrolmentCodes } from '../../core/auth/enrolment-codes.js'
import type { CodeOrigin } from '../../core/auth/one-time-codes.js'
import { createPairingCodes } from '../../core/auth/pairing-codes.js'
import { createAddressRateLimit } from '../address-rate-limit.js'
import type { ApiDeps } from '../api-deps.js'
import { describeOperations } from '../openapi/api-operation.js'
import { readJsonBody, smallBodyMaxBytes } from '../read-request.js'
import { requestOrigin } from '../request-origin.js'

/**
 * Redeeming is open to anyone, so each address gets a few tries a minute: enough for a family
 * behind one router enrolling several phones, far too few to guess a code.
 */
export const redeemAttemptsPerMin = 10

const codeSchema = z.string().trim().min(1).max(40)
const enrolBody = z.object({
  code: codeSchema,
  phoneLast4: z.string().regex(/^\d{4}$/, { message: 'expected the last 4 digits of the phone number' }),
})
const pairBody = z.object({ code: codeSchema })

export const redeemOperations = describeOperations([
  {
    method: 'post',
    path: '/api/access/enrol',
    summary: "Enrols a guardian's phone with the code of its letter",
    description:
      "The phone confirms with the last four digits of the guardian's phone number in the registers, " +
      'and gets a session of 180 days, renewed while used. A few tries a minute per address.',
    callers: 'anyone',
    body: enrolBody,
    responses: { 200: '`{token, expiresAt, pupils}`' },
    errors: ['unauthenticated', 'rate_limited'],
  },
  {
    method: 'post',
    path: '/api/access/pair',
    summary: "Pairs an attendant's phone with a pairing code",
    description: 'A few tries a minute per address.',
    callers: 'anyone',
    body: pairBody,
    responses: { 200: '`{token, expiresAt, busId}`' },
    errors: ['unauthenticated', 'rate_limited'],
  },
])

/** A guardian redeeming an enrolment code, an attendant's phone a pairing code: open to anyone. */
export function redeemRoutes(deps: ApiDeps) {
  const enrolment = createEnrolmentCodes(deps)
  const pairing = createPairingCodes(deps)
  const attempts = createAddressRateLimit({
    burst: redeemAttemptsPerMin,
    perMin: redeemAttemptsPerMin,
    clock: deps.clock,
  })

  /** One redeeming route: the address's try taken before the body is read, then the code redeemed. */
  const redeemWith =
    <S extends z.ZodType>(body: S, redeem: (typed: z.infer<S>, origin: CodeOrigin) => Promise<object>) =>
    async (c: Context) => {
      const origin = requestOrigin(c, { trustProxy: deps.trustProxy })
      attempts.take(origin.ip)
      return c.json(await redeem(await readJsonBody(c, body, smallBodyMaxBytes), origin))
    }

  return new Hono()
    .post(
      '/enrol',
      redeemWith(enrolBody, async (typed, origin) => {
        const enrolled = await enrolment.redeemEnrolment(typed, origin)
        return { token: enrolled.token, expiresAt: enrolled.expiresAt, pupils: enrolled.pupils }
      }),
    )
    .post(
      '/pair',
      redeemWith(pairBody, async (typed, origin) => {
        const paired = await pairing.redeemPairing(typed, origin)
        return { token: paired.token, expiresAt: paired.expiresAt, busId: paired.busId }
      }),
    )
}
