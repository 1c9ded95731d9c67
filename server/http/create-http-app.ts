import { Hono, type MiddlewareHandler } from 'hono'
import type { AccessTokens } from '../core/auth/access-tokens.js'
import type { HealthReport } from '../core/health/health-report.js'
import type { Logger } from '../core/log/logger.js'
import type { ApiDeps } from './api-deps.js'
import { authenticate, type AuthenticatedEnv } from './authenticate.js'
import { toErrorResponse } from './error-response.js'
import { apiDocsRoutes } from './openapi/api-docs-routes.js'
import { describeApi } from './openapi/api-operations.js'
import { securityHeaders } from './security-headers.js'
import { accountRoutes } from './routes/account-routes.js'
import { boardingRoutes } from './routes/boarding-routes.js'
import { credentialRoutes } from './routes/credential-routes.js'
import { enrolmentRoutes } from './routes/enrolment-routes.js'
import { fleetRoutes } from './routes/fleet-routes.js'
import { redeemRoutes } from './routes/redeem-routes.js'
import { signInRoutes } from './routes/sign-in-routes.js'
import { terminalCommandRoutes } from './routes/terminal-command-routes.js'
import { terminalStatusRoutes } from './routes/terminal-status-routes.js'
import { busRoutes } from './routes/bus-routes.js'
import { complianceRoutes } from './routes/compliance-routes.js'
import { pupilRoutes, schoolRoutes } from './routes/directory-routes.js'
import { mapRoutes } from './routes/map-routes.js'
import { oversightRoutes } from './routes/oversight-routes.js'
import { alarmCaseRoutes } from './routes/alarm-case-routes.js'
import { planRoutes } from './routes/plan-routes.js'
import { registerRoutes } from './routes/register-routes.js'
import { reportRoutes } from './routes/report-routes.js'
import { rideRoutes } from './routes/ride-routes.js'
import { scoreRoutes } from './routes/score-routes.js'
import { transitFeedRoutes } from './routes/transit-feed-routes.js'
import { tripRoutes } from './routes/trip-routes.js'
import { webPages, type MapTiles } from './web-pages.js'

/** API answers carry pupils' and buses' data: no browser or proxy keeps a copy, errors included. */
const keepOutOfCaches: MiddlewareHandler = async (c, next) => {
  await next()
  c.header('Cache-Control', 'no-store')
}

export function createHttpApp(options: {
  deps: ApiDeps
  tokens: AccessTokens
  health: () => Promise<HealthReport>
  log: Logger
  web?: { tiles?: MapTiles }
}) {
  const { deps, log } = options
  // The ways in, open to anyone: each checks what it is shown itself, and limits attempts.
  const openApi = new Hono()
    .use('*', keepOutOfCaches)
    .route('/', signInRoutes(deps))
    .route('/', redeemRoutes(deps))
  // The map's roads are no one's personal data: alone of the API's answers, a browser may keep them.
  const mapApi = new Hono<AuthenticatedEnv>()
    .use('*', authenticate(options.tokens))
    .route('/', mapRoutes(deps))
  const api = new Hono<AuthenticatedEnv>()
    .use('*', keepOutOfCaches)
    .use('*', authenticate(options.tokens))
    .get('/me', (c) => c.json({ principal: c.get('principal') }))
    .route('/buses', busRoutes(deps))
    .route('/trips', tripRoutes(deps))
    .route('/trips', boardingRoutes(deps))
    .route('/schools', schoolRoutes(deps))
    .route('/pupils', pupilRoutes(deps))
    .route('/pupils', rideRoutes(deps))
    .route('/', oversightRoutes(deps))
    .route('/', alarmCaseRoutes(deps))
    .route('/', scoreRoutes(deps))
    .route('/', fleetRoutes(deps))
    .route('/', planRoutes(deps))
    .route('/', registerRoutes(deps))
    .route('/', reportRoutes(deps))
    .route('/', complianceRoutes(deps))
    .route('/', accountRoutes(deps))
    .route('/', enrolmentRoutes(deps))
    .route('/', credentialRoutes(deps))
    .route('/', terminalCommandRoutes(deps))
    .route('/', terminalStatusRoutes(deps))

  const app = new Hono()
    .use('*', securityHeaders({ trustProxy: deps.trustProxy ?? false }))
    .get('/health', async (c) => {
      const report = await options.health()
      return c.json(report, report.status === 'ok' ? 200 : 503)
    })
    // Before /api: these answer without the token every other API route needs.
    .route('/api/access', openApi)
    .route('/', apiDocsRoutes(describeApi))
    // Before /api, which keeps its answers out of caches.
    .route('/api/map', mapApi)
    .route('/api', api)
    // Open like a transit agency's feeds, outside /api: see transit-feed-routes.ts.
    .route('/', transitFeedRoutes(deps))
    .route('/', webPages({ ...options.web, clock: deps.clock }))

  app.onError((error, c) => {
    const { status, body, headers } = toErrorResponse(error, log)
    return c.json(body, status as 400, headers)
  })
  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404),
  )
  return app
}

export type HttpApp = ReturnType<typeof createHttpApp>
