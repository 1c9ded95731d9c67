import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createAccessTokens } from '../server/core/auth/access-tokens.js'
import { connectBroker } from '../server/core/broker/connect-broker.js'
import { systemClock } from '../server/core/clock/clock.js'
import { loadConfig } from '../server/core/config/load-config.js'
import { createLogger } from '../server/core/log/logger.js'
import { connectReportPublisher } from '../workers/simulator/mqtt-publisher.js'
import type { ClientsJob, ClientsReply, ClientsRequest } from './live-bench-clients.js'
import type { ServerReply, ServerRequest } from './live-bench-server.js'
import { concat, createBenchRun } from './bench-run.js'
import { demoPlatformEnv } from './demo-platform-env.js'
import { createScratchDatabase } from './scratch-database.js'
import { readCommandLine } from '../server/core/cli/command-line.js'

/**
 * `npm run bench:live [-- --buses 36 --clients 5000 --seconds 30]`: publish-to-browser latency of
 * the live path. The platform runs in a process of its own (no simulator, a store of the run's own:
 * embedded, or a scratch database on DATABASE_URL; MQTT_URL and REDIS_URL are used when set). Each
 * bus publishes a GPS report once a second through the broker, dated with its publish time, the
 * buses' phases spread over the second as a real fleet's are. The clients, in one or two processes,
 * connect with socket.io and subscribe to one bus each, evenly over the buses' rooms. Their tokens
 * are bureau tokens: a parent's token covers a bus only while it runs the child's trip, and the
 * benchmark buses run none; what a parent's page receives is the same room's events. Once every
 * client is subscribed and a warm-up has passed, every delivery of a report published inside the
 * window is timed. Prints one JSON line last.
 */
const commandLine = readCommandLine({
  usage: `usage: npm run bench:live [-- --buses 36 --clients 5000 --seconds 30 --warmup-seconds 5 --client-processes N]

  --buses N              buses publishing a report a second (default 36)
  --clients N            socket.io clients, one bus each (default 5000)
  --seconds S            the timed window (default 30)
  --warmup-seconds S     untimed time before it, once every client is subscribed (default 5)
  --client-processes N   processes the clients run in (default 1, or 2 above 5000 clients)

The store is a scratch database on DATABASE_URL, or an embedded one of the run's own; MQTT_URL and
REDIS_URL are used when set.`,
  options: {
    buses: { type: 'string', default: '36' },
    clients: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '30' },
    'warmup-seconds': { type: 'string', default: '5' },
    'client-processes': { type: 'string' },
  },
})
const busCount = commandLine.number('buses', { whole: true, min: 1 })
const clientCount = commandLine.number('clients', { whole: true, min: 1 })
const seconds = commandLine.number('seconds', { above: 0 })
const warmupS = commandLine.number('warmup-seconds', { min: 0 })
const clientProcesses =
  commandLine.values['client-processes'] === undefined
    ? Math.min(2, Math.ceil(clientCount / 5000))
    : commandLine.number('client-processes', { whole: true, min: 1 })
/** Deliveries later than this after the window are counted as lost. */
const GRACE_MS = 3000
const READY_TIMEOUT_MS = 300_000

const config = loadConfig(process.env)
const log = createLogger({ level: 'warn' })
const run = createBenchRun()
const { say, startChild } = run
const suffix = randomBytes(4).toString('hex')
const secret = randomBytes(32).toString('hex')
const tokens = createAccessTokens({ secret, ttlS: 86400, clock: systemClock })

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stp-live-bench-'))
run.onCleanup(() => fs.rm(dataDir, { recursive: true, force: true }))
const scratch = config.DATABASE_URL
  ? await createScratchDatabase(config.DATABASE_URL, `stp_live_bench_${suffix}`)
  : undefined
if (scratch) run.onCleanup(() => scratch.drop())

say(`starting the platform with ${busCount} buses`)
const server = startChild<ServerReply, ServerRequest>(
  'live-bench-server.ts',
  [String(busCount)],
  demoPlatformEnv({ dataDir, secret, name: 'live-bench', suffix, databaseUrl: scratch?.url }),
)
const ready = await server.next('ready', READY_TIMEOUT_MS)
const embeddedBroker = !config.MQTT_URL

const publisher = await connectReportPublisher({
  mqttUrl: ready.mqttUrl,
  busIds: ready.busIds,
  connection: {
    kind: 'per-bus',
    passwordFor: async (busId) =>
      embeddedBroker ? tokens.issue({ role: 'device', sub: `terminal-${busId}`, busId }) : undefined,
  },
  log,
})
const fleet = startFleet(ready.busIds, ready.origin)

say(`connecting ${clientCount} clients in ${clientProcesses} process(es)`)
const share = Math.ceil(clientCount / clientProcesses)
const clientGroups = Array.from({ length: clientProcesses }, (_, p) => {
  const job: ClientsJob = {
    httpUrl: ready.httpUrl,
    secret,
    busIds: ready.busIds,
    from: p * share,
    to: Math.min(clientCount, (p + 1) * share),
  }
  return startChild<ClientsReply, ClientsRequest>('live-bench-clients.ts', [JSON.stringify(job)], process.env)
})
const connectStarted = performance.now()
const subscribed = await Promise.all(clientGroups.map((group) => group.next('subscribed', READY_TIMEOUT_MS)))
say(
  `${subscribed.reduce((n, s) => n + s.count, 0)} clients subscribed in ${((performance.now() - connectStarted) / 1000).toFixed(1)} s; warming up for ${warmupS} s`,
)
await sleep(warmupS * 1000)

