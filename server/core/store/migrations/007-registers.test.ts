import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Database } from '../database.js'
import { migrateDatabase } from '../migrate-database.js'
import { openPgliteDatabase } from '../pglite-database.js'
import { migrations } from './index.js'

let db: Database

/** A store as version 6 left it: staff particulars in details, riders without a stop of their own. */
const storedBefore = `
INSERT INTO towns (id, kind, name_zh, name_en, lat, lon) VALUES ('longshan', 'town', '龙山镇', 'Longshan', 30.18, 121.5);
INSERT INTO stops (id, town_id, name_zh, lat, lon) VALUES
  ('gate', 'longshan', '校门', 30.18, 121.5), ('v1', 'longshan', '一村', 30.19, 121.51),
  ('v2', 'longshan', '二村', 30.2, 121.52);
INSERT INTO schools (id, town_id, name_zh, kind, lat, lon, gate_stop_id)
  VALUES ('ls', 'longshan', '龙山小学', 'primary', 30.18, 121.5, 'gate');
INSERT INTO buses (id, plate, town_id, kind, seats, operator) VALUES ('bus-01', '浙B·A0001', 'longshan', 'school_bus', 35, 'op');
INSERT INTO staff (id, role, name, bus_id, details) VALUES
  ('drv', 'driver', '陈', 'bus-01', '{"licenceClass": "A1", "drivingYears": 19}'),
  ('pol', 'police', '李', 'bus-01', '{"unit": "龙山派出所"}');
INSERT INTO pupils (id, code, name, school_id, grade, settlement_id) VALUES
  ('am-rider', 'P1', 'a', 'ls', 1, 'v1'), ('pm-rider', 'P2', 'b', 'ls', 1, 'v2'), ('walker', 'P3', 'c', 'ls', 1, 'v1');
INSERT INTO trips (id, bus_id, school_id, direction) VALUES ('am', 'bus-01', 'ls', 'to_school'), ('pm', 'bus-01', 'ls', 'from_school');
INSERT INTO trip_stops (trip_id, seq, stop_id, arrive_time, depart_time) VALUES
  ('am', 1, 'v1', '07:00', '07:00'), ('am', 2, 'v2', '07:10', '07:10'), ('am', 3, 'gate', '07:30', '07:30'),
  ('pm', 1, 'gate', '16:00', '16:00'), ('pm', 2, 'v2', '16:10', '16:10'), ('pm', 3, 'v1', '16:20', '16:20');
INSERT INTO trip_pupils (trip_id, pupil_id, board_seq, alight_seq) VALUES
  ('am', 'am-rider', 1, 3), ('pm', 'am-rider', 1, 3), ('pm', 'pm-rider', 1, 2);
`

beforeAll(async () => {
  db = await openPgliteDatabase()
  await migrateDatabase(db, { migrations: migrations.filter((m) => m.version < 7) })
  await db.exec(storedBefore)
  await migrateDatabase(db)
})
afterAll(async () => {
  await db?.close()
})

it('moves licence class and unit out of staff details', async () => {
  expect(await db.query('SELECT id, licence_class, unit FROM staff ORDER BY id')).toEqual([
    { id: 'drv', licence_class: 'A1', unit: null },
    { id: 'pol', licence_class: null, unit: '龙山派出所' },
  ])
})

it('gives each rider the stop of its morning boarding, else of its afternoon alighting', async () => {
  expect(await db.query('SELECT id, stop_id FROM pupils ORDER BY id')).toEqual([
    { id: 'am-rider', stop_id: 'v1' },
    { id: 'pm-rider', stop_id: 'v2' },
    { id: 'walker', stop_id: null },
  ])
})

it('keeps a town without an English name and logs register changes', async () => {
  await db.query(`INSERT INTO towns (id, name_zh, lat, lon) VALUES ('guanhaiwei', '观海卫镇', 30.2, 121.4)`)
  const [change] = await db.query(
    `INSERT INTO register_changes (actor, action, register) VALUES ('bureau', 'export', 'pupils')
     RETURNING id, actor, action, summary, before`,
  )
  expect(change).toEqual({ id: 1, actor: 'bureau', action: 'export', summary: {}, before: null })
})
