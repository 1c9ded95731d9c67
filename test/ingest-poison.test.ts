import { randomUUID } from 'node:crypto'
import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAccessTokens } from '../server/core/auth/access-tokens.js'
import { terminalClientId } from '../server/core/broker/broker-client-ids.js'
import { connectBroker } from '../server/core/broker/connect-broker.js'
import { systemClock } from '../server/core/clock/clock.js'
import { createLogger } from '../server/core/log/logger.js'
import type { Database, Row } from '../server/core/store/database.js'
import { expireDeadLetters } from '../server/core/store/expire-dead-letters.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { openPostgresDatabase } from '../server/core/store/postgres-database.js'
import { startIngest, type RunningIngest } from '../workers/ingest/start-ingest.js'
import { telemetryBackends, type BrokerBackend, type TestBroker } from './support/broker-backends.js'
import type { StoreBackend, TestDatabase } from './support/store-backends.js'
import { startTcpProxy } from './support/tcp-proxy.js'
import { testSecret } from './support/test-platform-parts.js'
import { loadTwoSchoolsTwoBuses } from './scenarios/two-schools-two-buses.js'
import { waitUntilStored } from './support/wait-until-stored.js'

const tokens = createAccessTokens({ secret: testSecret, ttlS: 3600, clock: systemClock })
const log = createLogger({ level: 'silent' })

const pairs = telemetryBackends()

const base = Date.now() - 600_000
const gps = (seq: number, patch: Record<string, unknown> = {}) =>
  JSON.stringify({ ts: base + seq * 1000, lat: 30.18 + seq * 1e-5, lon: 121.39, speedKmh: 30, seq, ...patch })

async function startWorker(options: {
  db: Database
  broker: TestBroker
  brokerBackend: BrokerBackend
  clientId: string
  stopTimeoutMs?: number
}): Promise<RunningIngest> {
  return startIngest({
    db: options.db,
    mqttUrl: options.broker.url,
    password: await options.broker.passwordFor({ role: 'service', sub: options.clientId }),
    embeddedBroker: !options.brokerBackend.sharedSubscriptions,
    clientId: options.clientId,
    shareGroup: `poison-${options.clientId}`,
    clock: systemClock,
    log,
    tuning: { maxBatchMessages: 500, retryMaxMs: 200, stopTimeoutMs: options.stopTimeoutMs },
  })
}

async function connectDevice(broker: TestBroker): Promise<MqttClient> {
  return connectBroker({
    url: broker.url,
    clientId: terminalClientId('B1'),
    password: await broker.passwordFor({ role: 'device', sub: 'terminal-B1', busId: 'B1' }),
  })
}

/** The worker's session outlives it on a real broker; a clean connection under its id ends it. */
async function endSession(broker: TestBroker, clientId: string) {
  const cleanup = await connectBroker({
    url: broker.url,
    clientId,
    password: await broker.passwordFor({ role: 'service', sub: clientId }),
  })
  await cleanup.endAsync()
}

const storedSeqs = async (db: Database) =>
  (
    await db.query<{ seq: number }>(
      `SELECT seq FROM positions WHERE bus_id = 'B1' AND seq IS NOT NULL ORDER BY seq`,
    )
  ).map((r) => r.seq)

