import type { Server as HttpServer } from 'node:http'
import { createAdaptorServer } from '@hono/node-server'
import { loadCixiWorld } from '../../fixtures/cixi-world.js'
import type { TripEta } from '../../geo/eta/eta-tracker.js'
import type { RoadNetwork } from '../../geo/roads/road-network.js'
import { createAccessPolicy, type AccessPolicy } from '../core/auth/access-policy.js'
import { createAccessTokens } from '../core/auth/access-tokens.js'
import { createAuditLog, type AuditLog } from '../core/auth/audit-log.js'
import { createPlatformCredentials, type PlatformCredentials } from '../core/auth/platform-credentials.js'
import { createSessions, type Sessions } from '../core/auth/sessions.js'
import { watchEndedSessions, type SessionHolder } from '../core/auth/watch-ended-sessions.js'
import { resolveTokenSecret } from '../core/auth/token-secret.js'
import { redact } from '../core/broker/connect-broker.js'
import { startEmbeddedBroker } from '../core/broker/embedded-broker.js'
import type { Clock } from '../core/clock/clock.js'
import type { Config, PartName } from '../core/config/config-schema.js'
import { createHealthReport, type HealthCheck, type HealthReport } from '../core/health/health-report.js'
import type { Logger } from '../core/log/logger.js'
import { loadCountyBoundary, type CountyBoundary } from '../core/registers/county-boundary.js'
import { readRegisters, type ReadRegistersOptions } from '../core/registers/read-registers.js'
import type { RegisterSet } from '../core/registers/register-records.js'
import { loadRoadNetwork, startRouter, type RunningRouter } from '../core/routing/start-router.js'
import { applyTimeSeriesPolicies } from '../core/store/apply-time-series-policies.js'
import type { Database } from '../core/store/database.js'
import { expireDeadLetters } from '../core/store/expire-dead-letters.js'
import { migrateDatabase, type MigrationReport } from '../core/store/migrate-database.js'
import { telemetryPolicies } from '../core/store/migrations/001-core-schema.js'
import { embeddedDataDir, openDatabase } from '../core/store/open-database.js'
import { createScopeQueries } from '../core/store/scope-queries.js'
import { openBusLiveState, type BusLiveState } from '../live/bus-live-state.js'
import { attachLiveChannel } from '../live/live-channel.js'
import { createLivePublisher, type LivePublisher } from '../live/live-publisher.js'
import { isWorldSeeded, seedCixiWorld } from '../seed/seed-cixi-world.js'
import { createCommitSignal, type CommitSignal } from './commit-signal.js'
import { repeatEvery } from './repeat-every.js'

const policyIntervalMs = 3600_000

/** The HTTP server of a process that runs the api or the live part; it listens once every part has started. */
export interface ProcessHttp {
  readonly server: HttpServer
  /** Answers requests with `fetch` (the api part's app); until then, and without it, /health and 404. */
  serve(fetch: (request: Request) => Response | Promise<Response>): void
  /** Listens on HOST:PORT; resolves with the URL it answers on. */
  listen(): Promise<string>
  /** Stops taking connections (and closes the live channel's sockets); requests under way finish. */
  close(): Promise<void>
}

/**
 * What every part of one process shares, built once before any part starts: configuration, log,
 * clock, tokens, the store (migrated, and seeded in demo mode), the broker's URL (the embedded broker
 * runs here when this process needs one and MQTT_URL is unset), the HTTP server, the live publisher,
 * the committed reports and the health report.
 */
export interface ProcessContext {
  readonly config: Config
  readonly log: Logger
  readonly clock: Clock
  readonly parts: ReadonlySet<PartName>
  /** DEMO=on: the Cixi fixture world was seeded into an empty store, and the simulator may drive it. */
  readonly demo: boolean
  /** The one check of every route, socket and broker connection; its sessions can be ended. */
  readonly tokens: PlatformCredentials
  readonly access: AccessPolicy
  readonly audit: AuditLog
  readonly db: Database
  readonly migration: MigrationReport
  /**
   * Where telemetry is published, for a process that runs the ingest or the simulator part: MQTT_URL,
   * or else the embedded broker, which then runs in this process (`embedded`).
   */
  readonly broker: { url: string; embedded: boolean } | undefined
  /** Present when this process runs the api or the live part. */
  readonly http: ProcessHttp | undefined
  /**
   * Sends to browsers: the live channel on this process's HTTP server when it runs the live part;
   * otherwise through Redis to the processes that do (see createLivePublisher).
   */
  readonly publisher: LivePublisher
  /** Each bus's latest position and ETA as the live feed sent them; present with the live part. */
  readonly liveState: BusLiveState<TripEta> | undefined
  /** Wakes this process's events and live streams when its own ingest commits. */
  readonly commits: CommitSignal
  /** Adds a line to /health; the report asks every check at once. */
  addHealthCheck(name: string, check: HealthCheck): void
  /**
   * Has the connections a part opened with sessions (a gateway's terminals) closed within
   * `endedSessionCheckMs` of their session ending, as the broker's and the live channel's are.
   */
  addSessionHolder(holder: SessionHolder): void
  health(): Promise<HealthReport>
  /** The router, started on first use on the roads of ROADS_FILE (read once), with those roads. */
  routing(): Promise<RunningRouter & { network: RoadNetwork }>
  /**
   * The bureau's registers as the store holds them now, all or those `options` name: read on each
   * call, since imports change them.
   */
  registers(options?: ReadRegistersOptions): Promise<RegisterSet>
  /** The county of COUNTY_BOUNDARY_FILE, where imported sites and homes must lie. */
  readonly county: CountyBoundary
  /** Closes what the context opened, last first: the live publisher, the broker, the store. */
  close(): Promise<void>
}

