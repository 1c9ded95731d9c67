import { sign, verify } from 'hono/utils/jwt/jwt'
import type { Clock } from '../clock/clock.js'
import { AppError } from '../errors/app-error.js'
import { principalSchema, type Principal } from './principal.js'

export interface AccessTokens {
  issue(principal: Principal, options?: { ttlS?: number }): Promise<string>
  /** Rejects with a 401 AppError for a missing, altered, malformed or expired token. */
  verify(token: string | undefined): Promise<Principal>
}

/** HS256-signed, expiring tokens carrying the role and scope. */
export function createAccessTokens(options: { secret: string; ttlS: number; clock: Clock }): AccessTokens {
  const nowS = () => Math.floor(options.clock.now().getTime() / 1000)
  return {
    async issue(principal, issueOptions = {}) {
      const iat = nowS()
      return sign(
        { ...principal, iat, exp: iat + (issueOptions.ttlS ?? options.ttlS) },
        options.secret,
        'HS256',
      )
    },
    async verify(token) {
      if (!token) throw new AppError('unauthenticated', 'an access token is required')
      let payload: Record<string, unknown>
      try {
        // Expiry is checked against the injected clock below, not the system clock.
        payload = await verify(token, options.secret, { alg: 'HS256', exp: false, iat: false, nbf: false })
      } catch {
        throw new AppError('unauthenticated', 'the access token is invalid')
      }
      if (typeof payload.exp !== 'number' || payload.exp <= nowS()) {
        throw new AppError('unauthenticated', 'the access token has expired')
      }
      const principal = principalSchema.safeParse(payload)
      if (!principal.success) throw new AppError('unauthenticated', 'the access token carries no valid scope')
      return principal.data
    },
  }
}
