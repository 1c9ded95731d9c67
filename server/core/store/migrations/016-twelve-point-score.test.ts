import { afterAll, beforeAll, expect, it } from 'vitest'
import { createScoring } from '../../score/score-alarm-events.js'
import type { Database } from '../database.js'
import { migrateDatabase } from '../migrate-database.js'
import { openPgliteDatabase } from '../pglite-database.js'
import { migrations } from './index.js'

let db: Database

/** A store as version 15 left it: an over-speed alarm with its case, on a bus with a driver. */
const storedBefore = `
INSERT INTO towns (id, name_zh, lat, lon) VALUES ('t', '镇', 30.19, 121.40);
INSERT INTO schools (id, town_id, name_zh, kind, lat, lon) VALUES ('S1', 't', '一校', 'primary', 30.19, 121.40);
INSERT INTO buses (id, plate, town_id, school_id, kind, seats, operator)
  VALUES ('B1', '浙B·1', 't', 'S1', 'school_bus', 36, '龙山校车服务有限公司');
INSERT INTO staff (id, role, name, bus_id) VALUES ('D1', 'driver', '张师傅', 'B1');
INSERT INTO events (bus_id, kind, ts, details) VALUES
  ('B1', 'limiter_disabled', '2026-03-02T07:05:00+08:00', '{"state": "disabled", "endTs": null}');
`

beforeAll(async () => {
  db = await openPgliteDatabase()
  await migrateDatabase(db, { migrations: migrations.filter((m) => m.version < 16) })
  await db.exec(storedBefore)
  await migrateDatabase(db, { migrations: migrations.filter((m) => m.version <= 16) })
})
afterAll(async () => {
  await db?.close()
})

it('takes the alarms stored before the score as judged: the score counts from the first one after it', async () => {
  expect(await db.query(`SELECT kind, result FROM scored_events`)).toEqual([
    { kind: 'limiter_disabled', result: 'before_scoring' },
  ])
  const clock = { now: () => new Date('2026-03-02T08:00:00+08:00') }
  expect(await createScoring({ db, clock }).step()).toEqual({ judged: 0, points: 0, voided: 0, tasks: [] })

  await db.exec(`INSERT INTO events (bus_id, kind, ts, details) VALUES
    ('B1', 'limiter_disabled', '2026-03-02T07:35:00+08:00', '{"state": "disabled", "endTs": null}')`)
  expect(await createScoring({ db, clock }).step()).toMatchObject({ judged: 1, points: 2 })
  expect(
    await db.query(`SELECT subject, subject_key AS key, points FROM score_points ORDER BY subject`),
  ).toEqual([
    { subject: 'company', key: '龙山校车服务有限公司', points: 3 },
    { subject: 'driver', key: 'D1', points: 3 },
  ])
})

it('puts the three tasks in the alarm catalogue and the defaults in the table', async () => {
  expect(
    await db.query(
      `SELECT kind, severity, escalate_after_min FROM alarm_kinds WHERE kind LIKE 'score%' ORDER BY kind`,
    ),
  ).toEqual([
    { kind: 'score_interview', severity: 'major', escalate_after_min: null },
    { kind: 'score_removal', severity: 'critical', escalate_after_min: 60 },
    { kind: 'score_warning', severity: 'major', escalate_after_min: null },
  ])
  const rules = await db.query<{ kind: string; points: number | null }>(
    `SELECT kind, points FROM score_rules ORDER BY kind`,
  )
  expect(Object.fromEntries(rules.map((rule) => [rule.kind, rule.points]))).toEqual({
    child_left_on_bus: 12,
    limiter_disabled: 3,
    over_speed: null,
    papers_expired: 3,
    route_off_corridor: 2,
    stop_skipped: 2,
    stop_unapproved: 1,
    terminal_fatigue: 2,
  })
  // The table refuses points for the score's own tasks.
  await expect(
    db.query(
      `INSERT INTO score_rules (kind, points, subjects, updated_by, updated_at)
       VALUES ('score_warning', 1, '{driver}', 'x', now())`,
    ),
  ).rejects.toThrow(/check/i)
})