/** Which parts need what the context may open. */
const needsHttp: readonly PartName[] = ['api', 'live']
const needsBroker: readonly PartName[] = ['ingest', 'simulator']
const publishes: readonly PartName[] = ['api', 'live', 'events', 'alarms', 'planner']

export async function createProcessContext(options: {
  config: Config
  log: Logger
  clock: Clock
}): Promise<ProcessContext> {
  const { config, log, clock } = options
  const parts = new Set(config.PARTS)
  const runs = (names: readonly PartName[]) => names.some((name) => parts.has(name))
  const closers: (() => Promise<void>)[] = []
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) {
      await closer().catch((error: unknown) => log.warn('error while stopping', { error: String(error) }))
    }
  }

  try {
    const secret = await resolveTokenSecret({ configured: config.TOKEN_SECRET, dataDir: config.DATA_DIR })
    const db = await openDatabase(config)
    closers.push(() => db.close())
    const tokens = createPlatformCredentials({
      tokens: createAccessTokens({ secret, ttlS: config.TOKEN_TTL_S, clock }),
      sessions: createSessions({ db, clock }),
      ttlS: config.TOKEN_TTL_S,
    })
    const audit = createAuditLog({ db, clock })
    const sessionHolders: SessionHolder[] = []
    // Every process migrates: the migration lock makes processes that start together take turns.
    const migration = await migrateDatabase(db, { log: log.child('store') })
    log.info(
      `database: ${config.DATABASE_URL ? redact(config.DATABASE_URL) : `embedded PGlite in ${embeddedDataDir(config)}`}` +
        ` (schema version ${migration.version}, ${migration.timescale ? 'TimescaleDB hypertables' : 'plain tables, no TimescaleDB'})`,
    )
    if (db.kind === 'pglite' && migration.timescale) closers.push(scheduleTimeSeriesPolicies(db, log))
    closers.push(scheduleDeadLetterExpiry(db, clock, config.DEAD_LETTER_RETENTION_DAYS, log))
    closers.push(scheduleAccessExpiry(tokens.sessions, audit, clock, log))

    const county = await loadCountyBoundary(config.COUNTY_BOUNDARY_FILE)
    const demo = config.DEMO === 'on'
    if (demo && !(await isWorldSeeded(db))) {
      const seeded = await seedCixiWorld(db, await loadCixiWorld(), { county })
      log.info('seeded an empty store with the Cixi fixture world (DEMO=on)', { ...seeded })
    }

    let broker: ProcessContext['broker']
    if (!runs(needsBroker)) {
      // No part of this process publishes or takes telemetry: no broker, embedded or not.
    } else if (config.MQTT_URL) {
      broker = { url: config.MQTT_URL, embedded: false }
      log.info(`MQTT broker: ${redact(config.MQTT_URL)}`)
    } else {
      const embedded = await startEmbeddedBroker({
        host: config.HOST,
        port: config.MQTT_PORT,
        tokens,
        log: log.child('broker'),
      })
      closers.push(() => embedded.close())
      sessionHolders.push(embedded)
      broker = { url: embedded.url, embedded: true }
      log.info(
        `MQTT broker: embedded aedes on ${embedded.url} (MQTT 3.1.1; devices use their access token as password)`,
      )
    }

    const checks: Record<string, HealthCheck> = {
      database: async () => {
        await db.query('SELECT 1')
        return { ok: true, detail: db.kind }
      },
    }
    const health = createHealthReport(checks)
    const access = createAccessPolicy({ scope: createScopeQueries(db), clock })

    const http = runs(needsHttp) ? createProcessHttp(config, health) : undefined
    let liveState: BusLiveState<TripEta> | undefined
    let publisher: LivePublisher
    if (parts.has('live')) {
      liveState = await openBusLiveState<TripEta>({ redisUrl: config.REDIS_URL, log: log.child('live') })
      const state = liveState
      closers.push(() => state.close())
      // The live channel is attached before the server listens, so no request finds it missing.
      const channel = await attachLiveChannel(http!.server, {
        tokens,
        access,
        log: log.child('live'),
        redisUrl: config.REDIS_URL,
        snapshotOf: (busId) => state.load(busId),
        clock,
      })
      publisher = { ...channel, close: once(() => channel.close()) }
      sessionHolders.push(channel)
      // Closing socket.io also closes the HTTP server it is attached to.
      http!.closeWith(publisher.close)
      checks.live = async () => ({
        ok: channel.isUp(),
        detail: config.REDIS_URL ? 'redis adapter' : 'single node',
      })
    } else if (runs(publishes)) {
      const detached = await createLivePublisher({ redisUrl: config.REDIS_URL, log: log.child('live') })
      publisher = { ...detached, close: once(() => detached.close()) }
      checks.live = async () => ({
        ok: detached.isUp(),
        detail: config.REDIS_URL
          ? 'redis adapter, to the live parts of other processes'
          : 'no live part here and no REDIS_URL: not pushed',
      })
    } else {
      publisher = publishingNothing
    }
    closers.push(() => publisher.close())
    // Holders come and go with the parts; with none, a check asks the store nothing.
    const watcher = watchEndedSessions({
      sessions: tokens.sessions,
      holders: () => sessionHolders,
      log: log.child('access'),
    })
    closers.push(async () => watcher.stop())
    const addSessionHolder = (holder: SessionHolder) => void sessionHolders.push(holder)

    let routingStarted: Promise<RunningRouter & { network: RoadNetwork }> | undefined
    const routing = () =>
      (routingStarted ??= (async () => {
        const network = await loadRoadNetwork(config.ROADS_FILE)
        const running = startRouter({ osrmUrl: config.OSRM_URL, network, probe: await cityCentre(db) })
        log.info(`router: ${running.description}`)
        checks.router = running.health
        return { ...running, network }
      })())

    return {
      config,
      log,
      clock,
      parts,
      demo,
      tokens,
      access,
      audit,
      db,
      migration,
      broker,
      http,
      publisher,
      liveState,
      commits: createCommitSignal(),
      addHealthCheck: (name, check) => {
        checks[name] = check
      },
      addSessionHolder,
      health,
      routing,
      registers: (options) => readRegisters(db, options),
      county,
      close,
    }
  } catch (error) {
    await close()
    throw error
  }
}