const window = { fromMs: Date.now() + 100, toMs: Date.now() + 100 + seconds * 1000 }
fleet.countFrom(window)
for (const group of clientGroups) group.send({ kind: 'window', ...window })
await sleep(window.fromMs - Date.now())
const usageBefore = await server.ask({ kind: 'usage', reset: true }, 'usage')
const machineBefore = machineCpuTimes()
const measureStarted = performance.now()
say(`measuring for ${seconds} s`)
await sleep(window.toMs - Date.now())
const usageAfter = await server.ask({ kind: 'usage', reset: false }, 'usage')
const wallMs = performance.now() - measureStarted
const machineAfter = machineCpuTimes()
fleet.stop()
await sleep(GRACE_MS)

const reports = await Promise.all(
  clientGroups.map((group) => {
    group.expectExit()
    return group.ask({ kind: 'report' }, 'report')
  }),
)
const published = fleet.publishedInWindow()
const roomSize = (busIndex: number) =>
  Math.floor(clientCount / busCount) + (busIndex < clientCount % busCount ? 1 : 0)
const expected = published.reduce((n, count, busIndex) => n + count * roomSize(busIndex), 0)
const latencies = concat(reports.map((r) => r.latenciesMs)).sort()
const quantile = (q: number) =>
  latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! : null
const publisherStats = publisher.stats()

const result = {
  buses: busCount,
  clients: clientCount,
  seconds,
  broker: embeddedBroker ? 'aedes' : 'mqtt',
  database: scratch ? 'postgres' : 'pglite',
  fanOut: config.REDIS_URL ? 'redis' : 'single node',
  msgsPerSec: Math.round(latencies.length / seconds),
  ingestPerSec: Math.round(published.reduce((a, b) => a + b, 0) / seconds),
  p50Ms: quantile(0.5),
  p99Ms: quantile(0.99),
  maxMs: latencies.length ? latencies[latencies.length - 1]! : null,
  delivered: latencies.length,
  expected,
  lost: expected - latencies.length,
  disconnects: reports.reduce((n, r) => n + r.disconnects, 0),
  publishFailed: publisherStats.failed,
  serverCpuPct: Math.round(((usageAfter.cpuMs - usageBefore.cpuMs) / wallMs) * 100),
  serverRssMb: usageAfter.rssMb,
  serverLoopDelayP99Ms: Number(usageAfter.loopDelayP99Ms.toFixed(1)),
  serverLoopDelayMaxMs: Number(usageAfter.loopDelayMaxMs.toFixed(1)),
  serverGcPct: Number(((usageAfter.gcPauseMs / wallMs) * 100).toFixed(1)),
  serverGcMaxPauseMs: Number(usageAfter.gcMaxPauseMs.toFixed(1)),
  clientCpuPct: Math.round((reports.reduce((n, r) => n + r.windowCpuMs, 0) / wallMs) * 100),
  // Other work on the machine competes with the run: this shows how busy all its cores were.
  machineCpuPct: Math.round(
    ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * 100,
  ),
  machineCores: os.cpus().length,
}

await publisher.close({ flushTimeoutMs: 2000 })
server.expectExit()
server.send({ kind: 'stop' })
await server.exited
if (!embeddedBroker) await endIngestSession(config.MQTT_URL!)
await run.finish()
console.log(JSON.stringify(result))
process.exit(0)

/**
 * The buses' 1 Hz reports: bus i publishes at i/n of each second, driving north at about 30 km/h
 * from its own spot on a 100 m grid, so every report passes the ingest checks. `ts` is the moment
 * of publishing, in epoch milliseconds.
 */
function startFleet(busIds: string[], origin: { lat: number; lon: number }) {
  const startAt = Date.now()
  const published = new Array<number>(busIds.length).fill(0)
  let counted = { fromMs: Infinity, toMs: -Infinity }
  let sent = 0
  const dueAt = (n: number) =>
    startAt + Math.floor(n / busIds.length) * 1000 + ((n % busIds.length) * 1000) / busIds.length
  const timer = setInterval(() => {
    for (let now = Date.now(); dueAt(sent) <= now; sent++) {
      const busIndex = sent % busIds.length
      const round = Math.floor(sent / busIds.length)
      const ts = Date.now()
      publisher.publish({
        busId: busIds[busIndex]!,
        deliverAtMs: ts,
        kind: 'gps',
        payload: {
          ts,
          lat: origin.lat + (busIndex % 50) * 1e-3 + round * 7.5e-5,
          lon: origin.lon + Math.floor(busIndex / 50) * 1e-3,
          speedKmh: 30,
          headingDeg: 0,
          altM: 5,
          accuracyM: 5,
          ignition: true,
          seq: round,
        },
      })
      if (ts >= counted.fromMs && ts < counted.toMs) published[busIndex]!++
    }
  }, 5)
  return {
    countFrom: (window: { fromMs: number; toMs: number }) => (counted = window),
    publishedInWindow: () => published,
    stop: () => clearInterval(timer),
  }
}

function machineCpuTimes() {
  let busy = 0
  let total = 0
  for (const { times } of os.cpus()) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq
    busy += all - times.idle
    total += all
  }
  return { busy, total }
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
}

/** The ingest session outlives its worker on a real broker; a clean connection under its id ends it. */
async function endIngestSession(mqttUrl: string) {
  const client = await connectBroker({ url: mqttUrl, clientId: `live-bench-ingest-${suffix}`, clean: true })
  await client.endAsync()
}
