import type { Server as HttpServer } from 'node:http'
import path from 'node:path'
import { createAdaptorServer } from '@hono/node-server'
import { createAccessPolicy } from './auth/access-policy.js'
import { createAccessTokens, type AccessTokens } from './auth/access-tokens.js'
import { resolveTokenSecret } from './auth/token-secret.js'
import { connectBroker, redact } from './broker/connect-broker.js'
import { startEmbeddedBroker } from './broker/embedded-broker.js'
import { systemClock, type Clock } from './clock/clock.js'
import type { Config } from './config/config-schema.js'
import { createHealthReport, type HealthCheck } from './health/health-report.js'
import { createHttpApp } from './http/create-http-app.js'
import { attachLiveChannel } from './live/live-channel.js'
import type { Logger } from './log/logger.js'
import { applyTimeSeriesPolicies } from './store/apply-time-series-policies.js'
import type { Database } from './store/database.js'
import { migrateDatabase } from './store/migrate-database.js'
import { telemetryPolicies } from './store/migrations/001-core-schema.js'
import { openPgliteDatabase } from './store/pglite-database.js'
import { openPostgresDatabase } from './store/postgres-database.js'
import { createScopeQueries } from './store/scope-queries.js'

export interface Platform {
  httpUrl: string
  mqttUrl: string
  db: Database
  tokens: AccessTokens
  /** Stops taking new work, finishes what was accepted, then closes every part. */
  stop(): Promise<void>
}

const policyIntervalMs = 3600_000

/** The composition root of `npm start`: every part in one process, external where configured. */
export async function startPlatform(options: {
  config: Config
  log: Logger
  clock?: Clock
}): Promise<Platform> {
  const { config, log } = options
  const clock = options.clock ?? systemClock
  const closers: (() => Promise<void>)[] = []
  const stopAll = async () => {
    for (const close of closers.reverse()) {
      await close().catch((error: unknown) => log.warn('error while stopping', { error: String(error) }))
    }
  }

  try {
    const secret = await resolveTokenSecret({ configured: config.TOKEN_SECRET, dataDir: config.DATA_DIR })
    const tokens = createAccessTokens({ secret, ttlS: config.TOKEN_TTL_S, clock })

    const db = config.DATABASE_URL
      ? openPostgresDatabase({ url: config.DATABASE_URL })
      : await openPgliteDatabase({ dataDir: path.join(config.DATA_DIR, 'pgdata') })
    closers.push(() => db.close())
    const migration = await migrateDatabase(db, { log: log.child('store') })
    log.info(
      `database: ${config.DATABASE_URL ? redact(config.DATABASE_URL) : `embedded PGlite in ${path.join(config.DATA_DIR, 'pgdata')}`}` +
        ` (schema version ${migration.version}, ${migration.timescale ? 'TimescaleDB hypertables' : 'plain tables, no TimescaleDB'})`,
    )
    if (db.kind === 'pglite' && migration.timescale) closers.push(scheduleTimeSeriesPolicies(db, log))

    let mqttUrl = config.MQTT_URL
    if (!mqttUrl) {
      const broker = await startEmbeddedBroker({
        host: config.HOST,
        port: config.MQTT_PORT,
        tokens,
        log: log.child('broker'),
      })
      closers.push(() => broker.close())
      mqttUrl = broker.url
      log.info(
        `MQTT broker: embedded aedes on ${broker.url} (MQTT 3.1.1; devices use their access token as password)`,
      )
    } else {
      log.info(`MQTT broker: ${redact(mqttUrl)}`)
    }
    const monitor = await connectBroker({
      url: mqttUrl,
      clientId: `platform-monitor-${process.pid}`,
      password: config.MQTT_URL
        ? undefined
        : await tokens.issue({ role: 'service', sub: 'platform-monitor' }, { ttlS: 10 * 365 * 86400 }),
    })
    closers.push(() => monitor.endAsync())

    const access = createAccessPolicy({ scope: createScopeQueries(db), clock })
    // The live channel is attached before the server listens, so no request finds it missing.
    const httpServer = createAdaptorServer({ fetch: (request: Request) => app.fetch(request) }) as HttpServer
    const live = await attachLiveChannel(httpServer, {
      tokens,
      access,
      log: log.child('live'),
      redisUrl: config.REDIS_URL,
    })
    // Closing socket.io also closes the HTTP server it is attached to.
    closers.push(() => live.close())
    const checks: Record<string, HealthCheck> = {
      database: async () => {
        await db.query('SELECT 1')
        return { ok: true, detail: db.kind }
      },
      broker: async () => ({
        ok: monitor.connected,
        detail: monitor.connected ? 'connected' : 'disconnected',
      }),
      live: async () => ({ ok: live.isUp(), detail: config.REDIS_URL ? 'redis adapter' : 'single node' }),
    }
    const app = createHttpApp({
      deps: { db, access, clock },
      tokens,
      health: createHealthReport(checks),
      log: log.child('http'),
    })
    const port = await listen(httpServer, config.HOST, config.PORT)

    return {
      httpUrl: `http://${config.HOST}:${port}`,
      mqttUrl,
      db,
      tokens,
      stop: stopAll,
    }
  } catch (error) {
    await stopAll()
    throw error
  }
}

function listen(server: HttpServer, hostname: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.listen(port, hostname, () => resolve((server.address() as { port: number }).port))
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `HTTP port ${port} is in use: set PORT`
            : `could not listen on ${hostname}:${port}: ${error.message}`,
          { cause: error },
        ),
      ),
    )
  })
}

function scheduleTimeSeriesPolicies(db: Database, log: Logger): () => Promise<void> {
  const run = () =>
    applyTimeSeriesPolicies(db, telemetryPolicies).then(
      (result) => {
        if (result.compressedChunks + result.droppedChunks > 0)
          log.info('time-series policies applied', { ...result })
      },
      (error: unknown) => log.warn('time-series policies failed', { error: String(error) }),
    )
  let running = run()
  const timer = setInterval(() => (running = run()), policyIntervalMs)
  timer.unref()
  return async () => {
    clearInterval(timer)
    await running
  }
}
