import { randomUUID } from 'node:crypto'
import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAccessTokens } from '../server/core/auth/access-tokens.js'
import { connectBroker } from '../server/core/broker/connect-broker.js'
import { systemClock } from '../server/core/clock/clock.js'
import { createLogger } from '../server/core/log/logger.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { startIngest, type RunningIngest } from '../workers/ingest/start-ingest.js'
import { telemetryBackends, type TestBroker } from './support/broker-backends.js'
import type { TestDatabase } from './support/store-backends.js'
import { testSecret } from './support/test-platform-parts.js'
import { loadTwoSchoolsTwoBuses } from './scenarios/two-schools-two-buses.js'
import { waitUntilStored } from './support/wait-until-stored.js'

const tokens = createAccessTokens({ secret: testSecret, ttlS: 3600, clock: systemClock })
const log = createLogger({ level: 'silent' })

const pairs = telemetryBackends()

describe.each(pairs)('ingest from $name', ({ broker: brokerBackend, store: storeBackend }) => {
  let store: TestDatabase
  let broker: TestBroker
  let ingest: RunningIngest
  let device: MqttClient
  const clientId = `ingest-test-${randomUUID()}`
  const base = Date.now() - 600_000
  const stamp = (second: number) => new Date(base + second * 1000).toISOString()
  const gps = (second: number, patch: Record<string, unknown> = {}) =>
    JSON.stringify({
      ts: stamp(second),
      lat: 30.18 + second * 1e-5,
      lon: 121.39,
      speedKmh: 30,
      seq: second,
      ...patch,
    })

  beforeAll(async () => {
    store = await storeBackend.open()
    await migrateDatabase(store.db)
    await loadTwoSchoolsTwoBuses(store.db)
    broker = await brokerBackend.start(tokens)
    ingest = await startIngest({
      db: store.db,
      mqttUrl: broker.url,
      password: () => broker.passwordFor({ role: 'service', sub: clientId }),
      embeddedBroker: !brokerBackend.sharedSubscriptions,
      clientId,
      shareGroup: `ingest-test-${randomUUID()}`,
      clock: systemClock,
      log,
      tuning: { maxBatchMessages: 200 },
    })
    const terminal = { role: 'device', sub: 'terminal-B1', busId: 'B1' } as const
    device = await connectBroker({
      url: broker.url,
      clientId: broker.clientIdFor(terminal),
      password: await broker.passwordFor(terminal),
    })
  })
  afterAll(async () => {
    await device?.endAsync(true)
    await ingest?.stop()
    // The worker's session outlives it on a real broker; a clean connection under its id ends it.
    const cleanup = await connectBroker({
      url: broker.url,
      clientId,
      password: await broker.passwordFor({ role: 'service', sub: clientId }),
    })
    await cleanup.endAsync()
    await broker?.close()
    await store?.dispose()
  })

  it('stores every good report once, in time order for queries, whatever order it came in', async () => {
    const seconds = Array.from({ length: 300 }, (_, i) => i)
    const shuffled = [...seconds.slice(150), ...seconds.slice(0, 150)]
    const terminal = { alarms: ['sos'], doorsOpen: [1], mileageKm: 8123.4, video: { blockedChannels: [2] } }
    for (const second of shuffled) {
      await device.publishAsync('bus/B1/gps', gps(second, second === 7 ? { terminal } : {}), { qos: 1 })
    }
    for (const second of [3, 4, 5]) await device.publishAsync('bus/B1/gps', gps(second), { qos: 1 })
    await device.publishAsync(
      'bus/B1/limiter',
      JSON.stringify({ ts: stamp(10), limitKmh: 60, state: 'active' }),
      { qos: 1 },
    )
    await waitUntilStored(ingest.worker, 304)

    const rows = await store.db.query<{ seq: number }>(
      `SELECT seq FROM positions WHERE bus_id = 'B1' AND seq IS NOT NULL ORDER BY ts`,
    )
    expect(rows.map((r) => r.seq)).toEqual(seconds)
    const withStatus = await store.db.query<{ seq: number; terminal: unknown }>(
      `SELECT seq, terminal FROM positions WHERE bus_id = 'B1' AND terminal IS NOT NULL`,
    )
    expect(withStatus).toEqual([{ seq: 7, terminal }])
    const limiter = await store.db.query(`SELECT state, limit_kmh FROM limiter_states WHERE bus_id = 'B1'`)
    expect(limiter).toEqual([{ state: 'active', limit_kmh: 60 }])
    expect(ingest.worker.stats()).toMatchObject({
      positionsStored: 300,
      limiterStatesStored: 1,
      duplicates: 3,
    })
  })

  it('puts bad input in the dead-letter table with its reason, once, and keeps going', async () => {
    const before = ingest.worker.stats().received
    const bad: [string, string][] = [
      ['bus/B1/gps', '{"ts": "2026-03-02T07:15:02+08:00", "lat": 30.1'],
      ['bus/B1/gps', gps(400, { lat: 121.39, lon: 30.18 })],
      ['bus/B1/gps', gps(401, { lat: 0, lon: 0 })],
      ['bus/B1/gps', gps(402, { ts: new Date(Date.now() + 3600_000).toISOString() })],
      ['bus/B1/gps', gps(403, { busId: 'B2' })],
      ['bus/B1/gps', gps(404, { lat: 30.3 })],
      ['bus/B1/limiter', JSON.stringify({ ts: stamp(405), state: 'off' })],
    ]
    for (const [topic, payload] of bad) await device.publishAsync(topic, payload, { qos: 1 })
    await device.publishAsync(bad[0]![0], bad[0]![1], { qos: 1 })
    await device.publishAsync('bus/B1/gps', gps(406), { qos: 1 })
    await waitUntilStored(ingest.worker, before + bad.length + 2)

    const dead = await store.db.query<{ reason: string; topic: string }>(
      `SELECT reason, topic FROM dead_letters ORDER BY id`,
    )
    expect(dead.map((d) => d.reason)).toEqual([
      'malformed_json',
      'swapped_lat_lon',
      'null_island',
      'future_timestamp',
      'topic_mismatch',
      'impossible_jump',
      'wrong_type',
    ])
    const [raw] = await store.db.query<{ payload: Buffer }>(
      `SELECT payload FROM dead_letters ORDER BY id LIMIT 1`,
    )
    expect(Buffer.from(raw!.payload).toString()).toBe(bad[0]![1])
    expect(ingest.worker.stats().deadLetters).toMatchObject({
      malformed_json: 2,
      impossible_jump: 1,
      wrong_type: 1,
    })
    const [last] = await store.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM positions WHERE seq = 406`,
    )
    expect(last?.n).toBe(1)
  })
})
