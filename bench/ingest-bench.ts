import { fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { createAccessTokens } from '../server/core/auth/access-tokens.js'
import { startEmbeddedBroker } from '../server/core/broker/embedded-broker.js'
import { systemClock } from '../server/core/clock/clock.js'
import { loadConfig } from '../server/core/config/load-config.js'
import { createLogger } from '../server/core/log/logger.js'
import { encodeCopyText } from '../server/core/store/copy-text.js'
import type { Database } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { startIngest } from '../workers/ingest/start-ingest.js'
import { openBenchDatabase } from './open-bench-database.js'
import { readCommandLine } from '../server/core/cli/command-line.js'

/**
 * `npm run bench:ingest [-- --seconds 60 --rate 20000 --buses 2000]`: a sustained stream of GPS
 * reports from many buses through the broker (MQTT_URL, or the embedded one) into the store
 * (DATABASE_URL, or the embedded one), then the same rows by plain COPY for the ceiling. Prints one
 * JSON line last. On a server it works in a database of its own, dropped afterwards.
 */
const commandLine = readCommandLine({
  usage: `usage: npm run bench:ingest [-- --seconds 60 --rate 20000 --buses 2000 --publishers 2 --connections 4]

  --seconds S        how long the buses report (default 60)
  --rate N           reports a second from all buses together (default 20000)
  --buses N          buses reporting (default 2000)
  --publishers N     publishing processes' share of the buses (default 2)
  --connections N    MQTT connections per publisher (default 4)

The broker is MQTT_URL, or the embedded one; the store DATABASE_URL, or the embedded one.`,
  options: {
    seconds: { type: 'string', default: '60' },
    rate: { type: 'string', default: '20000' },
    buses: { type: 'string', default: '2000' },
    publishers: { type: 'string', default: '2' },
    connections: { type: 'string', default: '4' },
  },
})
const seconds = commandLine.number('seconds', { above: 0 })
const rate = commandLine.number('rate', { above: 0 })
const busCount = commandLine.number('buses', { whole: true, min: 1 })
const publishers = commandLine.number('publishers', { whole: true, min: 1 })
const connections = commandLine.number('connections', { whole: true, min: 1 })
const config = loadConfig(process.env)
const log = createLogger({ level: 'warn' })
const say = (line: string) => process.stderr.write(line + '\n')
const area = { lat: 30.1, lon: 121.1 }
const tokens = createAccessTokens({
  secret: randomBytes(32).toString('hex'),
  ttlS: 86400,
  clock: systemClock,
})
const cleanups: (() => Promise<unknown>)[] = []
const suffix = randomBytes(4).toString('hex')

const bench = await openBenchDatabase(config.DATABASE_URL, `stp_bench_${suffix}`)
cleanups.push(() => bench.dispose())
const { db } = bench
await migrateDatabase(db)
const busIds = Array.from({ length: busCount }, (_, i) => `bench-${String(i + 1).padStart(5, '0')}`)
await db.exec(
  `INSERT INTO towns (id, name_zh, name_en, lat, lon) VALUES ('bench', '基准', 'Bench', ${area.lat}, ${area.lon})`,
)
await db.query(
  `INSERT INTO buses (id, plate, town_id, kind, seats, operator)
   SELECT id, 'B' || id, 'bench', 'school_bus', 36, 'bench' FROM unnest($1::text[]) AS id`,
  [busIds],
)

let mqttUrl = config.MQTT_URL
if (!mqttUrl) {
  const broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, tokens, log })
  cleanups.push(() => broker.close())
  mqttUrl = broker.url
}
const embeddedBroker = !config.MQTT_URL

const latencies = new Float64Array(Math.ceil(rate * seconds) + 1)
let committed = 0
let lastCommitAt = 0
const ingest = await startIngest({
  db,
  mqttUrl,
  password: embeddedBroker
    ? () => tokens.issue({ role: 'service', sub: `bench-ingest-${suffix}` })
    : undefined,
  embeddedBroker,
  clientId: `bench-ingest-${suffix}`,
  shareGroup: `bench-${suffix}`,
  clock: systemClock,
  log,
  onCommitted: ({ positions }) => {
    const now = Date.now()
    for (const p of positions) if (committed < latencies.length) latencies[committed++] = now - p.ts.getTime()
    lastCommitAt = now
  },
})

