import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createRoadAtPointIndex } from '../geo/roads/road-at-point.js'
import { createSessions } from '../server/core/auth/sessions.js'
import { systemClock } from '../server/core/clock/clock.js'
import { toShanghaiTime } from '../server/core/clock/shanghai-time.js'
import { loadRoadNetwork, startRouter } from '../server/core/routing/start-router.js'
import { defaultEventRuleOptions } from '../server/core/schedule/event-rule-options.js'
import { groupScheduledTrips } from '../server/core/schedule/trip-calendar.js'
import { createDerivedEventQueries } from '../server/core/store/derived-event-queries.js'
import type { Database } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { openPostgresDatabase } from '../server/core/store/postgres-database.js'
import { buildBenchWorld, lastScheduledAt, seedBenchWorld, tripStartOf } from './scale/bench-world.js'
import { deriveExpectedEvents, type PublishedReport } from './scale/expected-events.js'
import { fleetCentre, planFleet, probeBusIdOf } from './scale/fleet-plan.js'
import { connectFleetPublisher, driveFleet, type FleetPublisher } from './scale/fleet-publisher.js'
import { measureLiveDelivery, watchBuses } from './scale/live-watchers.js'
import {
  freePort,
  partsOf,
  startPlatformProcess,
  stopPlatformProcess,
  waitForHealth,
  type PlatformProcess,
  type ProcessRole,
} from './scale/platform-processes.js'
import { parseScaleOptions, usage, type ScaleOptions } from './scale/scale-options.js'
import { checkRedis, deleteLiveState, endBrokerSessions } from './scale/service-cleanup.js'
import {
  compareEvents,
  countAlarms,
  readStoredEvents,
  readStoredTelemetry,
  storedEventsVersion,
} from './scale/stored-figures.js'
import { createScratchDatabase } from './scratch-database.js'
import { refuseCommandLine, showUsageOnHelp } from '../server/core/cli/command-line.js'

/**
 * `npm run bench:scale -- --ingest 2 --events 2 --servers 2 --seconds 30 [--buses 36] [--kill-events]`:
 * the platform as separate processes (`node dist/server/main.js` with PARTS=ingest, PARTS=events and
 * PARTS=api,live; `--combined N` adds processes with every part) on real PostgreSQL, Mosquitto and
 * Redis, fed a fleet whose episodes are known: what was stored, lost and duplicated, which derived
 * events are missing or doubled against the platform's own rules run over exactly the reports
 * published, and how many positions reached a parent watching on every server. Prints progress on
 * stderr and one JSON line last on stdout.
 */
const args = process.argv.slice(2)
const usageText = `usage: ${usage}`
showUsageOnHelp(usageText, args)
let options: ScaleOptions
try {
  options = parseScaleOptions(args, process.env)
} catch (error) {
  refuseCommandLine(usageText, error instanceof Error ? error.message : String(error))
}

const root = path.resolve(import.meta.dirname, '..')
const rules = defaultEventRuleOptions
const say = (line: string) => process.stderr.write(`scale: ${line}\n`)
const runTag = randomBytes(3).toString('hex')
const idPrefix = `scale${runTag}`
const secret = randomBytes(32).toString('hex')
const processes: PlatformProcess[] = []
const cleanups: { what: string; run: () => Promise<unknown> }[] = []
let shuttingDown = false
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))

process.on('exit', () => {
  for (const child of processes) if (child.child.exitCode === null) child.child.kill('SIGKILL')
})
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => void abort(`${signal}: stopping`, 130))

try {
  const result = await run()
  await cleanUp()
  console.log(JSON.stringify(result))
  process.exit(0)
} catch (error) {
  await abort(error instanceof Error ? (error.stack ?? error.message) : String(error), 1)
}