describe.each(pairs)('poisoned telemetry from $name', ({ broker: brokerBackend, store: storeBackend }) => {
  let store: TestDatabase
  let broker: TestBroker
  let ingest: RunningIngest
  let device: MqttClient
  const clientId = `ingest-poison-${randomUUID().slice(0, 8)}`
  const oversized = gps(90, { note: 'x'.repeat(50_000) })

  beforeAll(async () => {
    store = await storeBackend.open()
    await migrateDatabase(store.db)
    await loadTwoSchoolsTwoBuses(store.db)
    // Stands for whatever a store may refuse that validation did not foresee.
    await store.db.exec(
      `ALTER TABLE positions ADD CONSTRAINT positions_refuse_666 CHECK (seq IS DISTINCT FROM 666)`,
    )
    broker = await brokerBackend.start(tokens)
    ingest = await startWorker({ db: store.db, broker, brokerBackend, clientId })
    device = await connectDevice(broker)
  })
  afterAll(async () => {
    await device?.endAsync(true)
    await ingest?.stop()
    if (broker) await endSession(broker, clientId)
    await broker?.close()
    await store?.dispose()
  })

  it('dead-letters each poisoned report with its reason, stores the reports around them and keeps storing', async () => {
    const poisoned: [string, string | Buffer, string][] = [
      ['bus/B1/gps', gps(20, { ts: 8640000000000001 }), 'out_of_range'],
      ['bus/B1/gps', gps(21, { busId: 'B1\u0000' }), 'topic_mismatch'],
      ['bus/B1/gps', '\u0000', 'malformed_json'],
      [
        'bus/B1/gps',
        Buffer.concat([
          Buffer.from(gps(22).slice(0, -1) + ',"note":"'),
          Buffer.from([0xc3, 0x28]),
          Buffer.from('"}'),
        ]),
        'malformed_json',
      ],
      ['bus/B1/gps', gps(23, { accuracyM: 1e39 }), 'out_of_range'],
      ['bus/B1/gps', oversized, 'oversized_payload'],
      ['bus/B1/gps', gps(666), 'store_refused'],
    ]
    const good = Array.from({ length: 20 }, (_, i) => i)
    // Published together, so that good and poisoned reports share batches.
    await Promise.all([
      ...good.slice(0, 10).map((seq) => device.publishAsync('bus/B1/gps', gps(seq), { qos: 1 })),
      ...poisoned.map(([topic, payload]) => device.publishAsync(topic, payload, { qos: 1 })),
      ...good.slice(10).map((seq) => device.publishAsync('bus/B1/gps', gps(seq), { qos: 1 })),
    ])
    await waitUntilStored(ingest.worker, good.length + poisoned.length)

    expect(await storedSeqs(store.db)).toEqual(good)
    const dead = await store.db.query<{ reason: string }>(`SELECT reason FROM dead_letters`)
    expect(dead.map((d) => d.reason).sort()).toEqual(poisoned.map(([, , reason]) => reason).sort())
    expect(ingest.worker.stats()).toMatchObject({ retrying: false, unstorable: 0 })

    await device.publishAsync('bus/B1/gps', gps(30), { qos: 1 })
    await expect.poll(() => storedSeqs(store.db), { timeout: 10_000 }).toContain(30)
  })

  it('keeps a capped excerpt of a huge payload, and deletes dead letters past their retention', async () => {
    const [capped] = await store.db.query<{ excerpt: number; size: number } & Row>(
      `SELECT octet_length(payload) AS excerpt, payload_bytes AS size FROM dead_letters WHERE reason = 'oversized_payload'`,
    )
    expect(capped).toEqual({ excerpt: 1024, size: Buffer.byteLength(oversized) })

    const now = new Date()
    await store.db.query(
      `INSERT INTO dead_letters (received_at, topic, payload, payload_bytes, reason, detail, message_key)
       VALUES ($1, 'bus/B1/gps', '\\x7b7d', 2, 'malformed_json', 'old', '\\x00')`,
      [new Date(now.getTime() - 31 * 86_400_000)],
    )
    const before = await store.db.query(`SELECT 1 FROM dead_letters`)
    expect(await expireDeadLetters(store.db, now, 30)).toBe(1)
    const after = await store.db.query<{ detail: string }>(`SELECT detail FROM dead_letters`)
    expect(after).toHaveLength(before.length - 1)
    expect(after.map((d) => d.detail)).not.toContain('old')
  })
})

/** The worker's own way to its store, which the test can take away and give back. */
interface InterruptibleStore {
  db: Database
  cut(): Promise<void>
  restore(): Promise<void>
}

/** On a server the connection is really cut; the in-process store is wrapped to fail as one would. */
async function interruptible(store: TestDatabase): Promise<InterruptibleStore & { close(): Promise<void> }> {
  if (store.url) {
    const target = new URL(store.url)
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) })
    target.port = String(proxy.port)
    const db = openPostgresDatabase({ url: target.toString(), maxConnections: 2 })
    return {
      db,
      cut: () => proxy.cut(),
      restore: () => proxy.restore(),
      close: async () => {
        await db.close()
        await proxy.close()
      },
    }
  }
  let down = false
  const guard = <T>(work: () => Promise<T>): Promise<T> =>
    down ? Promise.reject(Object.assign(new Error('the store is unreachable'), { code: '08006' })) : work()
  const inner = store.db
  return {
    db: {
      kind: inner.kind,
      query: <R extends Row = Row>(sql: string, params?: readonly unknown[]) =>
        guard(() => inner.query<R>(sql, params)),
      exec: (sql) => guard(() => inner.exec(sql)),
      copyFrom: (sql, text) => guard(() => inner.copyFrom(sql, text)),
      transaction: (work) => guard(() => inner.transaction(work)),
      close: async () => {},
    },
    cut: async () => void (down = true),
    restore: async () => void (down = false),
    close: async () => {},
  }
}

describe.each(pairs)(
  'stopping the ingest from $name while the store is down',
  ({ broker: brokerBackend, store: storeBackend }) => {
    const cleanups: (() => Promise<unknown>)[] = []
    afterAll(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {})
    })

    it('returns, and leaves what it had not stored to the broker, which sends it to the next worker', async () => {
      const store = await (storeBackend as StoreBackend).open()
      cleanups.push(() => store.dispose())
      await migrateDatabase(store.db)
      await loadTwoSchoolsTwoBuses(store.db)
      const broker = await brokerBackend.start(tokens)
      cleanups.push(() => broker.close())
      const clientId = `ingest-stop-${randomUUID().slice(0, 8)}`
      cleanups.push(() => endSession(broker, clientId))
      const link = await interruptible(store)
      cleanups.push(() => link.close())

      const first = await startWorker({ db: link.db, broker, brokerBackend, clientId, stopTimeoutMs: 1000 })
      const device = await connectDevice(broker)
      cleanups.push(() => device.endAsync(true))
      await link.cut()
      for (const seq of [1, 2, 3]) await device.publishAsync('bus/B1/gps', gps(seq), { qos: 1 })
      await expect.poll(() => first.worker.stats().retrying, { timeout: 15_000 }).toBe(true)
      await first.stop()

      await link.restore()
      const second = await startWorker({ db: link.db, broker, brokerBackend, clientId })
      cleanups.push(() => second.stop())
      await expect.poll(() => storedSeqs(store.db), { timeout: 15_000 }).toEqual([1, 2, 3])
    }, 60_000)
  },
)
