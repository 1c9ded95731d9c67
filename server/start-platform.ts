import type { Server as HttpServer } from 'node:http'
import { createAdaptorServer } from '@hono/node-server'
import { startIngest } from '../workers/ingest/start-ingest.js'
import { createAccessPolicy } from './core/auth/access-policy.js'
import { createAccessTokens, type AccessTokens } from './core/auth/access-tokens.js'
import { resolveTokenSecret } from './core/auth/token-secret.js'
import { redact } from './core/broker/connect-broker.js'
import { startEmbeddedBroker } from './core/broker/embedded-broker.js'
import { systemClock, type Clock } from './core/clock/clock.js'
import type { Config } from './core/config/config-schema.js'
import { createHealthReport } from './core/health/health-report.js'
import { createHttpApp } from './http/create-http-app.js'
import { attachLiveChannel } from './live/live-channel.js'
import { openBusLiveState } from './live/bus-live-state.js'
import { createBusLiveFeed } from './live/bus-live-feed.js'
import { learnTripTimes } from './live/learn-trip-times.js'
import { createChildLeftOnBusAlarms } from './alarms/child-left-on-bus.js'
import { createPupilsNotBoardedReports } from './alarms/report-pupils-not-boarded.js'
import { createLiveTripEtas } from './live/live-trip-etas.js'
import type { LegTimeTable } from '../geo/eta/learned-leg-times.js'
import type { Logger } from './core/log/logger.js'
import { applyTimeSeriesPolicies } from './core/store/apply-time-series-policies.js'
import { expireDeadLetters } from './core/store/expire-dead-letters.js'
import type { Database } from './core/store/database.js'
import { migrateDatabase } from './core/store/migrate-database.js'
import { telemetryPolicies } from './core/store/migrations/001-core-schema.js'
import { embeddedDataDir, openDatabase } from './core/store/open-database.js'
import { createScopeQueries } from './core/store/scope-queries.js'
import { loadCixiWorld } from '../fixtures/cixi-world.js'
import { loadRoadNetwork, startRouter } from './core/routing/start-router.js'
import { createRoadAtPointIndex } from '../geo/roads/road-at-point.js'
import { createEventDeriver } from '../workers/events/event-deriver.js'
import { startSimulator } from '../workers/simulator/start-simulator.js'
import { isWorldSeeded, seedCixiWorld } from './seed/seed-cixi-world.js'
import type { PlanUpdate } from './core/planning/plan-runs.js'
import { createPlanRunner } from './planning/plan-runner.js'

export interface Platform {
  httpUrl: string
  mqttUrl: string
  db: Database
  tokens: AccessTokens
  /** Stops taking new work, stores and acknowledges what was accepted, then closes every part. */
  stop(): Promise<void>
}

const policyIntervalMs = 3600_000
/** Trip times are learned again every hour, from the stop events of the last four weeks. */
const learnIntervalMs = 3600_000
const learnFromDays = 28
/** How often silent terminals are looked for. */
const eventTickMs = 5000