async function run() {
  const { seconds } = options
  if (options.build) {
    say('building (npm run build)')
    const built = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: ['ignore', 2, 2] })
    if (built.status !== 0) throw new Error(`npm run build failed (${built.status ?? built.signal})`)
  }
  await checkRedis(options.redisUrl)

  const scratch = await createScratchDatabase(options.databaseUrl, `scale_bench_${process.pid}`)
  cleanups.push({ what: 'drop the scratch database', run: () => scratch.drop() })
  const db = openPostgresDatabase({ url: scratch.url, maxConnections: 4 })
  cleanups.push({ what: 'close the store', run: () => db.close() })
  await migrateDatabase(db)
  // Parents come in with sessions, which live in the store the platform processes share.
  const parentSessions = createSessions({ db, clock: systemClock })
  const dataRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'stp-scale-bench-'))
  cleanups.push({
    what: 'remove the data folders',
    run: () => fs.rm(dataRoot, { recursive: true, force: true }),
  })

  const roadsFile = process.env.ROADS_FILE?.trim() || path.join(root, 'fixtures/cixi/roads.json')
  const network = await loadRoadNetwork(roadsFile)
  // The road index the events part builds: from the embedded router's graph of the same roads.
  const roads = createRoadAtPointIndex(startRouter({ network, probe: fleetCentre }).graph)

  const plans = planFleet({ idPrefix, buses: options.buses, seconds, silentAfterS: rules.silentAfterS })
  const busIds = plans.map((plan) => plan.busId)
  const probeBusId = probeBusIdOf(idPrefix)
  cleanups.push({
    what: "delete the buses' live state in Redis",
    run: () => deleteLiveState(options.redisUrl, [...busIds, probeBusId]),
  })
  const seedAt = new Date()
  checkServiceDay(seedAt, plans)
  await seedBenchWorld(db, buildBenchWorld({ plans, seedAt, rules, roads: network, probeBusId }))
  say(
    `seeded ${plans.length} buses with a trip each (${plans.filter((p) => p.silentAtStart).length} silent), ` +
      `a parent per bus, into ${new URL(scratch.url).pathname.slice(1)}`,
  )

  // The processes, all on the run's services; each its own data folder, all one token secret.
  const shareGroup = `scale-${runTag}`
  const roles: ProcessRole[] = [
    ...Array<ProcessRole>(options.ingest).fill('ingest'),
    ...Array<ProcessRole>(options.events).fill('events'),
    ...Array<ProcessRole>(options.servers).fill('server'),
    ...Array<ProcessRole>(options.combined).fill('combined'),
  ]
  const numbered = new Map<ProcessRole, number>()
  const passThrough = Object.fromEntries(
    ['ROADS_FILE', 'OSRM_URL'].flatMap((name) =>
      process.env[name]?.trim() ? [[name, process.env[name]!]] : [],
    ),
  )
  // Cleanups run last first: the sessions are ended once the processes have stopped.
  cleanups.push({
    what: "end the processes' MQTT sessions",
    run: () =>
      endBrokerSessions(
        options.mqttUrl,
        processes.map((p) => p.ingestClientId),
      ),
  })
  cleanups.push({
    what: 'stop the processes',
    run: () => Promise.all(processes.map((p) => stopPlatformProcess(p, 15_000))),
  })
  const spawnedAt = Date.now()
  for (const role of roles) {
    const n = (numbered.get(role) ?? 0) + 1
    numbered.set(role, n)
    const name = `${role}-${n}`
    const serves = role === 'server' || role === 'combined'
    const port = serves ? await freePort() : 0
    const dataDir = path.join(dataRoot, name)
    await fs.mkdir(dataDir)
    const parts = partsOf[role]
    processes.push(
      startPlatformProcess({
        name,
        role,
        port,
        ingestClientId: `${shareGroup}-${name}`,
        env: {
          DATABASE_URL: scratch.url,
          MQTT_URL: options.mqttUrl,
          REDIS_URL: options.redisUrl,
          TOKEN_SECRET: secret,
          DEMO: 'off',
          SIMULATOR_FLEET: 'off',
          LOG_LEVEL: 'warn',
          HOST: '127.0.0.1',
          PORT: String(port),
          DATA_DIR: dataDir,
          INGEST_CLIENT_ID: `${shareGroup}-${name}`,
          INGEST_SHARE_GROUP: shareGroup,
          ...passThrough,
          ...(parts ? { PARTS: parts } : {}),
          ...options.env,
        },
        onExit: (child, code, signal) => {
          if (shuttingDown || child.killed) return
          void abort(
            `${child.name} ended (${code ?? signal}) before the run did; its last output:\n${child.output()}`,
          )
        },
      }),
    )
  }
  say(
    `started ${processes.map((p) => `${p.name}${p.role === 'combined' ? ' (every part)' : ` (PARTS=${partsOf[p.role]})`}`).join(', ')}`,
  )
  const servers = processes.filter((p) => p.role === 'server' || p.role === 'combined')
  const serverUrls = servers.map((p) => `http://127.0.0.1:${p.port}`)
  await Promise.all(
    servers.map((p, i) => waitForHealth(serverUrls[i]!, 120_000, () => p.child.exitCode === null)),
  )

  const publisher = await connectFleetPublisher({
    mqttUrl: options.mqttUrl,
    clientIdPrefix: `${shareGroup}-terminals`,
    connections: Math.min(options.publishers, plans.length),
  })
  cleanups.push({ what: 'close the terminals’ connections', run: () => publisher.close() })
  await waitForIngest(publisher, db, probeBusId)
  const derivers = processes.filter((p) => p.role === 'events' || p.role === 'combined')
  if (derivers.length > 0) await waitForSilences(db, plans, seedAt)
  else say('no process derives events: every expected event will be missed')
  const startupMs = Date.now() - spawnedAt

  say(`connecting ${plans.length} parents to each of ${servers.length} server(s)`)
  const watchers = await watchBuses({
    serverUrls,
    buses: await Promise.all(
      plans.map(async (plan) => ({
        busId: plan.busId,
        token: (
          await parentSessions.issue(
            { kind: 'issued', principal: { role: 'parent', sub: plan.guardianId, pupilIds: [plan.pupilId] } },
            { ttlS: 86_400 },
          )
        ).token,
      })),
    ),
  })
  cleanups.push({ what: 'disconnect the parents', run: async () => watchers.close() })

  const startAtMs = Date.now() + 1000
  const firstTripStartMs = Math.min(
    ...plans.filter((p) => !p.silentAtStart).map((p) => tripStartOf(p, seedAt, rules).getTime()),
  )
  if (startAtMs - firstTripStartMs > (rules.silentAfterS - 15) * 1000)
    say(
      `warning: the processes took ${Math.round(startupMs / 1000)} s to start; buses may be found silent before their first report`,
    )
  const killAt = Math.floor(seconds / 2)
  let killed: string | null = null
  say(
    `publishing ${plans.length} buses at 1 Hz for ${seconds} s over ${Math.min(options.publishers, plans.length)} connection(s)${options.killEvents ? `; killing an events process after ${killAt} s` : ''}`,
  )
  const progress = setInterval(() => {
    void readStoredTelemetry(db, busIds).then(
      (stored) => shuttingDown || say(`  stored ${stored.distinct} reports so far`),
      () => undefined,
    )
  }, 5000)
  const outcome = await driveFleet({
    plans,
    publisher,
    connections: Math.min(options.publishers, plans.length),
    startAtMs,
    seconds,
    onSecond: (second) => {
      if (!options.killEvents || second !== killAt || killed) return
      const victim = processes.find((p) => p.role === 'events')!
      victim.killed = true
      victim.child.kill('SIGKILL')
      killed = victim.name
      say(`killed ${victim.name} (SIGKILL) after ${second} s`)
    },
  }).finally(() => clearInterval(progress))
  const published = outcome.published.length
  say(`published ${published} reports (${outcome.failed} not acknowledged); waiting for the store to settle`)

  const ticksFromMs = spawnedAt
  const loadTrips = async (isoWeekday: number) =>
    groupScheduledTrips(await createDerivedEventQueries(db).listScheduledTripStops(isoWeekday))
  const expectedBy = (ticksToMs: number) =>
    deriveExpectedEvents({ reports: outcome.published, loadTrips, roads, rules, ticksFromMs, ticksToMs })
  const settleStarted = Date.now()
  const provisional = await expectedBy(outcome.lastPublishAtMs + options.settleSeconds * 1000)
  await settle(async () => {
    const [stored, events, version] = await Promise.all([
      readStoredTelemetry(db, busIds),
      readStoredEvents(db, busIds),
      storedEventsVersion(db, busIds),
    ])
    const missed = compareEvents(provisional, events).eventsMissed
    return {
      complete: stored.distinct >= published && missed === 0,
      version: `${stored.distinct}/${version}`,
    }
  })
  const settleMs = Date.now() - settleStarted

  const readAtMs = Date.now()
  const [telemetry, events, alarms] = await Promise.all([
    readStoredTelemetry(db, busIds),
    readStoredEvents(db, busIds),
    countAlarms(db, busIds),
  ])
  const expected = await expectedBy(readAtMs)
  const eventFigures = compareEvents(expected, events)
  const live = measureLiveDelivery(outcome.published, watchers.received)
  const elapsedS = telemetry.lastStoredAt
    ? (telemetry.lastStoredAt.getTime() - outcome.firstPublishAtMs) / 1000
    : NaN

  const { byKind, ...eventCounts } = eventFigures
  const { eventsUnexpected, ...requiredEventCounts } = eventCounts
  return {
    msgsPerSec: Number.isFinite(elapsedS) && elapsedS > 0 ? Math.round((published / elapsedS) * 10) / 10 : 0,
    lost: published - telemetry.distinct,
    duplicated: telemetry.rows - telemetry.distinct,
    ...requiredEventCounts,
    liveDelivered: live.liveDelivered,
    liveExpected: live.liveExpected,
    seconds,
    buses: plans.length,
    processes: {
      ingest: options.ingest,
      events: options.events,
      servers: options.servers,
      combined: options.combined,
    },
    killed,
    published,
    publishFailed: outcome.failed,
    stored: telemetry.distinct,
    endToEndS: Number.isFinite(elapsedS) ? Math.round(elapsedS * 10) / 10 : null,
    eventsUnexpected,
    eventsByKind: byKind,
    alarmsStored: alarms,
    liveP50Ms: live.liveP50Ms,
    liveP99Ms: live.liveP99Ms,
    liveMaxMs: live.liveMaxMs,
    liveDisconnects: watchers.disconnects(),
    processLinesRepeated: processes.reduce((n, p) => n + p.repeatedLines(), 0),
    startupMs,
    settleMs,
  }
}

