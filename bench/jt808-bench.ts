import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createSessions } from '../server/core/auth/sessions.js'
import { systemClock } from '../server/core/clock/clock.js'
import { loadConfig } from '../server/core/config/load-config.js'
import type { Database } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { embeddedDataDir } from '../server/core/store/open-database.js'
import { openPgliteDatabase } from '../server/core/store/pglite-database.js'
import { openPostgresDatabase } from '../server/core/store/postgres-database.js'
import type { Jt808ServerReply, Jt808ServerRequest } from './jt808-bench-server.js'
import type { Jt808TerminalsReply, Jt808TerminalsRequest } from './jt808-bench-terminals.js'
import { concat, createBenchRun } from './bench-run.js'
import { createScratchDatabase } from './scratch-database.js'
import { readCommandLine } from '../server/core/cli/command-line.js'

/**
 * `npm run bench:jt808 [-- --terminals 10000 --rate 1 --seconds 60]`: JT/T 808 terminals against
 * the platform's gateway. The gateway and its ingest run as `npm start` composes them (PARTS=jt808)
 * in a process of their own, on a store of the run's own (embedded, or a scratch database on
 * DATABASE_URL) holding that many buses, each with a terminal number and a credential. The
 * terminals, in one or two client processes, authenticate with their credentials, then each sends a
 * location `rate` times a second (one second of GPS time apart, so every report is distinct) and
 * times the answer, which the gateway sends once the report is stored. Afterwards the store is read
 * back: `lost` counts answered reports that are not there, `duplicated` rows beyond one per report.
 * Prints one JSON line last.
 */
const commandLine = readCommandLine({
  usage: `usage: npm run bench:jt808 [-- --terminals 10000 --rate 1 --seconds 60 --client-processes N]

  --terminals N          JT/T 808 terminals, one bus each (default 10000)
  --rate HZ              locations a second per terminal (default 1)
  --seconds S            how long they report (default 60)
  --client-processes N   processes the terminals run in (default 1, or 2 above 5000 terminals)

The store is a scratch database on DATABASE_URL, or an embedded one of the run's own.`,
  options: {
    terminals: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '60' },
    'client-processes': { type: 'string' },
  },
})
const terminalCount = commandLine.number('terminals', { whole: true, min: 1 })
const rate = commandLine.number('rate', { above: 0 })
const seconds = commandLine.number('seconds', { above: 0 })
const clientProcesses =
  commandLine.values['client-processes'] === undefined
    ? Math.min(2, Math.ceil(terminalCount / 5000))
    : commandLine.number('client-processes', { whole: true, min: 1 })
const READY_TIMEOUT_MS = 600_000
const BUS_PREFIX = 'jt-'
const area = { lat: 30.1, lon: 121.1 }

const config = loadConfig(process.env)
const run = createBenchRun()
const { say, startChild } = run
const suffix = randomBytes(4).toString('hex')

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stp-jt808-bench-'))
run.onCleanup(() => fs.rm(dataDir, { recursive: true, force: true }))
const scratch = config.DATABASE_URL
  ? await createScratchDatabase(config.DATABASE_URL, `stp_jt808_bench_${suffix}`)
  : undefined
if (scratch) run.onCleanup(() => scratch.drop())

say(`registering ${terminalCount} buses with terminal numbers and credentials`)
const buses = Array.from({ length: terminalCount }, (_, i) => ({
  busId: `${BUS_PREFIX}${String(i + 1).padStart(5, '0')}`,
  terminalNumber: `1${String(i + 1).padStart(10, '0')}`,
  authCode: '',
}))
await prepareStore()

say('starting the gateway')
const { DEMO_TIME: _ignored, PARTS: _allParts, ...inherited } = process.env
const server = startChild<Jt808ServerReply, Jt808ServerRequest>('jt808-bench-server.ts', [], {
  ...inherited,
  DEMO: 'off',
  PARTS: 'jt808',
  HOST: '127.0.0.1',
  JT808_PORT: '0',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  ...(scratch ? { DATABASE_URL: scratch.url } : {}),
})
const ready = await server.next('ready', READY_TIMEOUT_MS)
const port = Number(ready.jt808Url.slice(ready.jt808Url.lastIndexOf(':') + 1))

