import type { Clock } from '../../server/core/clock/clock.js'
import { createAccessPolicy } from '../../server/core/auth/access-policy.js'
import { createAccessTokens } from '../../server/core/auth/access-tokens.js'
import { createAuditLog } from '../../server/core/auth/audit-log.js'
import { createPlatformCredentials } from '../../server/core/auth/platform-credentials.js'
import { createSessions } from '../../server/core/auth/sessions.js'
import type { Principal } from '../../server/core/auth/principal.js'
import type { Database } from '../../server/core/store/database.js'
import { createScopeQueries } from '../../server/core/store/scope-queries.js'

export function settableClock(start: Date): Clock & { set(at: Date): void } {
  let now = start
  return { now: () => now, set: (at) => (now = at) }
}

export const testSecret = 'test-secret-that-is-long-enough-for-hs256-signing'

/**
 * The platform's credentials (people hold sessions in the store, the platform's processes signed
 * tokens), the access policy and the audit log over a real database, on a clock the test controls.
 */
export function createTestAccess(db: Database, clock: Clock) {
  const sessions = createSessions({ db, clock })
  const tokens = createPlatformCredentials({
    tokens: createAccessTokens({ secret: testSecret, ttlS: 3600, clock }),
    sessions,
    ttlS: 3600,
  })
  const access = createAccessPolicy({ scope: createScopeQueries(db), clock })
  const audit = createAuditLog({ db, clock })
  return { tokens, access, sessions, audit, tokenFor: (principal: Principal) => tokens.issue(principal) }
}

export const scenarioPrincipals = {
  bureau: { role: 'bureau', sub: 'bureau-1' },
  schoolS1: { role: 'school', sub: 'school-admin-1', schoolId: 'S1' },
  schoolS2: { role: 'school', sub: 'school-admin-2', schoolId: 'S2' },
  attendantB1: { role: 'attendant', sub: 'A1', busId: 'B1' },
  attendantB2: { role: 'attendant', sub: 'A2', busId: 'B2' },
  parentP1: { role: 'parent', sub: 'G1', pupilIds: ['P1'] },
  parentP2: { role: 'parent', sub: 'G2', pupilIds: ['P2'] },
  deviceB1: { role: 'device', sub: 'terminal-B1', busId: 'B1' },
  service: { role: 'service', sub: 'ingest' },
} satisfies Record<string, Principal>

export type ScenarioCaller = keyof typeof scenarioPrincipals