function createProcessHttp(
  config: Config,
  health: () => Promise<HealthReport>,
): ProcessHttp & { closeWith(close: () => Promise<void>): void } {
  let handle: (request: Request) => Response | Promise<Response> = async (request) => {
    if (request.method === 'GET' && new URL(request.url).pathname === '/health') {
      const report = await health()
      return Response.json(report, { status: report.status === 'ok' ? 200 : 503 })
    }
    return Response.json(
      { error: { code: 'not_found', message: 'this process serves no API' } },
      { status: 404 },
    )
  }
  const server = createAdaptorServer({ fetch: (request: Request) => handle(request) }) as HttpServer
  let closeServer = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve()
      server.close(() => resolve())
    })
  return {
    server,
    serve: (fetch) => {
      handle = fetch
    },
    listen: async () => `http://${config.HOST}:${await listen(server, config.HOST, config.PORT)}`,
    close: () => closeServer(),
    closeWith: (close) => {
      closeServer = close
    },
  }
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

/** For a process none of whose parts sends to browsers (ingest, simulator). */
const publishingNothing: LivePublisher = {
  publishToBusWatchers: () => {},
  publishToBusStaff: () => {},
  publishToPupil: () => {},
  publishAlarm: () => {},
  publishToAttendants: () => {},
  publishToBureau: () => {},
  publishAlarmCase: () => {},
  isUp: () => true,
  close: async () => {},
}

function once(work: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined
  return () => (done ??= work())
}

/** A point on the network for the router's health probe: the city centre, or any town's. */
async function cityCentre(db: Database) {
  const [town] = await db.query<{ lat: number; lon: number }>(
    `SELECT lat, lon FROM towns ORDER BY kind = 'city' DESC, id LIMIT 1`,
  )
  return town ?? { lat: 30.17, lon: 121.26 }
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

/** Sessions over a month past their end, and audit entries over a year old, are deleted. */
function scheduleAccessExpiry(
  sessions: Sessions,
  audit: AuditLog,
  clock: Clock,
  log: Logger,
): () => Promise<void> {
  return repeatEvery(policyIntervalMs, async () => {
    try {
      const purged = await sessions.purgeEndedBefore(new Date(clock.now().getTime() - 30 * 86_400_000))
      const expired = await audit.expire()
      if (purged + expired > 0) log.info('expired old sessions and audit entries', { purged, expired })
    } catch (error) {
      log.warn('could not expire old sessions and audit entries', { error: String(error) })
    }
  })
}
