import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LimiterRow, PositionRow } from '../server/core/broker/telemetry-rows.js'
import type { Clock } from '../server/core/clock/clock.js'
import { createLogger } from '../server/core/log/logger.js'
import type { Database } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { reportStream } from '../server/core/store/migrations/004-report-stream.js'
import { migrations } from '../server/core/store/migrations/index.js'
import { busPartitionSql } from '../server/core/stream/bus-partition.js'
import { readCommittedReports } from '../server/core/stream/read-committed-reports.js'
import { startReportStream, type ReportStream } from '../server/core/stream/report-stream.js'
import { parseCheckpoint } from '../server/core/stream/stream-checkpoint.js'
import { writeTelemetryBatch } from '../workers/ingest/write-telemetry-batch.js'
import { loadTwoSchoolsTwoBuses } from './scenarios/two-schools-two-buses.js'
import { killableDatabase } from './support/killable-database.js'
import { storeBackends, type TestDatabase } from './support/store-backends.js'

const log = createLogger({ level: 'silent' })
const start = new Date('2026-03-02T07:10:00+08:00')
const clock: Clock = { now: () => start }
const buses = ['B1', 'B2', 'B3', 'B4', 'B5', 'B6']

const fix = (busId: string, second: number): PositionRow => ({
  busId,
  ts: new Date(start.getTime() + second * 1000),
  lat: 30.3,
  lon: 121.3 + second * 1e-4,
  speedKmh: 40,
  headingDeg: 90,
  altM: null,
  accuracyM: 5,
  ignition: true,
  seq: second,
})

const limiter = (busId: string, second: number): LimiterRow => ({
  busId,
  ts: new Date(start.getTime() + second * 1000),
  limitKmh: 60,
  state: second % 2 === 0 ? 'active' : 'disabled',
})

const write = (db: Database, positions: PositionRow[], limiterStates: LimiterRow[] = []) =>
  db.transaction((tx) => writeTelemetryBatch(tx, { positions, limiterStates, deadLetters: [] }, start))

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function waitUntil(done: () => boolean | Promise<boolean>, what: string, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await sleep(20)
  }
}

/** What a consumer saw: every report with the partition it came in, in delivery order. */
function collector() {
  const seen: { partition: number; key: string; busId: string; ms: number }[] = []
  return {
    seen,
    handle: async (partition: number, batch: { positions: PositionRow[]; limiterStates: LimiterRow[] }) => {
      for (const p of batch.positions)
        seen.push({ partition, key: `gps ${p.busId} ${p.seq}`, busId: p.busId, ms: p.ts.getTime() })
      for (const l of batch.limiterStates)
        seen.push({ partition, key: `lim ${l.busId} ${l.ts.getTime()}`, busId: l.busId, ms: l.ts.getTime() })
    },
  }
}

