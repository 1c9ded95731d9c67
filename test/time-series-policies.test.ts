import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Database } from '../server/core/store/database.js'
import { applyTimeSeriesPolicies } from '../server/core/store/apply-time-series-policies.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { telemetryPolicies } from '../server/core/store/migrations/001-core-schema.js'
import { openPgliteDatabase } from '../server/core/store/pglite-database.js'

let db: Database
beforeAll(async () => {
  db = await openPgliteDatabase()
  await migrateDatabase(db)
})
afterAll(() => db.close())

it('compresses chunks past the compression age and drops those past retention, once', async () => {
  await db.query(
    `INSERT INTO positions (bus_id, ts, lat, lon)
     SELECT 'B1', now() - make_interval(days => d), 30.17, 121.26 FROM unnest(ARRAY[0, 1, 10, 20, 500]) AS d`,
  )
  const first = await applyTimeSeriesPolicies(db, telemetryPolicies)
  expect(first).toEqual({ compressedChunks: 2, droppedChunks: 1 })

  const ages = await db.query<{ days: number }>(
    `SELECT round(extract(epoch FROM now() - ts) / 86400)::int AS days FROM positions ORDER BY ts`,
  )
  expect(ages.map((a) => a.days)).toEqual([20, 10, 1, 0])

  expect(await applyTimeSeriesPolicies(db, telemetryPolicies)).toEqual({
    compressedChunks: 0,
    droppedChunks: 0,
  })
})
