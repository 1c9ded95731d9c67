import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChildLeftOnBusAlarms } from '../server/alarms/child-left-on-bus.js'
import type { ChildLeftOnBusAlarm } from '../server/core/alarms/child-left-on-bus-alarm.js'
import { createLogger } from '../server/core/log/logger.js'
import type { Database } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { migrations } from '../server/core/store/migrations/index.js'
import { loadTwoSchoolsTwoBuses, scenario } from './scenarios/two-schools-two-buses.js'
import { storeBackends, type TestDatabase } from './support/store-backends.js'
import { settableClock } from './support/test-platform-parts.js'

/**
 * Several processes run the alarms on one store, and the trip's end (the API) and the bus's standstill
 * (the alarms' check) may raise the same alarm at different moments: the store keeps one per trip and
 * day, and only the process that stored it sends it.
 */
describe.each(storeBackends())('the child-left-on-bus alarm on $name', (backend) => {
  let store: TestDatabase
  const connections: Database[] = []

  beforeAll(async () => {
    store = await backend.open()
    await migrateDatabase(store.db)
    await loadTwoSchoolsTwoBuses(store.db)
    connections.push(store.db)
    // Each "process" on its own connection where the store allows several.
    if (backend.shared) for (let i = 0; i < 3; i++) connections.push(await store.reopen())
  })
  afterAll(async () => {
    await store?.dispose()
  })

  it('is stored and sent once when several processes raise it at once, at different times', async () => {
    await store.db.query(
      `INSERT INTO boarding_events (id, trip_id, service_date, pupil_id, action, stop_id, scanned_at, recorded_by)
       VALUES ($1, 'T1', '2026-03-02', 'P1', 'boarded', 'ST1', '2026-03-02T07:01:00+08:00', 'A1')`,
      [randomUUID()],
    )
    const sent: ChildLeftOnBusAlarm[] = []
    const log = createLogger({ level: 'silent' })
    const clock = settableClock(scenario.monday0710)
    const processes = connections.map((db) =>
      createChildLeftOnBusAlarms({ db, clock, log, afterS: 300, publish: (alarm) => sent.push(alarm) }),
    )
    const raised = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        processes[i % processes.length]!.raise({
          busId: 'B1',
          tripId: 'T1',
          serviceDate: '2026-03-02',
          atMs: Date.parse('2026-03-02T07:09:00+08:00') + i * 1000,
          reason: i % 2 === 0 ? 'trip_ended' : 'engine_off_at_last_stop',
        }),
      ),
    )
    expect(raised.filter((alarm) => alarm !== null)).toHaveLength(1)
    expect(sent).toHaveLength(1)
    const stored = await store.db.query(`SELECT ts FROM events WHERE kind = 'child_left_on_bus'`)
    expect(stored).toHaveLength(1)

    // Whatever writes the row, the store refuses a second one for the trip and day.
    await expect(
      store.db.query(
        `INSERT INTO events (bus_id, kind, ts, trip_id, details)
         VALUES ('B1', 'child_left_on_bus', '2026-03-02T07:30:00+08:00', 'T1', '{"serviceDate": "2026-03-02"}')`,
      ),
    ).rejects.toThrow(/unique|duplicate/)
  })

  it('keeps the acknowledged one of the duplicates stored before the store enforced it', async () => {
    const older = await backend.open()
    try {
      await migrateDatabase(older.db, { migrations: migrations.filter((m) => m.version < 5) })
      const details = (serviceDate: string) => JSON.stringify({ serviceDate })
      await older.db.query(
        `INSERT INTO events (bus_id, kind, ts, trip_id, details, acknowledged_by, acknowledged_at) VALUES
           ('B1', 'child_left_on_bus', '2026-03-02T07:09:00+08:00', 'T1', $1, NULL, NULL),
           ('B1', 'child_left_on_bus', '2026-03-02T07:21:00+08:00', 'T1', $1, 'A1', '2026-03-02T07:25:00+08:00'),
           ('B1', 'child_left_on_bus', '2026-03-03T07:21:00+08:00', 'T1', $2, NULL, NULL),
           ('B1', 'child_left_on_bus', '2026-03-03T07:22:00+08:00', 'T1', $2, NULL, NULL),
           ('B1', 'over_speed', '2026-03-02T07:05:00+08:00', 'T1', '{}', NULL, NULL)`,
        [details('2026-03-02'), details('2026-03-03')],
      )
      const upToFive = migrations.filter((m) => m.version <= 5)
      expect((await migrateDatabase(older.db, { migrations: upToFive })).applied).toEqual([5])
      const kept = await older.db.query<{ kind: string; ts: Date; acknowledged_by: string | null }>(
        `SELECT kind, ts, acknowledged_by FROM events ORDER BY ts`,
      )
      expect(kept.map((row) => [row.kind, new Date(row.ts).toISOString(), row.acknowledged_by])).toEqual([
        ['over_speed', '2026-03-01T23:05:00.000Z', null],
        ['child_left_on_bus', '2026-03-01T23:21:00.000Z', 'A1'],
        ['child_left_on_bus', '2026-03-02T23:21:00.000Z', null],
      ])
    } finally {
      await older.dispose()
    }
  })
})
