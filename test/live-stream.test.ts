import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PositionRow } from '../server/core/broker/telemetry-rows.js'
import type { Clock } from '../server/core/clock/clock.js'
import { createLogger } from '../server/core/log/logger.js'
import type { Database } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { createBusLiveFeed } from '../server/live/bus-live-feed.js'
import { openBusLiveState } from '../server/live/bus-live-state.js'
import { startLiveStream, type LiveStream } from '../server/live/start-live-stream.js'
import { writeTelemetryBatch } from '../workers/ingest/write-telemetry-batch.js'
import { loadTwoSchoolsTwoBuses } from './scenarios/two-schools-two-buses.js'
import { storeBackends, type TestDatabase } from './support/store-backends.js'

const log = createLogger({ level: 'silent' })
const start = new Date('2026-03-02T07:10:00+08:00')
const clock: Clock = { now: () => start }
const buses = ['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8']

const fix = (busId: string, second: number): PositionRow => ({
  busId,
  ts: new Date(start.getTime() + second * 1000),
  lat: 30.3,
  lon: 121.3 + second * 1e-4,
  speedKmh: 30,
  headingDeg: 90,
  altM: null,
  accuracyM: 5,
  ignition: true,
  seq: second,
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function waitUntil(done: () => boolean, what: string, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await sleep(20)
  }
}

describe.each(storeBackends())('the live feed from the report stream on $name', (backend) => {
  let store: TestDatabase
  const streams: LiveStream[] = []
  /** What the browsers got: each bus's positions, with the process that sent them. */
  const sent: { process: string; busId: string; ts: string }[] = []

  const startProcess = async (name: string, db: Database) => {
    const state = await openBusLiveState<unknown>({ log })
    const feed = createBusLiveFeed({
      live: {
        publishToBusWatchers: (busId, _event, payload) =>
          sent.push({ process: name, busId, ts: (payload as { ts: string }).ts }),
      },
      state,
      log,
    })
    const stream = startLiveStream({
      db,
      feed,
      clock,
      log,
      member: name,
      stream: { leaseTtlMs: 1000, heartbeatMs: 150, pollMs: 20 },
    })
    streams.push(stream)
    return stream
  }

  beforeAll(async () => {
    store = await backend.open()
    await migrateDatabase(store.db)
    await loadTwoSchoolsTwoBuses(store.db)
    await store.db.exec(`INSERT INTO buses (id, plate, town_id, kind, seats, operator)
      SELECT id, 'plate-' || id, 'longshan', 'school_bus', 36, 'Test operator'
      FROM unnest(ARRAY['B3', 'B4', 'B5', 'B6', 'B7', 'B8']) AS id`)
  })
  afterAll(async () => {
    await Promise.all(streams.map((stream) => stream.stop()))
    await store?.dispose()
  })

  it('publishes each bus from one process, and from the other once it stops', async () => {
    const connection = async () => (backend.shared ? store.reopen() : store.db)
    const one = await startProcess('one', await connection())
    await waitUntil(() => one.held().length === 16, 'the first process holds every partition')
    const two = await startProcess('two', await connection())
    await waitUntil(() => one.held().length === 8 && two.held().length === 8, 'each process holds 8')

    const write = async (second: number) => {
      await store.db.transaction((tx) =>
        writeTelemetryBatch(
          tx,
          { positions: buses.map((busId) => fix(busId, second)), limiterStates: [], deadLetters: [] },
          start,
        ),
      )
      one.wake()
      two.wake()
    }
    const newest = (busId: string) => sent.filter((s) => s.busId === busId).at(-1)?.ts
    for (let second = 0; second < 5; second++) await write(second)
    const last = fix('B1', 4).ts.toISOString()
    await waitUntil(() => buses.every((busId) => newest(busId) === last), 'every bus is sent')
    const publisherOf = new Map<string, string>()
    for (const { process, busId } of sent) {
      expect(publisherOf.get(busId) ?? process).toBe(process)
      publisherOf.set(busId, process)
    }
    expect(new Set(publisherOf.values())).toEqual(new Set(['one', 'two']))

    await one.stop()
    await waitUntil(() => two.held().length === 16, 'the other process holds every partition')
    const before = sent.length
    for (let second = 5; second < 8; second++) await write(second)
    const later = fix('B1', 7).ts.toISOString()
    await waitUntil(() => buses.every((busId) => newest(busId) === later), 'every bus is sent again')
    expect(sent.slice(before).every((s) => s.process === 'two')).toBe(true)
    // No bus went back to an older position.
    for (const busId of buses) {
      const times = sent.filter((s) => s.busId === busId).map((s) => s.ts)
      expect(times).toEqual([...times].sort())
    }
  })
})
