import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../store/database.js'
import { migrateDatabase } from '../store/migrate-database.js'
import { openPgliteDatabase } from '../store/pglite-database.js'
import type { AlarmCaseChange } from './alarm-case.js'
import { createAlarmCaseSender, maxEscalationLevel } from './send-alarm-cases.js'

let db: Database
let now = new Date('2026-03-02T07:10:00+08:00')
const clock = { now: () => now }
const sent: AlarmCaseChange[] = []
const sender = () => createAlarmCaseSender({ db, clock, publish: (change) => sent.push(change) })
const minutes = (n: number) => n * 60_000
const taken = () =>
  sent.splice(0).map(({ change, alarm }) => `${change}:${alarm.kind}:${alarm.escalationLevel}`)

const raise = (kind: string, ts: string) =>
  db.query(`INSERT INTO events (bus_id, kind, ts, trip_id, details) VALUES ('B1', $1, $2, 'T1', '{}')`, [
    kind,
    ts,
  ])

beforeAll(async () => {
  db = await openPgliteDatabase()
  await migrateDatabase(db)
  await db.exec(`
    INSERT INTO towns (id, name_zh, lat, lon) VALUES ('t', '镇', 30.19, 121.40);
    INSERT INTO schools (id, town_id, name_zh, kind, lat, lon) VALUES ('S1', 't', '学校', 'primary', 30.19, 121.40);
    INSERT INTO buses (id, plate, town_id, kind, seats, operator) VALUES ('B1', '浙B·1', 't', 'school_bus', 36, 'op');
    INSERT INTO trips (id, bus_id, school_id, direction) VALUES ('T1', 'B1', 'S1', 'to_school');
  `)
})
afterAll(async () => {
  await db?.close()
})

describe('sending and escalating alarm cases on the platform clock', () => {
  it('sends each new case once, and escalates a critical one nobody acknowledges at its time, not before', async () => {
    // Raised minutes before it is stored (a standstill dated from its start): the time counts from sending.
    await raise('child_left_on_bus', '2026-03-02T07:02:00+08:00')
    await raise('over_speed', '2026-03-02T07:05:00+08:00')
    await raise('stop_arrival', '2026-03-02T07:06:00+08:00')
    const sentAt = now.getTime()

    expect(await sender().step()).toEqual({ opened: 2, escalated: 0 })
    expect(taken()).toEqual(['opened:child_left_on_bus:0', 'opened:over_speed:0'])
    expect(await sender().step()).toEqual({ opened: 0, escalated: 0 })

    now = new Date(sentAt + minutes(5) - 1000)
    expect(await sender().step()).toEqual({ opened: 0, escalated: 0 })

    now = new Date(sentAt + minutes(5))
    const [first, second] = [sender(), sender()]
    const steps = await Promise.all([first.step(), second.step()])
    expect(steps.map((s) => s.escalated).sort()).toEqual([0, 1])
    const escalated = sent.find((change) => change.change === 'escalated')!
    expect(escalated.alarm).toMatchObject({
      kind: 'child_left_on_bus',
      escalationLevel: 1,
      escalatedAt: now,
      escalateAt: new Date(sentAt + minutes(10)),
    })
    expect(taken()).toEqual(['escalated:child_left_on_bus:1'])

    // Again as long after, up to the last level, and never the major case.
    for (let level = 2; level <= maxEscalationLevel; level++) {
      now = new Date(sentAt + minutes(5 * level))
      await sender().step()
      expect(taken()).toEqual([`escalated:child_left_on_bus:${level}`])
    }
    now = new Date(sentAt + minutes(60))
    await sender().step()
    expect(taken()).toEqual([])

    const history = await db.query<{ action: string; detail: { level?: number } }>(
      `SELECT h.action, h.detail FROM alarm_case_history h JOIN alarm_cases c ON c.id = h.case_id
       WHERE c.kind = 'child_left_on_bus' ORDER BY h.id`,
    )
    expect(history.map((h) => h.action)).toEqual(['opened', 'escalated', 'escalated', 'escalated'])
    expect(history.map((h) => h.detail.level ?? null)).toEqual([null, 1, 2, 3])
  })

  it('never escalates a case acknowledged before its time', async () => {
    now = new Date('2026-03-02T08:00:00+08:00')
    await raise('terminal_sos', '2026-03-02T08:00:00+08:00')
    await sender().step()
    expect(taken()).toEqual(['opened:terminal_sos:0'])
    await db.query(
      `UPDATE alarm_cases SET state = 'acknowledged', acknowledged_by = 'duty', acknowledged_at = $1
       WHERE kind = 'terminal_sos'`,
      [new Date(now.getTime() + minutes(4)).toISOString()],
    )
    now = new Date(now.getTime() + minutes(30))
    expect(await sender().step()).toEqual({ opened: 0, escalated: 0 })
  })

  it('follows the catalogue as it stood when the case opened', async () => {
    await db.query(`UPDATE alarm_kinds SET escalate_after_min = 1 WHERE kind = 'terminal_collision'`)
    await raise('terminal_collision', '2026-03-02T09:00:00+08:00')
    await sender().step()
    taken()
    await db.query(`UPDATE alarm_kinds SET escalate_after_min = 30 WHERE kind = 'terminal_collision'`)
    now = new Date(now.getTime() + minutes(1))
    await sender().step()
    expect(taken()).toEqual(['escalated:terminal_collision:1'])
  })
})