/**
 * The composition root of `npm start`: store, broker, ingest, API and live channel in one process,
 * each external where the configuration names a service. Parts stop in the reverse order they start,
 * so nothing accepted is left behind: HTTP first, then ingest drains, then the broker and the store.
 */
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

  // Read from disk at most once, and only when seeding or the simulator needs it.
  let worldRead: ReturnType<typeof loadCixiWorld> | undefined
  const world = () => (worldRead ??= loadCixiWorld())

  try {
    const secret = await resolveTokenSecret({ configured: config.TOKEN_SECRET, dataDir: config.DATA_DIR })
    const tokens = createAccessTokens({ secret, ttlS: config.TOKEN_TTL_S, clock })

    const db = await openDatabase(config)
    closers.push(() => db.close())
    const migration = await migrateDatabase(db, { log: log.child('store') })
    log.info(
      `database: ${config.DATABASE_URL ? redact(config.DATABASE_URL) : `embedded PGlite in ${embeddedDataDir(config)}`}` +
        ` (schema version ${migration.version}, ${migration.timescale ? 'TimescaleDB hypertables' : 'plain tables, no TimescaleDB'})`,
    )
    if (db.kind === 'pglite' && migration.timescale) closers.push(scheduleTimeSeriesPolicies(db, log))
    closers.push(scheduleDeadLetterExpiry(db, clock, config.DEAD_LETTER_RETENTION_DAYS, log))
    if (!(await isWorldSeeded(db))) {
      const seeded = await seedCixiWorld(db, await world())
      log.info('seeded an empty store with the Cixi fixture world', { ...seeded })
    }
    const routing = startRouter({
      osrmUrl: config.OSRM_URL,
      network: await loadRoadNetwork(config.ROADS_FILE),
      probe: await cityCentre(db),
    })
    log.info(`router: ${routing.description}`)

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

    const access = createAccessPolicy({ scope: createScopeQueries(db), clock })
    // The live channel is attached before the server listens, so no request finds it missing.
    const httpServer = createAdaptorServer({ fetch: (request: Request) => app.fetch(request) }) as HttpServer
    const liveState = await openBusLiveState({ redisUrl: config.REDIS_URL, log: log.child('live') })
    closers.push(() => liveState.close())
    const live = await attachLiveChannel(httpServer, {
      tokens,
      access,
      log: log.child('live'),
      redisUrl: config.REDIS_URL,
      snapshotOf: (busId) => liveState.load(busId),
      clock,
    })
    let learned: LegTimeTable | undefined
    const etas = createLiveTripEtas({
      db,
      router: routing.router,
      clock,
      log: log.child('eta'),
      learned: () => learned,
    })
    closers.push(
      repeatEvery(learnIntervalMs, async () => {
        const since = new Date(clock.now().getTime() - learnFromDays * 86_400_000)
        learned = await learnTripTimes({ db, tripRoute: etas.tripRoute, since }).catch((error: unknown) => {
          log.warn('could not learn trip times from earlier runs', { error: String(error) })
          return learned
        })
      }),
    )
    const feed = createBusLiveFeed({ live, state: liveState, etas, log: log.child('live') })

    const alarms = createChildLeftOnBusAlarms({
      db,
      clock,
      log: log.child('alarms'),
      afterS: config.LEFT_ON_BUS_AFTER_S,
      publish: live.publishAlarm,
    })
    const notBoarded = createPupilsNotBoardedReports({
      db,
      log: log.child('alarms'),
      publish: live.publishAlarm,
    })
    const deriver = createEventDeriver({
      db,
      roads: createRoadAtPointIndex(routing.graph),
      clock,
      log: log.child('events'),
      publish: (event) => {
        live.publishToBusStaff(event.busId, 'event', event)
        if (event.kind === 'stop_departure' && event.tripId) {
          const departure = {
            ...event,
            tripId: event.tripId,
            seq: event.details.seq,
            stopId: event.details.stopId,
          }
          notBoarded.onStopDeparture(departure).catch((error: unknown) => {
            log.warn('could not report pupils not boarded', { error: String(error) })
          })
        }
      },
    })
    let checkingAlarms: Promise<unknown> = Promise.resolve()
    const ticker = setInterval(() => {
      void deriver.tick()
      void feed.tick(clock.now().getTime())
      checkingAlarms = checkingAlarms.then(() =>
        alarms.checkTelemetry().catch((error: unknown) => {
          log.warn('could not check for children left on buses', { error: String(error) })
        }),
      )
    }, eventTickMs)
    ticker.unref()
    // Runs after ingest has stopped (closers run in reverse), so the last batches' events are kept.
    closers.push(async () => {
      clearInterval(ticker)
      await Promise.all([deriver.drain(), feed.drain(), checkingAlarms])
    })

    const ingest = await startIngest({
      db,
      mqttUrl,
      // Asked for at each connection: the embedded broker closes a connection when its token
      // expires, and the ingest's id is bound to the token's `sub`.
      password: config.MQTT_URL
        ? undefined
        : () => tokens.issue({ role: 'service', sub: config.INGEST_CLIENT_ID }),
      embeddedBroker: !config.MQTT_URL,
      clientId: config.INGEST_CLIENT_ID,
      shareGroup: config.INGEST_SHARE_GROUP,
      clock,
      log: log.child('ingest'),
      onCommitted: (batch) => {
        void feed.consume(batch.positions)
        void deriver.consume(batch)
      },
    })
    closers.push(() => ingest.stop())
    // Closing socket.io also closes the HTTP server it is attached to; it goes first on stop.
    closers.push(() => live.close())
    if (config.SIMULATOR_FLEET === 'cixi') {
      const simulator = await startSimulator({
        world: await world(),
        router: routing.router,
        roadGraph: routing.graph,
        mqttUrl,
        // Asked for again at each reconnection, so ordinary, expiring tokens do.
        passwordFor: async (busId) =>
          config.MQTT_URL ? undefined : tokens.issue({ role: 'device', sub: `terminal-${busId}`, busId }),
        clock,
        log: log.child('simulator'),
        simulation: { seed: config.SIMULATOR_SEED },
      })
      log.info(
        'simulator: the 36 fixture buses drive their trips in real time (SIMULATOR_FLEET=off stops it)',
      )
      closers.push(() => simulator.stop())
    }

    const health = createHealthReport({
      database: async () => {
        await db.query('SELECT 1')
        return { ok: true, detail: db.kind }
      },
      broker: async () => {
        const connected = ingest.worker.isConnected()
        return { ok: connected, detail: connected ? 'ingest connected' : 'ingest disconnected' }
      },
      ingest: async () => {
        const stats = ingest.worker.stats()
        return {
          ok: !stats.retrying,
          detail: `${stats.retrying ? 'retrying a batch, ' : ''}backlog ${stats.backlog}`,
        }
      },
      router: routing.health,
      live: async () => ({ ok: live.isUp(), detail: config.REDIS_URL ? 'redis adapter' : 'single node' }),
    })
    const planner = createPlanRunner({
      db,
      clock,
      log: log.child('planner'),
      timeLimitMs: config.PLAN_TIME_LIMIT_MS,
      routing: { roadsFile: config.ROADS_FILE, osrmUrl: config.OSRM_URL },
      publish: (update: PlanUpdate) => live.publishToBureau('plan_progress', update),
    })
    const abandoned = await planner.failAbandoned()
    if (abandoned.length > 0) log.warn('plans left running by a stopped server marked failed', { abandoned })
    closers.push(() => planner.stop())
    const app = createHttpApp({
      deps: {
        db,
        access,
        clock,
        ingestStats: () => ingest.worker.stats(),
        notifyParents: live.publishToPupil,
        notifyAttendants: live.publishToAttendants,
        liveSnapshot: feed.snapshotOf,
        tripGeometry: async (tripId) => (await etas.tripRoute(tripId)).geometry,
        alarms,
        publishEvent: live.publishAlarm,
        planner,
      },
      tokens,
      health,
      log: log.child('http'),
      web: { tileUrl: config.TILE_URL },
    })
    const port = await listen(httpServer, config.HOST, config.PORT)

    return { httpUrl: `http://${config.HOST}:${port}`, mqttUrl, db, tokens, stop: stopAll }
  } catch (error) {
    await stopAll()
    throw error
  }
}