describe.each(storeBackends())('the report stream on $name', (backend) => {
  let store: TestDatabase
  const streams: ReportStream[] = []
  const startStream = (db: Database, member: string, consumer: string, handle = collector().handle) => {
    const stream = startReportStream({
      db,
      consumer,
      member,
      leaseTtlMs: 1000,
      heartbeatMs: 150,
      pollMs: 20,
      clock,
      log,
      handle,
    })
    streams.push(stream)
    return stream
  }
  /** Another connection where the backend has them (another process), else the same store. */
  const connection = async () => (backend.shared ? store.reopen() : store.db)

  beforeAll(async () => {
    store = await backend.open()
    // The store as it was before the report stream, with a compressed chunk where TimescaleDB is.
    await migrateDatabase(store.db, {
      migrations: migrations.filter((m) => m.version < reportStream.version),
    })
    await store.db.exec(`INSERT INTO positions (bus_id, ts, lat, lon) VALUES
      ('B0', now() - interval '30 days', 30.1, 121.2), ('B0', now() - interval '1 hour', 30.1, 121.2)`)
    if (backend.timescale)
      await store.db.query(
        `SELECT compress_chunk(c) FROM show_chunks('positions', older_than => interval '7 days') c`,
      )
    expect((await migrateDatabase(store.db)).applied).toContain(reportStream.version)
    await loadTwoSchoolsTwoBuses(store.db)
    await store.db.exec(`INSERT INTO buses (id, plate, town_id, kind, seats, operator)
      SELECT id, 'plate-' || id, 'longshan', 'school_bus', 36, 'Test operator'
      FROM unnest(ARRAY['B3', 'B4', 'B5', 'B6']) AS id`)
  })
  afterAll(async () => {
    await Promise.all(streams.map((stream) => Promise.race([stream.stop(), sleep(2000)])))
    await store?.dispose()
  })

  it('counts the rows stored before it as read, compressed ones too, and stamps new ones', async () => {
    const rows = await store.db.query<{ bus_id: string; stamped: boolean }>(
      `SELECT bus_id, ingest_xid IS NOT NULL AS stamped FROM positions ORDER BY bus_id, ts`,
    )
    expect(rows).toEqual([
      { bus_id: 'B0', stamped: false },
      { bus_id: 'B0', stamped: false },
      { bus_id: 'B1', stamped: true },
      { bus_id: 'B2', stamped: true },
    ])
  })

  it('splits the partitions between two members, and one takes all once the other is gone', async () => {
    const first = killableDatabase(await connection())
    const a = startStream(first.db, 'member-a', 'leases')
    await waitUntil(() => a.held().length === 16, 'the only member holds every partition')
    const b = startStream(await connection(), 'member-b', 'leases')
    await waitUntil(() => a.held().length === 8 && b.held().length === 8, 'two members hold 8 each')
    expect([...a.held(), ...b.held()].sort((x, y) => x - y)).toEqual([...Array(16).keys()])

    // Member a dies: no release, no heartbeat. Its leases stay its own until they expire.
    first.kill()
    const killedAt = Date.now()
    const rows = await store.db.query<{ holder: string; n: number }>(
      `SELECT holder, count(*)::int AS n FROM stream_leases WHERE consumer = 'leases' GROUP BY holder ORDER BY holder`,
    )
    expect(rows).toEqual([
      { holder: 'member-a', n: 8 },
      { holder: 'member-b', n: 8 },
    ])
    await waitUntil(() => b.held().length === 16, 'the survivor holds every partition')
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(700)

    // A member that stops gives its partitions back at once.
    const c = startStream(await connection(), 'member-c', 'leases')
    await waitUntil(() => c.held().length === 8, 'a third member joins')
    await b.stop()
    await waitUntil(() => c.held().length === 16, 'the member left takes all back')
  })

  it('delivers each report of concurrent transactions once, in order per bus, at whole transactions', async () => {
    const seen = collector()
    const reader = startReportStream({
      db: await connection(),
      consumer: 'reading',
      member: 'reader',
      maxRows: 25,
      pollMs: 20,
      clock,
      log,
      handle: seen.handle,
    })
    streams.push(reader)
    await waitUntil(() => reader.held().length === 16, 'the reader holds every partition')

    // One writer per bus, each with its own connection where the store has several: transactions
    // of different buses interleave, and commit in another order than they began.
    const writers = await Promise.all(buses.map(() => connection()))
    let expected = 0
    await Promise.all(
      buses.map(async (busId, w) => {
        for (let t = 0; t < 6; t++) {
          const size = 1 + ((t * 7 + w * 3) % 12) + (t === 3 && w === 0 ? 40 : 0)
          const from = t * 100
          const positions = Array.from({ length: size }, (_, i) => fix(busId, from + i))
          const limiterStates = t % 2 === 0 ? [limiter(busId, from + 50)] : []
          expected += positions.length + limiterStates.length
          await writers[w]!.transaction(async (tx) => {
            await writeTelemetryBatch(tx, { positions, limiterStates, deadLetters: [] }, start)
            await sleep((t + w) % 3 === 0 ? 30 : 0)
          })
          reader.wake()
        }
      }),
    )
    await waitUntil(() => seen.seen.length >= expected, `all ${expected} reports are delivered`)
    await sleep(200)
    expect(seen.seen).toHaveLength(expected)
    expect(new Set(seen.seen.map((s) => s.key)).size).toBe(expected)
    for (const busId of buses) {
      for (const kind of ['gps', 'lim']) {
        const times = seen.seen.filter((s) => s.busId === busId && s.key.startsWith(kind)).map((s) => s.ms)
        expect(times).toEqual([...times].sort((x, y) => x - y))
      }
    }
    // Each report came with its bus's partition, as the store computes it.
    const partitions = await store.db.query<{ id: string; partition: number }>(
      `SELECT id, ${busPartitionSql('id', '$1')} AS partition FROM buses`,
      [16],
    )
    const partitionOf = new Map(partitions.map((row) => [row.id, row.partition]))
    expect(seen.seen.every((s) => s.partition === partitionOf.get(s.busId))).toBe(true)
  })

  it('stops a bounded read after a whole transaction', async () => {
    const [{ xmin }] = (await store.db.query<{ xmin: string }>(
      `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`,
    )) as [{ xmin: string }]
    const checkpoint = parseCheckpoint(xmin)
    await write(store.db, [fix('B1', 1000), fix('B1', 1001)])
    await write(
      store.db,
      Array.from({ length: 6 }, (_, i) => fix('B2', 1000 + i)),
    )
    const held = [...Array(16).keys()].map((partition) => ({ partition, checkpoint }))
    const since = new Date(start.getTime() - 86_400_000)
    const first = await readCommittedReports(store.db, { held, partitions: 16, since, maxRows: 4 })
    expect(first.truncated).toBe(true)
    expect([...first.batches.values()].flatMap((b) => b.positions.map((p) => p.busId))).toEqual(['B1', 'B1'])
    // A transaction larger than the bound comes whole.
    const next = held.map((h) => ({ ...h, checkpoint: first.upTo }))
    const second = await readCommittedReports(store.db, { held: next, partitions: 16, since, maxRows: 4 })
    expect([...second.batches.values()].flatMap((b) => b.positions.map((p) => p.busId))).toEqual(
      Array(6).fill('B2'),
    )
    const rest = held.map((h) => ({ ...h, checkpoint: second.upTo }))
    const third = await readCommittedReports(store.db, { held: rest, partitions: 16, since, maxRows: 4 })
    expect(third.batches.size).toBe(0)
    expect(third.truncated).toBe(false)
  })

  // Only a server has transactions open side by side; the embedded store runs one at a time.
  if (backend.shared)
    it('delivers an open transaction’s reports only once it commits, and waits for it', async () => {
      const seen = collector()
      const reader = startReportStream({
        db: await store.reopen(),
        consumer: 'open-transaction',
        member: 'reader',
        pollMs: 20,
        clock,
        log,
        handle: seen.handle,
      })
      streams.push(reader)
      await waitUntil(() => reader.held().length === 16, 'the reader holds every partition')

      let commit!: () => void
      const committing = new Promise<void>((resolve) => (commit = resolve))
      let written = false
      const slow = await store.reopen()
      const open = slow.transaction(async (tx) => {
        await writeTelemetryBatch(
          tx,
          { positions: [fix('B3', 2000)], limiterStates: [], deadLetters: [] },
          start,
        )
        written = true
        await committing
      })
      await waitUntil(() => written, 'the open transaction has written')
      // Committed after the open one began: it waits behind it (xmin), so no report is ever skipped.
      await write(store.db, [fix('B4', 2000)])
      await sleep(300)
      expect(seen.seen.filter((s) => s.ms === fix('B3', 2000).ts.getTime())).toEqual([])

      commit()
      await open
      await waitUntil(() => seen.seen.length === 2, 'both reports are delivered')
      expect(seen.seen.map((s) => s.busId).sort()).toEqual(['B3', 'B4'])
    })
})
