import { sign, verify } from 'hono/utils/jwt/jwt'
import type { Clock } from '../clock/clock.js'
import { AppError } from '../errors/app-error.js'
import { principalSchema, type Principal } from './principal.js'

export interface VerifiedToken {
  principal: Principal
  /**
   * How much longer the token is valid, by the clock the tokens are issued by: a connection it
   * opened must end then. A duration, so that its holder can time it by a clock of its own.
   */
  validForMs: number
  /** The session the token belongs to, when it is one (server/core/auth/sessions.ts): it can be ended. */
  sessionId?: string
}

export interface AccessTokens {
  issue(principal: Principal, options?: { ttlS?: number }): Promise<string>
  /** Rejects with a 401 AppError for a missing, altered, malformed or expired token. */
  verify(token: string | undefined): Promise<Principal>
  /** As `verify`, also telling when the token expires. */
  verifyWithExpiry(token: string | undefined): Promise<VerifiedToken>
}

/** HS256-signed, expiring tokens carrying the role and scope. */
export function createAccessTokens(options: { secret: string; ttlS: number; clock: Clock }): AccessTokens {
  const nowS = () => Math.floor(options.clock.now().getTime() / 1000)
  const verifyWithExpiry = async (token: string | undefined): Promise<VerifiedToken> => {
    if (!token) throw new AppError('unauthenticated', 'an access token is required')
    let payload: Record<string, unknown>
    try {
      // Expiry is checked against the injected clock below, not the system clock.
      payload = await verify(token, options.secret, { alg: 'HS256', exp: false, iat: false, nbf: false })
    } catch {
      throw new AppError('unauthenticated', 'the access token is invalid')
    }
    const nowMs = options.clock.now().getTime()
    if (typeof payload.exp !== 'number' || payload.exp * 1000 <= nowMs) {
      throw new AppError('unauthenticated', 'the access token has expired')
    }
    const principal = principalSchema.safeParse(payload)
    if (!principal.success) throw new AppError('unauthenticated', 'the access token carries no valid scope')
    return { principal: principal.data, validForMs: payload.exp * 1000 - nowMs }
  }
  return {
    async issue(principal, issueOptions = {}) {
      const iat = nowS()
      return sign(
        { ...principal, iat, exp: iat + (issueOptions.ttlS ?? options.ttlS) },
        options.secret,
        'HS256',
      )
    },
    verifyWithExpiry,
    verify: async (token) => (await verifyWithExpiry(token)).principal,
  }
}
