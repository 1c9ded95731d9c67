import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { migrations } from '../server/core/store/migrations/index.js'
import { openPgliteDatabase } from '../server/core/store/pglite-database.js'
import { storeBackends, type TestDatabase } from './support/store-backends.js'
import { runsEmbedded } from './support/test-level.js'

const expectedTables = [
  'boarding_events',
  'buses',
  'dead_letters',
  'events',
  'guardians',
  'limiter_states',
  'lines',
  'plans',
  'positions',
  'pupil_guardians',
  'pupils',
  'schema_migrations',
  'schools',
  'staff',
  'stops',
  'stream_leases',
  'stream_members',
  'towns',
  'trip_pupils',
  'trip_stops',
  'trips',
]

async function tableNames(db: Database) {
  const rows = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
  )
  return rows.map((r) => r.name)
}

async function hypertableNames(db: Database) {
  const rows = await db.query<{ name: string }>(
    `SELECT hypertable_name AS name FROM timescaledb_information.hypertables ORDER BY 1`,
  )
  return rows.map((r) => r.name)
}

it('numbers migrations uniquely and in order', () => {
  const versions = migrations.map((m) => m.version)
  expect(versions).toEqual([...versions].sort((a, b) => a - b))
  expect(new Set(versions).size).toBe(versions.length)
})

describe.each(storeBackends())('migrations on $name', (backend) => {
  let store: TestDatabase

  beforeAll(async () => {
    store = await backend.open()
  })
  afterAll(async () => {
    await store?.dispose()
  })

  it('creates every table, and a second run changes nothing', async () => {
    const first = await migrateDatabase(store.db)
    expect(first.applied).toEqual(migrations.map((m) => m.version))
    expect(first.timescale).toBe(backend.timescale)
    expect(await tableNames(store.db)).toEqual(expect.arrayContaining(expectedTables))

    const second = await migrateDatabase(store.db)
    expect(second.applied).toEqual([])
    expect(second.version).toBe(first.version)
  })

  it('stores telemetry as time series of the kind the server offers', async () => {
    if (backend.timescale) {
      expect(await hypertableNames(store.db)).toEqual(['limiter_states', 'positions'])
      const jobs = await store.db.query<{ proc_name: string; hypertable_name: string }>(
        `SELECT proc_name, hypertable_name FROM timescaledb_information.jobs WHERE hypertable_name IS NOT NULL ORDER BY 2, 1`,
      )
      expect(jobs.map((j) => `${j.hypertable_name}:${j.proc_name}`)).toEqual([
        'limiter_states:policy_compression',
        'limiter_states:policy_retention',
        'positions:policy_compression',
        'positions:policy_retention',
      ])
    } else {
      const indexes = await store.db.query<{ indexname: string }>(
        `SELECT indexname FROM pg_indexes WHERE tablename IN ('positions', 'limiter_states') ORDER BY 1`,
      )
      expect(indexes.map((i) => i.indexname)).toEqual(
        expect.arrayContaining(['positions_ts_idx', 'limiter_states_ts_idx']),
      )
    }
  })

  it('keeps one row per bus and report time', async () => {
    const insert = `INSERT INTO positions (bus_id, ts, lat, lon, speed_kmh) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (bus_id, ts) DO NOTHING`
    await store.db.query(insert, ['B1', '2026-03-02T07:15:02+08:00', 30.172, 121.2618, 34.5])
    await store.db.query(insert, ['B1', '2026-03-01T23:15:02Z', 30.172, 121.2618, 34.5])
    const rows = await store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM positions`)
    expect(rows[0]?.n).toBe(1)
  })

  it('gives plans a runner, leaving those stored before without one', async () => {
    const fresh = await backend.open()
    try {
      await migrateDatabase(fresh.db, { migrations: migrations.filter((m) => m.version < 6) })
      const id = '33333333-3333-4333-8333-333333333333'
      await fresh.db.query(
        `INSERT INTO plans (id, created_by, status, inputs) VALUES ($1, 'bureau-1', 'running', '{}'::jsonb)`,
        [id],
      )
      const upToSix = migrations.filter((m) => m.version <= 6)
      expect((await migrateDatabase(fresh.db, { migrations: upToSix })).applied).toEqual([6])
      const columns = await fresh.db.query<{ name: string; type: string }>(
        `SELECT column_name AS name, data_type AS type FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name = 'plans' AND column_name LIKE 'runner%' ORDER BY 1`,
      )
      expect(columns).toEqual([
        { name: 'runner', type: 'text' },
        { name: 'runner_seen_at', type: 'timestamp with time zone' },
      ])
      expect(await fresh.db.query(`SELECT runner, runner_seen_at FROM plans WHERE id = $1`, [id])).toEqual([
        { runner: null, runner_seen_at: null },
      ])
    } finally {
      await fresh.dispose()
    }
  })

  // Only a server database has several processes; the embedded store belongs to one.
  if (backend.shared) {
    it('lets two processes migrate a new database at the same time', async () => {
      const fresh = await backend.open()
      try {
        const other = await fresh.reopen()
        const reports = await Promise.all([migrateDatabase(fresh.db), migrateDatabase(other)])
        expect(reports.flatMap((r) => r.applied).sort((a, b) => a - b)).toEqual(
          migrations.map((m) => m.version),
        )
      } finally {
        await fresh.dispose()
      }
    })
  }
})

if (runsEmbedded)
  describe('embedded store in a data folder', () => {
    let dataDir: string
    beforeAll(async () => {
      dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stp-pglite-'))
    })
    afterAll(async () => {
      await fs.rm(dataDir, { recursive: true, force: true })
    })

    it('keeps hypertables, compressed chunks and policies across a restart', async () => {
      const first = await openPgliteDatabase({ dataDir })
      await migrateDatabase(first)
      await first.query(
        `INSERT INTO positions (bus_id, ts, lat, lon) VALUES ('B1', now() - interval '30 days', 30.1, 121.2),
       ('B1', now(), 30.2, 121.3)`,
      )
      const compressed = await first.query(
        `SELECT compress_chunk(c) FROM show_chunks('positions', older_than => interval '7 days') c`,
      )
      expect(compressed).toHaveLength(1)
      await first.close()

      const second = await openPgliteDatabase({ dataDir })
      try {
        expect((await migrateDatabase(second)).applied).toEqual([])
        await second.query(`INSERT INTO positions (bus_id, ts, lat, lon) VALUES ('B2', now(), 30.3, 121.4)`)
        const rows = await second.query<{ n: number }>(`SELECT count(*)::int AS n FROM positions`)
        expect(rows[0]?.n).toBe(3)
        expect(await hypertableNames(second)).toContain('positions')
        const buckets = await second.query<{ n: number }>(
          `SELECT count(DISTINCT time_bucket('1 day', ts))::int AS n FROM positions`,
        )
        expect(buckets[0]?.n).toBe(2)
      } finally {
        await second.close()
      }
    })
  })
