import { Hono, type MiddlewareHandler } from 'hono'
import type { AccessTokens } from '../core/auth/access-tokens.js'
import type { HealthReport } from '../core/health/health-report.js'
import type { Logger } from '../core/log/logger.js'
import type { ApiDeps } from './api-deps.js'
import { authenticate, type AuthenticatedEnv } from './authenticate.js'
import { toErrorResponse } from './error-response.js'
import { boardingRoutes } from './routes/boarding-routes.js'
import { busRoutes } from './routes/bus-routes.js'
import { pupilRoutes, schoolRoutes } from './routes/directory-routes.js'
import { oversightRoutes } from './routes/oversight-routes.js'
import { planRoutes } from './routes/plan-routes.js'
import { registerRoutes } from './routes/register-routes.js'
import { rideRoutes } from './routes/ride-routes.js'
import { tripRoutes } from './routes/trip-routes.js'
import { webPages } from './web-pages.js'

/** Browsers take every response for the type it declares, never guessing a script out of JSON. */
const forbidTypeSniffing: MiddlewareHandler = async (c, next) => {
  await next()
  c.header('X-Content-Type-Options', 'nosniff')
}

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
  web?: { tileUrl?: string }
}) {
  const { deps, log } = options
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
    .route('/', planRoutes(deps))
    .route('/', registerRoutes(deps))

  const app = new Hono()
    .use('*', forbidTypeSniffing)
    .get('/health', async (c) => {
      const report = await options.health()
      return c.json(report, report.status === 'ok' ? 200 : 503)
    })
    .route('/api', api)
    .route('/', webPages({ ...options.web, clock: deps.clock }))

  app.onError((error, c) => {
    const { status, body } = toErrorResponse(error, log)
    return c.json(body, status as 400)
  })
  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404),
  )
  return app
}

export type HttpApp = ReturnType<typeof createHttpApp>
