import { AppError } from '../errors/app-error.js'
import type { AccessTokens, VerifiedToken } from './access-tokens.js'
import type { Principal } from './principal.js'
import { isSessionToken, type Sessions } from './sessions.js'

export interface PlatformCredentials extends AccessTokens {
  readonly sessions: Sessions
}

/**
 * The one check every route, socket and broker connection makes. People and real terminals hold
 * sessions from the store, which can be ended; the platform's own processes (ingest, the simulator's
 * terminals) hold tokens signed with the platform's secret, which only a process holding that secret
 * can make. A signed token naming a person is refused: a person's way in must be one that can be
 * ended. `issue` gives the platform's processes signed tokens and people an `issued` session.
 */
export function createPlatformCredentials(options: {
  tokens: AccessTokens
  sessions: Sessions
  ttlS: number
}): PlatformCredentials {
  const { tokens, sessions } = options
  const signedRoles: readonly Principal['role'][] = ['service', 'device']
  const verifyWithExpiry = async (token: string | undefined): Promise<VerifiedToken> => {
    if (isSessionToken(token)) {
      const verified = await sessions.verify(token)
      return { principal: verified.principal, validForMs: verified.validForMs, sessionId: verified.sessionId }
    }
    const verified = await tokens.verifyWithExpiry(token)
    if (!signedRoles.includes(verified.principal.role)) {
      throw new AppError('unauthenticated', 'sign in again: this kind of token is no longer accepted')
    }
    return verified
  }
  return {
    sessions,
    async issue(principal, issueOptions = {}) {
      if (signedRoles.includes(principal.role)) return tokens.issue(principal, issueOptions)
      const issued = await sessions.issue(
        { kind: 'issued', principal },
        { ttlS: issueOptions.ttlS ?? options.ttlS, label: 'issued' },
      )
      return issued.token
    },
    verifyWithExpiry,
    verify: async (token) => (await verifyWithExpiry(token)).principal,
  }
}