/** A point on the network for the router's health probe: the city centre, or any town's. */
async function cityCentre(db: Database) {
  const [town] = await db.query<{ lat: number; lon: number }>(
    `SELECT lat, lon FROM towns ORDER BY kind = 'city' DESC, id LIMIT 1`,
  )
  return town ?? { lat: 30.17, lon: 121.26 }
}

function listen(server: HttpServer, hostname: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
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
    server.listen(port, hostname, () => resolve((server.address() as { port: number }).port))
  })
}

/** Runs `work` now and then every `intervalMs`; the returned closer waits for a run in progress. */
function repeatEvery(intervalMs: number, work: () => Promise<void>): () => Promise<void> {
  let running = work()
  const timer = setInterval(() => (running = running.then(work)), intervalMs)
  timer.unref()
  return async () => {
    clearInterval(timer)
    await running
  }
}

function scheduleTimeSeriesPolicies(db: Database, log: Logger): () => Promise<void> {
  return repeatEvery(policyIntervalMs, () =>
    applyTimeSeriesPolicies(db, telemetryPolicies).then(
      (result) => {
        if (result.compressedChunks + result.droppedChunks > 0)
          log.info('time-series policies applied', { ...result })
      },
      (error: unknown) => log.warn('time-series policies failed', { error: String(error) }),
    ),
  )
}

/** On every store, since dead letters are a plain table: TimescaleDB's retention does not reach it. */
function scheduleDeadLetterExpiry(
  db: Database,
  clock: Clock,
  retentionDays: number,
  log: Logger,
): () => Promise<void> {
  return repeatEvery(policyIntervalMs, () =>
    expireDeadLetters(db, clock.now(), retentionDays).then(
      (deleted) => {
        if (deleted > 0) log.info(`deleted ${deleted} dead letters older than ${retentionDays} days`)
      },
      (error: unknown) => log.warn('could not delete old dead letters', { error: String(error) }),
    ),
  )
}