/**
 * Publishes a report of the probe bus (which runs no trip) every half second until one is stored:
 * then at least one ingest is subscribed, and telemetry published from now on is not lost for want
 * of a subscriber. Waits two seconds more for the other ingest processes, which started together.
 */
async function waitForIngest(publisher: FleetPublisher, db: Database, probeBusId: string): Promise<void> {
  const deadline = Date.now() + 120_000
  for (let seq = 0; Date.now() < deadline; seq++) {
    const report: PublishedReport = {
      kind: 'gps',
      row: {
        busId: probeBusId,
        ts: new Date(),
        ...fleetCentre,
        speedKmh: 0,
        headingDeg: null,
        altM: null,
        accuracyM: 5,
        ignition: true,
        seq,
      },
    }
    publisher.publish(0, report, () => undefined)
    await sleep(500)
    const [row] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM positions WHERE bus_id = $1`,
      [probeBusId],
    )
    if (row && row.n > 0) {
      await sleep(2000)
      return
    }
  }
  throw new Error('no report of the probe bus was stored in 120 s: is an ingest process subscribed?')
}

/**
 * Waits (30 s at most) until the silences the events part raises before any report, those of the
 * buses whose trip began long before the run, are stored: then the events processes are ticking.
 */
async function waitForSilences(
  db: Database,
  plans: ReturnType<typeof planFleet>,
  seedAt: Date,
): Promise<void> {
  const silent = plans.filter((plan) => plan.silentAtStart)
  if (silent.length === 0) return
  const deadline = Date.now() + 30_000
  let found = 0
  while (Date.now() < deadline) {
    const [row] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events e
       JOIN unnest($1::text[], $2::timestamptz[]) AS s (bus_id, ts) ON s.bus_id = e.bus_id AND s.ts = e.ts
       WHERE e.kind = 'terminal_silent'`,
      [silent.map((plan) => plan.busId), silent.map((plan) => tripStartOf(plan, seedAt, rules))],
    )
    found = row?.n ?? 0
    if (found === silent.length) return
    await sleep(500)
  }
  say(`warning: ${found} of ${silent.length} silences from the trips' start stored after 30 s; going on`)
}

