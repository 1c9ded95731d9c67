import { randomBytes } from 'node:crypto'
import type { MqttClient } from 'mqtt'
import { createAccessTokens } from '../server/core/auth/access-tokens.js'
import { terminalClientId } from '../server/core/broker/broker-client-ids.js'
import { connectBroker } from '../server/core/broker/connect-broker.js'
import { startEmbeddedBroker } from '../server/core/broker/embedded-broker.js'
import { systemClock } from '../server/core/clock/clock.js'
import { loadConfig } from '../server/core/config/load-config.js'
import { createLogger } from '../server/core/log/logger.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { startIngest } from '../workers/ingest/start-ingest.js'
import { openBenchDatabase } from './open-bench-database.js'
import { readCommandLine } from '../server/core/cli/command-line.js'

/**
 * `npm run bench:poison [-- --seconds 30 --buses 36 --hz 1]`: healthy buses report through the
 * broker (MQTT_URL, or the embedded one) into the store (DATABASE_URL, or the embedded one) while
 * one device publishes a poisoned report every second, rotating through what once stopped all
 * telemetry. Prints one JSON line last: what the healthy buses sent and what was stored, lost or
 * stored twice, what the poisoned device sent and what was dead-lettered, the worst delay from a
 * report's time to its commit, and whether the worker stayed healthy (never retrying) throughout.
 */
const commandLine = readCommandLine({
  usage: `usage: npm run bench:poison [-- --seconds 30 --buses 36 --hz 1]

  --seconds S   how long the buses report (default 30)
  --buses N     healthy buses reporting (default 36)
  --hz HZ       reports a second per healthy bus (default 1)

The broker is MQTT_URL, or the embedded one; the store DATABASE_URL, or the embedded one.`,
  options: {
    seconds: { type: 'string', default: '30' },
    buses: { type: 'string', default: '36' },
    hz: { type: 'string', default: '1' },
  },
})
const seconds = commandLine.number('seconds', { above: 0 })
const busCount = commandLine.number('buses', { whole: true, min: 1 })
const hz = commandLine.number('hz', { above: 0 })
const config = loadConfig(process.env)
const log = createLogger({ level: 'error' })
const say = (line: string) => process.stderr.write(line + '\n')
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const suffix = randomBytes(4).toString('hex')
const tokens = createAccessTokens({
  secret: randomBytes(32).toString('hex'),
  ttlS: 86400,
  clock: systemClock,
})
const cleanups: (() => Promise<unknown>)[] = []

const area = { lat: 30.1, lon: 121.1 }
const healthyIds = Array.from({ length: busCount }, (_, i) => `bench-${String(i + 1).padStart(3, '0')}`)
const poisonId = 'bench-poison'

/** Each once stopped every bus's telemetry: the batch holding it failed and was retried for ever. */
const poisons: { name: string; payload(ts: number): Buffer }[] = [
  // seq tells one from the next, which would otherwise be the same dead letter.
  { name: 'unrepresentable time', payload: (ts) => report({ ts: 8640000000000001, seq: ts }) },
  // A raw NUL where a value belongs: JSON.parse quotes it in its message, the dead letter's detail.
  { name: 'NUL in a field', payload: (ts) => Buffer.from(`{"ts":${ts},"lat":\u0000}`) },
  { name: 'NUL in busId', payload: (ts) => report({ ts, busId: `${poisonId}\u0000` }) },
  {
    name: 'invalid UTF-8',
    payload: (ts) =>
      Buffer.concat([
        report({ ts }).subarray(0, -1),
        Buffer.from([0x2c, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]),
      ]),
  },
  // Under the brokers' 64 KiB packet limit, so that it reaches the ingest.
  { name: 'oversized payload', payload: (ts) => report({ ts, note: 'x'.repeat(50_000) }) },
  { name: 'accuracy beyond a real', payload: (ts) => report({ ts, accuracyM: 1e39 }) },
]

function report(patch: Record<string, unknown>): Buffer {
  return Buffer.from(JSON.stringify({ lat: area.lat, lon: area.lon, speedKmh: 30, ...patch }))
}

const store = await openBenchDatabase(config.DATABASE_URL, `stp_poison_${suffix}`)
cleanups.push(() => store.dispose())
const { db } = store
await migrateDatabase(db)
await db.exec(
  `INSERT INTO towns (id, name_zh, name_en, lat, lon) VALUES ('bench', '基准', 'Bench', ${area.lat}, ${area.lon})`,
)
await db.query(
  `INSERT INTO buses (id, plate, town_id, kind, seats, operator)
   SELECT id, 'B' || id, 'bench', 'school_bus', 36, 'bench' FROM unnest($1::text[]) AS id`,
  [[...healthyIds, poisonId]],
)

const embeddedBroker = !config.MQTT_URL
let mqttUrl = config.MQTT_URL
if (!mqttUrl) {
  const broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, tokens, log })
  cleanups.push(() => broker.close())
  mqttUrl = broker.url
}

