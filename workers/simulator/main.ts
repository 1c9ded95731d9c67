import { createAccessTokens } from '../../server/core/auth/access-tokens.js'
import { createAuditLog } from '../../server/core/auth/audit-log.js'
import { createSessions } from '../../server/core/auth/sessions.js'
import { resolveTokenSecret } from '../../server/core/auth/token-secret.js'
import { refuseCommandLine, showUsageOnHelp } from '../../server/core/cli/command-line.js'
import { systemClock, type Clock } from '../../server/core/clock/clock.js'
import { fromShanghaiTime, toShanghaiTime } from '../../server/core/clock/shanghai-time.js'
import { loadConfigOrExit } from '../../server/core/config/load-config.js'
import { createLogger } from '../../server/core/log/logger.js'
import { stopOnSignals } from '../../server/core/process/stop-on-signals.js'
import { readRegisters } from '../../server/core/registers/read-registers.js'
import type { RegisterSet } from '../../server/core/registers/register-records.js'
import { loadRoadNetwork, startRouter } from '../../server/core/routing/start-router.js'
import { migrateDatabase } from '../../server/core/store/migrate-database.js'
import { openDatabase } from '../../server/core/store/open-database.js'
import type { SimulationSource } from './fleet-simulation.js'
import { installSimulatedTerminalCodes } from './install-terminal-codes.js'
import { connectJt808Publisher } from './jt808-publisher.js'
import { prepareLoadSimulation } from './load-fleet.js'
import { connectReportPublisher } from './mqtt-publisher.js'
import { prepareRegisterSimulations, simulatedRegisters } from './register-simulation.js'
import { createNdjsonSink, createPublisherSink, type ReportSink } from './report-sinks.js'
import { runInRealTime } from './run-in-real-time.js'
import { parseSimulatorCli, simulatorUsage, type SimulatorCliOptions } from './simulator-cli-options.js'
import { noFaults, resolveSimulationSettings } from './simulation-settings.js'

/**
 * `npm run simulate`: the fleet simulator on its own, beside a running platform (the embedded
 * broker, signing device tokens with the platform's secret) or against MQTT_URL. See the usage text.
 * The school buses and their timetable are the registers in the configured store, read once at
 * start; the embedded store belongs to one process, so beside a platform on it use DATABASE_URL
 * (or the platform's own simulator part).
 */
const args = process.argv.slice(2)
showUsageOnHelp(simulatorUsage, args)
let cli: SimulatorCliOptions
try {
  cli = parseSimulatorCli(args)
} catch (error) {
  refuseCommandLine(simulatorUsage, (error as Error).message)
}
const config = loadConfigOrExit(process.env)
const log = createLogger({ level: config.LOG_LEVEL, component: 'simulator' })
const DAY_MS = 86_400_000
/** The ingest refuses reports more than five minutes ahead of its clock. */
const INGEST_FUTURE_LIMIT_MS = 5 * 60 * 1000
/** Simulated time per step when replaying as fast as possible. */
const REPLAY_WINDOW_MS = 60_000

const maxSpeed = cli.speed === 'max'
const date = cli.date ?? toShanghaiTime(new Date()).date
const at = (time: string) => fromShanghaiTime(date, time).getTime()
const followsWallClock = cli.speed === 1 && !cli.date && !cli.from
const fromMs = cli.from
  ? at(cli.from)
  : maxSpeed
    ? at('00:00:00')
    : followsWallClock
      ? Date.now()
      : at(toShanghaiTime(new Date()).time)
const untilMs = cli.until ? at(cli.until) : maxSpeed ? at('00:00:00') + DAY_MS : Infinity
if (untilMs <= fromMs)
  refuseCommandLine(simulatorUsage, `--until must be after the start (${new Date(fromMs).toISOString()})`)

const settings = resolveSimulationSettings({
  seed: cli.seed ?? config.SIMULATOR_SEED,
  driving: { reportIntervalS: 1 / cli.rate },
  faults: cli.clean ? noFaults : undefined,
})

/** The registers' buses, trips, calls and riders, read once; the store is closed again at once. */
async function readFleetRegisters(): Promise<RegisterSet> {
  let db: Awaited<ReturnType<typeof openDatabase>>
  try {
    db = await openDatabase(config)
  } catch (error) {
    console.error(`the simulator reads the buses and trips from the store: ${(error as Error).message}`)
    process.exit(1)
  }
  try {
    await migrateDatabase(db, { log })
    return await readRegisters(db, { registers: simulatedRegisters })
  } finally {
    await db.close()
  }
}

const registers = cli.buses ? undefined : await readFleetRegisters()
if (registers && registers.buses.length === 0) {
  log.warn('the store holds no buses: seed it (npm run seed) or import the registers; nothing to simulate')
}
const network = await loadRoadNetwork(config.ROADS_FILE)
const [probeLon, probeLat] = network.ways[0]?.coords[0] ?? [0, 0]
const routing = startRouter({ osrmUrl: config.OSRM_URL, network, probe: { lat: probeLat, lon: probeLon } })
log.info(`router: ${routing.description}`)
const source: SimulationSource = !registers
  ? await prepareLoadSimulation(network, routing.router, settings, {
      busCount: cli.buses!,
      loopCount: cli.loops ?? Math.min(cli.buses!, 64),
      startMs: fromMs,
      roadGraph: routing.graph,
    })
  : await prepareRegisterSimulations(
      registers,
      { network, router: routing.router, graph: routing.graph },
      settings,
      { onNewDay: (day) => log.info(`the registers' school buses on ${day}`) },
    )
