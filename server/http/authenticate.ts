import type { MiddlewareHandler } from 'hono'
import type { AccessTokens } from '../core/auth/access-tokens.js'
import type { Principal } from '../core/auth/principal.js'

export interface AuthenticatedEnv {
  Variables: {
    principal: Principal
    /** The session the caller came in with, when it is one: what signing out ends. */
    sessionId: string | undefined
  }
}

/**
 * Every API route passes here: the caller must show a valid token in the Authorization header.
 * Tokens never travel in URLs, where logs and browser history would keep them.
 */
export function authenticate(tokens: AccessTokens): MiddlewareHandler<AuthenticatedEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization')
    const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1]
    const verified = await tokens.verifyWithExpiry(token)
    c.set('principal', verified.principal)
    c.set('sessionId', verified.sessionId)
    await next()
  }
}