let maxLagMs = 0
let healthyCommitted = 0
const ingestClientId = `bench-poison-ingest-${suffix}`
const ingest = await startIngest({
  db,
  mqttUrl,
  password: embeddedBroker ? await tokens.issue({ role: 'service', sub: ingestClientId }) : undefined,
  embeddedBroker,
  clientId: ingestClientId,
  shareGroup: `bench-poison-${suffix}`,
  clock: systemClock,
  log,
  onCommitted: ({ positions }) => {
    const now = Date.now()
    for (const p of positions) {
      if (p.busId === poisonId) continue
      healthyCommitted++
      maxLagMs = Math.max(maxLagMs, now - p.ts.getTime())
    }
  },
})

/** A terminal's own connection: on the embedded broker, with its bus's token and client id. */
async function connectTerminal(busId: string): Promise<MqttClient> {
  return connectBroker({
    url: mqttUrl!,
    clientId: embeddedBroker ? terminalClientId(busId) : `bench-${suffix}-${busId}`,
    password: embeddedBroker
      ? await tokens.issue({ role: 'device', sub: terminalClientId(busId), busId })
      : undefined,
  })
}
const terminals = await Promise.all(healthyIds.map(connectTerminal))
const poisoner = await connectTerminal(poisonId)
cleanups.push(() => Promise.all([...terminals, poisoner].map((t) => t.endAsync())))

say(
  `bench: ${busCount} buses at ${hz} Hz and one poisoned report a second for ${seconds} s through ${embeddedBroker ? 'embedded aedes' : 'MQTT_URL'} into ${db.kind}`,
)
let healthySent = 0
let healthyFailed = 0
let poisonsPublished = 0
/** Acknowledged by the broker. */
let poisonedSent = 0
let retryingSeen = false
const watch = setInterval(() => (retryingSeen ||= ingest.worker.stats().retrying), 100)
const startAt = Date.now()
const publishes: Promise<unknown>[] = []
const ticksPerSecond = Math.max(1, Math.round(hz))
for (let tick = 0; tick < seconds * hz; tick++) {
  await sleep(Math.max(0, startAt + (tick * 1000) / hz - Date.now()))
  const ts = Date.now()
  terminals.forEach((terminal, b) => {
    const payload = JSON.stringify({
      ts,
      lat: area.lat + b * 1e-3 + tick * 1e-6,
      lon: area.lon,
      speedKmh: 30,
      seq: tick,
    })
    publishes.push(
      terminal.publishAsync(`bus/${healthyIds[b]}/gps`, payload, { qos: 1 }).then(
        () => healthySent++,
        () => healthyFailed++,
      ),
    )
  })
  if (tick % ticksPerSecond === 0) {
    const poison = poisons[poisonsPublished % poisons.length]!
    publishes.push(
      poisoner.publishAsync(`bus/${poisonId}/gps`, poison.payload(ts), { qos: 1 }).then(() => poisonedSent++),
    )
    poisonsPublished++
  }
}
await Promise.allSettled(publishes)
say(`bench: ${healthySent} healthy reports acknowledged by the broker; waiting for the worker to store them`)

let lastSeen = -1
let quietSince = Date.now()
while (healthyCommitted < healthySent && Date.now() - quietSince < 15_000) {
  await sleep(200)
  if (healthyCommitted !== lastSeen) {
    lastSeen = healthyCommitted
    quietSince = Date.now()
  }
}
await sleep(1000)
clearInterval(watch)
const stats = ingest.worker.stats()
await ingest.stop()

const [stored] = await db.query<{ rows: number; distinct: number }>(
  `SELECT count(*)::int AS rows, count(DISTINCT (bus_id, ts))::int AS distinct
   FROM positions WHERE bus_id <> $1`,
  [poisonId],
)
const deadByReason = Object.fromEntries(
  (
    await db.query<{ reason: string; n: number }>(
      `SELECT reason, count(*)::int AS n FROM dead_letters WHERE topic LIKE $1 GROUP BY 1 ORDER BY 1`,
      [`bus/${poisonId}/%`],
    )
  ).map((row) => [row.reason, row.n]),
)
const result = {
  seconds,
  buses: busCount,
  hz,
  broker: embeddedBroker ? 'aedes' : 'mqtt',
  database: db.kind,
  healthySent,
  healthyPublishFailed: healthyFailed,
  healthyStored: stored!.distinct,
  lost: healthySent - stored!.distinct,
  duplicated: stored!.rows - stored!.distinct,
  poisonedSent,
  deadLettered: Object.values(deadByReason).reduce((a, b) => a + b, 0),
  deadLettersByReason: deadByReason,
  unstorable: stats.unstorable,
  failedWrites: stats.failedWrites,
  maxIngestLagMs: maxLagMs,
  healthyThroughout: !retryingSeen,
}
for (const cleanup of cleanups.reverse()) await cleanup()
console.log(JSON.stringify(result))
process.exit(0)