say(`connecting ${terminalCount} terminals from ${clientProcesses} process(es)`)
const share = Math.ceil(terminalCount / clientProcesses)
const clients = Array.from({ length: clientProcesses }, () =>
  startChild<Jt808TerminalsReply, Jt808TerminalsRequest>('jt808-bench-terminals.ts', [], process.env),
)
const connectStarted = performance.now()
const online = await Promise.all(
  clients.map(async (client, p) => {
    await client.next('started')
    client.send({
      kind: 'job',
      host: '127.0.0.1',
      port,
      terminals: buses.slice(p * share, (p + 1) * share),
      rate,
      seconds,
      origin: area,
    })
    return client.next('online', READY_TIMEOUT_MS)
  }),
)
const connected = online.reduce((n, o) => n + o.connected, 0)
say(`${connected} terminals authenticated in ${((performance.now() - connectStarted) / 1000).toFixed(1)} s`)

const startAt = Date.now() + 1000
for (const client of clients) client.send({ kind: 'go', startAt })
say(`sending for ${seconds} s at ${rate} per second per terminal`)
const reports = await Promise.all(
  clients.map((client) => {
    client.expectExit()
    return client.ask({ kind: 'report' }, 'report', seconds * 1000 + 120_000)
  }),
)
const sent = reports.reduce((n, r) => n + r.sent, 0)
const answered = reports.reduce((n, r) => n + r.answered, 0)
const { peakRssMb } = await server.ask({ kind: 'usage' }, 'usage')
const stored = await server.ask({ kind: 'stored', busPrefix: BUS_PREFIX }, 'stored')

const storedKeys = new Set<string>()
for (const [busId, list] of Object.entries(stored.secondsByBus))
  for (const s of list) storedKeys.add(`${busId} ${s}`)
let lost = 0
for (const report of reports) {
  for (const [busId, list] of Object.entries(report.answeredByBus)) {
    for (const s of list) if (!storedKeys.has(`${busId} ${s}`)) lost++
  }
}
const latencies = concat(reports.map((r) => r.latenciesMs)).sort()
const quantile = (q: number) =>
  latencies.length
    ? Number(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1))
    : null

const result = {
  terminals: terminalCount,
  connected,
  framesPerSec: Math.round(answered / seconds),
  stored: storedKeys.size,
  lost,
  duplicated: stored.rows - storedKeys.size,
  p50ReplyMs: quantile(0.5),
  p99ReplyMs: quantile(0.99),
  peakRssMb,
  sent,
  answered,
  clientPeakRssMb: Math.max(...reports.map((r) => r.peakRssMb)),
  database: scratch ? 'postgres' : 'pglite',
}

server.expectExit()
server.send({ kind: 'stop' })
await server.exited
await run.finish()
console.log(JSON.stringify(result))
process.exit(0)

/**
 * The run's store: a town for the service area, the buses with their terminal numbers, and one
 * device credential each (without the broker hash: no broker is involved), written before the
 * gateway starts, so its ingest knows the fleet from the start.
 */
async function prepareStore(): Promise<void> {
  const db: Database = scratch
    ? openPostgresDatabase({ url: scratch.url })
    : await openPgliteDatabase({ dataDir: embeddedDataDir({ DATA_DIR: dataDir }) })
  try {
    await migrateDatabase(db)
    await db.exec(
      `INSERT INTO towns (id, name_zh, name_en, lat, lon) VALUES ('bench', '基准', 'Bench', ${area.lat}, ${area.lon})`,
    )
    await db.query(
      `INSERT INTO buses (id, plate, town_id, kind, seats, operator, terminal_no)
       SELECT id, 'J' || id, 'bench', 'school_bus', 36, 'bench', terminal_no
         FROM unnest($1::text[], $2::text[]) AS b(id, terminal_no)`,
      [buses.map((bus) => bus.busId), buses.map((bus) => bus.terminalNumber)],
    )
    const sessions = createSessions({ db, clock: systemClock })
    for (const bus of buses) {
      const issued = await sessions.issue(
        { kind: 'device', busId: bus.busId },
        { ttlS: 86_400, label: 'bench terminal' },
      )
      bus.authCode = issued.token
    }
  } finally {
    await db.close()
  }
}