if (cli.buses) log.info(`load mode: ${cli.buses} buses at ${cli.rate} Hz`)

const sink: ReportSink = cli.out
  ? createNdjsonSink(cli.out)
  : config.SIMULATOR_PROTOCOL === 'jt808'
    ? await connectJt808Sink()
    : await connectSink()

/**
 * The registers' buses as JT/T 808 terminals of the gateway on HOST:JT808_PORT. Those with a
 * credential get a new one, installed as a bureau installs one; the others register.
 */
async function connectJt808Sink(): Promise<ReportSink> {
  if (!registers) {
    console.error('SIMULATOR_PROTOCOL=jt808 simulates the buses of the registers: --buses has no terminals')
    process.exit(2)
  }
  const buses = registers.buses.flatMap((bus) =>
    bus.terminalNo === null ? [] : [{ busId: bus.code, terminalNo: bus.terminalNo, plate: bus.plate }],
  )
  if (buses.length < registers.buses.length) {
    log.warn(
      `${registers.buses.length - buses.length} buses have no terminal number: not simulated over JT/T 808`,
    )
  }
  const db = await openDatabase(config)
  let codes: Map<string, string>
  try {
    codes = await installSimulatedTerminalCodes({
      db,
      sessions: createSessions({ db, clock: systemClock }),
      audit: createAuditLog({ db, clock: systemClock }),
      clock: systemClock,
      busIds: buses.map((bus) => bus.busId),
    })
  } finally {
    await db.close()
  }
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST
  const publisher = connectJt808Publisher({
    host,
    port: config.JT808_PORT,
    buses,
    authCodeFor: (busId) => codes.get(busId),
    log,
  })
  log.info(`reporting to the JT/T 808 gateway on ${host}:${config.JT808_PORT}, a connection per bus`)
  const statsTimer = setInterval(() => log.info('sent', { ...publisher.stats() }), 60_000)
  statsTimer.unref()
  return publisher
}

async function connectSink(): Promise<ReportSink> {
  const mqttUrl = config.MQTT_URL ?? `mqtt://127.0.0.1:${config.MQTT_PORT}`
  const embedded = !config.MQTT_URL
  const tokens = embedded
    ? createAccessTokens({
        secret: await resolveTokenSecret({ configured: config.TOKEN_SECRET, dataDir: config.DATA_DIR }),
        ttlS: config.TOKEN_TTL_S,
        clock: systemClock,
      })
    : undefined
  // Tokens of the ordinary lifetime: each connection asks for a fresh one when it reconnects,
  // and the embedded broker closes a connection when its token expires.
  const kind = cli.connection ?? (cli.buses ? 'shared' : 'per-bus')
  const publisher = await connectReportPublisher({
    mqttUrl,
    busIds: source.busIds,
    connection:
      kind === 'shared'
        ? {
            kind,
            clientId: 'simulator',
            password: async () => tokens?.issue({ role: 'service', sub: 'simulator' }),
          }
        : {
            kind,
            passwordFor: async (busId) => tokens?.issue({ role: 'device', sub: `terminal-${busId}`, busId }),
          },
    log,
  })
  log.info(
    `publishing to ${mqttUrl} over ${kind === 'shared' ? 'one shared connection' : 'a connection per bus'}`,
  )
  const statsTimer = setInterval(() => log.info('published', { ...publisher.stats() }), 60_000)
  statsTimer.unref()
  return createPublisherSink(publisher)
}

if (!cli.out && untilMs > Date.now() + INGEST_FUTURE_LIMIT_MS && cli.speed !== 1) {
  log.warn(
    'the run reaches more than 5 minutes past the wall clock: the ingest refuses such reports as future_timestamp',
  )
}

if (maxSpeed) {
  const simulation = source.simulationAt(new Date(fromMs))
  let count = 0
  const started = performance.now()
  for (let windowMs = fromMs; windowMs < untilMs; windowMs += REPLAY_WINDOW_MS) {
    const reports = simulation.simulateWindow(
      new Date(windowMs),
      new Date(Math.min(untilMs, windowMs + REPLAY_WINDOW_MS)),
    )
    sink.deliver(reports)
    count += reports.length
    await sink.drain()
  }
  await sink.close()
  log.info(`replayed ${count} reports in ${((performance.now() - started) / 1000).toFixed(1)} s`)
} else {
  const realStartMs = Date.now()
  const speed = cli.speed as number
  const clock: Clock = followsWallClock
    ? systemClock
    : { now: () => new Date(fromMs + (Date.now() - realStartMs) * speed) }
  const run = await runInRealTime({
    simulationAt: source.simulationAt,
    deliver: (reports) => sink.deliver(reports),
    clock,
    tickMs: Math.max(50, 1000 / speed),
    log,
  })
  log.info(`simulating from ${new Date(fromMs).toISOString()} at ${speed}× real time`)
  let stopped: Promise<void> | undefined
  const stop = () =>
    (stopped ??= (async () => {
      await run.stop()
      await sink.close()
    })())
  stopOnSignals(stop, log)
  if (Number.isFinite(untilMs)) {
    const untilTimer = setInterval(() => {
      if (clock.now().getTime() < untilMs) return
      clearInterval(untilTimer)
      log.info('reached --until: stopping')
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          log.error('stop failed', { error: String(error) })
          process.exit(1)
        },
      )
    }, 200)
  }
}