say(
  `bench: ${rate} reports/s from ${busCount} buses for ${seconds} s through ${embeddedBroker ? 'embedded aedes' : 'MQTT_URL'} into ${db.kind}`,
)
const startAt = Date.now() + 2000
const share = Math.ceil(busCount / publishers)
const results = await Promise.all(
  Array.from({ length: publishers }, async (_, p) => {
    const mine = busIds.slice(p * share, (p + 1) * share)
    // The embedded broker binds a service token to the client id named by its `sub`.
    const clientIds = Array.from({ length: connections }, (_, i) => `bench-pub-${suffix}-${p}-${i}`)
    const passwords = embeddedBroker
      ? await Promise.all(clientIds.map((sub) => tokens.issue({ role: 'service', sub })))
      : []
    const job = {
      mqttUrl,
      clientIds,
      passwords,
      busIds: mine,
      ratePerSec: (rate * mine.length) / busCount,
      seconds,
      startAt,
      connections,
      protocolVersion: embeddedBroker ? 4 : 5,
      area,
    }
    const child = fork(path.join(import.meta.dirname, 'ingest-load-publisher.ts'), [JSON.stringify(job)], {
      execArgv: ['--import', 'tsx'],
    })
    return new Promise<{ acked: number; failed: number }>((resolve, reject) => {
      child.once('message', (m) => resolve(m as { acked: number; failed: number }))
      child.once('exit', (code) => code !== 0 && reject(new Error(`publisher ${p} exited with ${code}`)))
    })
  }),
)
const published = results.reduce((n, r) => n + r.acked, 0)
say(`bench: publishers done, ${published} acknowledged by the broker; waiting for the worker to store them`)

let lastSeen = -1
let quietSince = Date.now()
while (committed < published && Date.now() - quietSince < 15_000) {
  await new Promise((resolve) => setTimeout(resolve, 200))
  if (committed !== lastSeen) {
    lastSeen = committed
    quietSince = Date.now()
  }
}
const stats = ingest.worker.stats()
await ingest.stop()

const [stored] = await db.query<{ rows: number; distinct: number }>(
  `SELECT count(*)::int AS rows, count(DISTINCT (bus_id, ts))::int AS distinct FROM positions WHERE bus_id LIKE 'bench-%'`,
)
const sorted = latencies.subarray(0, committed).sort()
const quantile = (q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : null
const copyRowsPerSec = await measureCopyCeiling(db)

const msgsPerSec = Math.round(stored!.distinct / ((lastCommitAt - startAt) / 1000))
const result = {
  seconds,
  targetRate: rate,
  buses: busCount,
  broker: embeddedBroker ? 'aedes' : 'mqtt',
  database: db.kind,
  published,
  publishFailed: results.reduce((n, r) => n + r.failed, 0),
  stored: stored!.distinct,
  msgsPerSec,
  p50CommitMs: quantile(0.5),
  p99CommitMs: quantile(0.99),
  lost: published - stored!.distinct,
  duplicated: stored!.rows - stored!.distinct,
  redeliveriesIgnored: stats.duplicates,
  deadLetters: Object.values(stats.deadLetters).reduce((a, b) => a + b, 0),
  batches: stats.batches,
  copyRowsPerSec,
  ratio: Number((msgsPerSec / copyRowsPerSec).toFixed(3)),
}
for (const cleanup of cleanups.reverse()) await cleanup()
console.log(JSON.stringify(result))
process.exit(0)

/** The same rows again, straight into the same table by COPY with nothing in front: the ceiling. */
async function measureCopyCeiling(target: Database): Promise<number> {
  const rows = await target.query<{ bus_id: string; ts: Date; lat: number; lon: number; seq: number }>(
    `SELECT bus_id, ts, lat, lon, seq FROM positions WHERE bus_id LIKE 'bench-%' ORDER BY ts`,
  )
  await target.exec(`DELETE FROM positions WHERE bus_id LIKE 'bench-%'`)
  const receivedAt = new Date()
  const chunks: string[] = []
  for (let i = 0; i < rows.length; i += 20_000) {
    chunks.push(
      encodeCopyText(
        rows.slice(i, i + 20_000).map((r) => [r.bus_id, r.ts, r.lat, r.lon, 30, 90, r.seq, receivedAt]),
      ),
    )
  }
  const started = performance.now()
  for (const chunk of chunks) {
    await target.copyFrom(
      'COPY positions (bus_id, ts, lat, lon, speed_kmh, heading_deg, seq, received_at) FROM STDIN',
      chunk,
    )
  }
  return Math.round(rows.length / ((performance.now() - started) / 1000))
}
