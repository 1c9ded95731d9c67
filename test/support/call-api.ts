import type { Clock } from '../../server/core/clock/clock.js'
import type { ApiDeps } from '../../server/http/api-deps.js'
import { createHttpApp, type HttpApp } from '../../server/http/create-http-app.js'
import { createLogger } from '../../server/core/log/logger.js'
import type { Database } from '../../server/core/store/database.js'
import { createTestAccess, scenarioPrincipals, type ScenarioCaller } from './test-platform-parts.js'

/**
 * One API request in process, with a bearer token and a JSON body. The answers are read field by
 * field in the tests; each expectation checks the shape it relies on.
 */
export async function callApi(
  app: HttpApp,
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
) {
  const response = await app.request(path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (await response.json()) as Record<string, any> }
}

/**
 * The HTTP API over a real store, in process, with a week-long token for each scenario caller:
 * `deps` adds what a suite's routes need beyond the store, the access policy and the clock.
 */
export async function createScenarioApi(db: Database, clock: Clock, deps: Partial<ApiDeps> = {}) {
  const { tokens: issuer, access, sessions, audit } = createTestAccess(db, clock)
  const app = createHttpApp({
    deps: { db, access, clock, sessions, audit, ...deps },
    tokens: issuer,
    health: async () => ({ status: 'ok', parts: {} }),
    log: createLogger({ level: 'silent' }),
  })
  const tokens = {} as Record<ScenarioCaller, string>
  for (const caller of Object.keys(scenarioPrincipals) as ScenarioCaller[])
    tokens[caller] = await issuer.issue(scenarioPrincipals[caller], { ttlS: 7 * 86400 })
  return { app, tokens }
}