/**
 * Polls until the store is complete (every report stored, every expected event there) and has not
 * changed for a few seconds; or, incomplete, until it has not changed for `stalledMs` (longer than
 * a lease takes to expire and its partitions to be taken over and caught up); or for
 * `settleSeconds` at most.
 */
async function settle(look: () => Promise<{ complete: boolean; version: string }>): Promise<void> {
  const deadline = Date.now() + options.settleSeconds * 1000
  const quietMs = 6000
  const stalledMs = 25_000
  let last = ''
  let changedAt = Date.now()
  while (Date.now() < deadline) {
    const { complete, version } = await look()
    if (version !== last) {
      last = version
      changedAt = Date.now()
    } else if (complete && Date.now() - changedAt >= quietMs) return
    else if (Date.now() - changedAt >= stalledMs) {
      say(`the store has not changed for ${stalledMs / 1000} s, and is not complete; reading it as it is`)
      return
    }
    await sleep(1000)
  }
  say(`the store did not settle in ${options.settleSeconds} s; reading it as it is`)
}

/** The trips' times are local times of one day: the run must not cross midnight in Cixi. */
function checkServiceDay(seedAt: Date, plans: ReturnType<typeof planFleet>): void {
  const earliest = new Date(seedAt.getTime() - (rules.silentAfterS + 120) * 1000)
  const runEnd = seedAt.getTime() + (300 + options.seconds + options.settleSeconds) * 1000
  const latest = new Date(Math.max(runEnd, lastScheduledAt(plans, seedAt, rules).getTime()))
  if (toShanghaiTime(earliest).date !== toShanghaiTime(latest).date) {
    throw new Error(
      `the run would cross midnight in Asia/Shanghai (${toShanghaiTime(earliest).time} to ${toShanghaiTime(latest).time}), ` +
        'where trips of one service day end: run it again after 00:30 Cixi time',
    )
  }
}

/** Ends the run leaving no process, session, Redis key, database or folder behind. */
async function abort(reason: string, code = 1): Promise<void> {
  if (shuttingDown) return
  say(reason)
  await cleanUp()
  process.exit(code)
}

async function cleanUp(): Promise<void> {
  shuttingDown = true
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup.run().catch((error: unknown) => say(`could not ${cleanup.what}: ${String(error)}`))
  }
}
