import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Database } from '../database.js'
import { migrateDatabase } from '../migrate-database.js'
import { openPgliteDatabase } from '../pglite-database.js'
import { migrations } from './index.js'

let db: Database

/** A store as version 11 left it: alarm events, one acknowledged, and events that are no alarm. */
const storedBefore = `
INSERT INTO towns (id, name_zh, lat, lon) VALUES ('t', '镇', 30.19, 121.40);
INSERT INTO schools (id, town_id, name_zh, kind, lat, lon) VALUES
  ('S1', 't', '一校', 'primary', 30.19, 121.40), ('S2', 't', '二校', 'primary', 30.19, 121.41);
INSERT INTO buses (id, plate, town_id, school_id, kind, seats, operator)
  VALUES ('B1', '浙B·1', 't', 'S2', 'school_bus', 36, 'op');
INSERT INTO trips (id, bus_id, school_id, direction, weekdays) VALUES ('T1', 'B1', 'S1', 'to_school', '{1,2,3,4,5}');
INSERT INTO events (bus_id, kind, ts, trip_id, details, acknowledged_by, acknowledged_at) VALUES
  ('B1', 'over_speed', '2026-03-02T07:05:00+08:00', 'T1', '{"lat": 30.18, "lon": 121.39}', 'duty', '2026-03-02T07:30:00+08:00'),
  ('B1', 'terminal_silent', '2026-03-07T10:00:00+08:00', NULL, '{}', NULL, NULL),
  ('B1', 'stop_arrival', '2026-03-02T07:06:00+08:00', 'T1', '{}', NULL, NULL);
`

beforeAll(async () => {
  db = await openPgliteDatabase()
  await migrateDatabase(db, { migrations: migrations.filter((m) => m.version < 12) })
  await db.exec(storedBefore)
  await migrateDatabase(db, { migrations: migrations.filter((m) => m.version <= 12) })
})
afterAll(async () => {
  await db?.close()
})

it('opens the cases of the alarms stored before, as already sent, acknowledged where their event was', async () => {
  const cases = await db.query(
    `SELECT kind, state, school_ids, acknowledged_by, announced_at IS NOT NULL AS sent, escalate_at
     FROM alarm_cases ORDER BY kind`,
  )
  expect(cases).toEqual([
    {
      kind: 'over_speed',
      state: 'acknowledged',
      school_ids: ['S1'],
      acknowledged_by: 'duty',
      sent: true,
      escalate_at: null,
    },
    // A Saturday, no trip: only the school that contracts the bus.
    {
      kind: 'terminal_silent',
      state: 'open',
      school_ids: ['S2'],
      acknowledged_by: null,
      sent: true,
      escalate_at: null,
    },
  ])
  const history = await db.query(`SELECT action, actor FROM alarm_case_history ORDER BY at, id`)
  expect(history).toEqual([
    { action: 'opened', actor: 'platform' },
    { action: 'acknowledged', actor: 'duty' },
    { action: 'opened', actor: 'platform' },
  ])
})

it('opens one case per alarm event from then on, whoever writes it, and none for other events', async () => {
  const write = (kind: string, ts: string, trip: string | null, details = '{}') =>
    db.query(
      `INSERT INTO events (bus_id, kind, ts, trip_id, details) VALUES ('B1', $1, $2, $3, $4)
       ON CONFLICT (bus_id, kind, ts) DO UPDATE SET details = EXCLUDED.details, trip_id = EXCLUDED.trip_id`,
      [kind, ts, trip, details],
    )
  await write('limiter_disabled', '2026-03-09T07:10:00+08:00', null)
  await write('limiter_disabled', '2026-03-09T07:10:00+08:00', 'T1', '{"endTs": "2026-03-09T07:12:00+08:00"}')
  await write('stop_departure', '2026-03-09T07:11:00+08:00', 'T1')
  await write('no_such_alarm', '2026-03-09T07:11:00+08:00', 'T1')
  const cases = await db.query(
    `SELECT kind, severity, school_ids, state FROM alarm_cases WHERE event_ts >= '2026-03-08T12:00:00Z' ORDER BY id`,
  )
  // Written without its trip, then again with it: one case, the trip's school's.
  expect(cases).toEqual([{ kind: 'limiter_disabled', severity: 'major', school_ids: ['S1'], state: 'open' }])
  // Without a trip, a Monday: the school of the bus's Monday trips and the one that contracts it.
  await db.query(`UPDATE events SET trip_id = NULL WHERE kind = 'limiter_disabled'`)
  expect(await db.query(`SELECT school_ids FROM alarm_cases WHERE kind = 'limiter_disabled'`)).toEqual([
    { school_ids: ['S1', 'S2'] },
  ])

  // The case goes with its event.
  await db.query(`DELETE FROM events WHERE kind = 'limiter_disabled'`)
  expect(await db.query(`SELECT 1 FROM alarm_cases WHERE kind = 'limiter_disabled'`)).toEqual([])
})

it('keeps the catalogue consistent: a critical kind escalates, no other does', async () => {
  await expect(
    db.query(`UPDATE alarm_kinds SET escalate_after_min = NULL WHERE kind = 'terminal_sos'`),
  ).rejects.toThrow(/check/)
  await expect(
    db.query(`UPDATE alarm_kinds SET escalate_after_min = 5 WHERE kind = 'over_speed'`),
  ).rejects.toThrow(/check/)
  const critical = await db.query<{ kind: string }>(
    `SELECT kind FROM alarm_kinds WHERE severity = 'critical' ORDER BY kind`,
  )
  expect(critical.map((row) => row.kind)).toEqual([
    'child_left_on_bus',
    'terminal_collision',
    'terminal_rollover',
    'terminal_sos',
  ])
})
