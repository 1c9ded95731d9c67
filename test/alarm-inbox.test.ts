import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChildLeftOnBusAlarms } from '../server/alarms/child-left-on-bus.js'
import type { AlarmCaseChange } from '../server/core/alarms/alarm-case.js'
import { createAlarmCaseSender } from '../server/core/alarms/send-alarm-cases.js'
import { createLogger } from '../server/core/log/logger.js'
import type { Database } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import type { HttpApp } from '../server/http/create-http-app.js'
import { createRoomPublishing } from '../server/live/room-publishing.js'
import { writeDerivedEvents } from '../workers/events/write-derived-events.js'
import { loadTwoSchoolsTwoBuses, scenario } from './scenarios/two-schools-two-buses.js'
import { callApi, createScenarioApi } from './support/call-api.js'
import { storeBackends, type TestDatabase } from './support/store-backends.js'
import { settableClock, type ScenarioCaller } from './support/test-platform-parts.js'

/**
 * The bureau's alarm inbox on a real store: an alarm event, whoever writes it, opens one case; the
 * bureau works it to the end, a school sees its buses' cases and works the ones it may, nobody
 * else sees any; a critical case nobody acknowledges escalates once at its time, however many
 * processes run the step; and a case comes with its evidence.
 */
describe.each(storeBackends())('the alarm inbox on $name', (backend) => {
  let store: TestDatabase
  let db: Database
  let app: HttpApp
  let tokens: Record<ScenarioCaller, string>
  const clock = settableClock(scenario.monday0710)
  const changes: AlarmCaseChange[] = []
  const published: unknown[] = []
  /** The store as several processes see it: one connection each where the store allows several. */
  const connections: Database[] = []

  const call = (method: string, path: string, caller: ScenarioCaller, body?: unknown) =>
    callApi(app, method, path, tokens[caller], body)
  const taken = () => changes.splice(0).map((c) => `${c.change}:${c.alarm.kind}:${c.alarm.state}`)
  const sendersStep = async () => {
    const senders = connections.map((connection) =>
      createAlarmCaseSender({ db: connection, clock, publish: (change) => changes.push(change) }),
    )
    return Promise.all(senders.map((sender) => sender.step()))
  }
  const caseOf = async (kind: string) =>
    (await call('GET', `/api/alarms?kind=${kind}`, 'bureau')).body.alarms[0] as Record<string, unknown>

  const overSpeed = (endTs: string | null) => ({
    busId: 'B1',
    kind: 'over_speed' as const,
    ts: new Date('2026-03-02T07:05:00+08:00'),
    tripId: 'T1',
    details: {
      peakKmh: 74,
      limitKmh: 60,
      limitReason: 'other_road' as const,
      roadClass: null,
      roadName: null,
      peakTs: '2026-03-02T07:05:20+08:00',
      lat: 30.183,
      lon: 121.393,
      durationS: endTs ? 40 : 20,
      fixes: endTs ? 9 : 5,
      endTs,
    },
  })

  beforeAll(async () => {
    store = await backend.open()
    db = store.db
    await migrateDatabase(db)
    await loadTwoSchoolsTwoBuses(db)
    connections.push(db)
    if (backend.shared) for (let i = 0; i < 2; i++) connections.push(await store.reopen())
    await db.exec(`
      INSERT INTO staff (id, role, name, phone, bus_id, unit) VALUES
        ('D1', 'driver', 'Driver One', '13800000001', 'B1', NULL),
        ('PC1', 'police', 'Officer One', '13800000002', 'B1', 'Longshan station');
      UPDATE staff SET phone = '13800000003' WHERE id = 'A1';
      INSERT INTO staff_accounts (id, username, display_name, role, school_id, password_hash, created_at, updated_at, disabled_at)
      VALUES
        ('acc-1', 'duty-officer', 'Duty officer', 'bureau', NULL, 'x', now(), now(), NULL),
        ('acc-2', 'school-admin-2', 'School two', 'school', 'S2', 'x', now(), now(), NULL),
        ('acc-3', 'retired', 'Retired', 'bureau', NULL, 'x', now(), now(), now());
    `)
    // B1's fixes every 5 s from 07:03 to 07:08, fastest around the episode, and one much later.
    const fixes = Array.from({ length: 61 }, (_, i) => {
      const ts = new Date(Date.parse('2026-03-02T07:03:00+08:00') + i * 5000).toISOString()
      const speed = i >= 24 && i <= 32 ? 72 : 40
      return `('B1', '${ts}', ${30.181 + i * 1e-4}, 121.391, ${speed}, true)`
    })
    await db.exec(
      `INSERT INTO positions (bus_id, ts, lat, lon, speed_kmh, ignition) VALUES ${fixes.join(',')}
       ON CONFLICT DO NOTHING`,
    )
    ;({ app, tokens } = await createScenarioApi(db, clock, {
      publishAlarmCase: (change) => changes.push(change),
      publishEvent: (event) => published.push(event),
    }))
  })
  afterAll(async () => {
    await store?.dispose()
  })

  it('opens one case for an over-speed episode written as the events part writes it, and sends it once', async () => {
    await writeDerivedEvents(db, [overSpeed(null)])
    await writeDerivedEvents(db, [overSpeed('2026-03-02T07:05:40+08:00')])
    await writeDerivedEvents(db, [
      {
        busId: 'B1',
        kind: 'stop_arrival',
        ts: new Date('2026-03-02T07:08:00+08:00'),
        tripId: 'T1',
        details: { stopId: 'ST2', seq: 2, confirmedTs: '2026-03-02T07:08:10+08:00' },
      },
    ])
    const rows = await db.query(`SELECT kind, severity, school_ids, state FROM alarm_cases`)
    expect(rows).toEqual([{ kind: 'over_speed', severity: 'major', school_ids: ['S1'], state: 'open' }])

    expect((await sendersStep()).reduce((sum, s) => sum + s.opened, 0)).toBe(1)
    expect(taken()).toEqual(['opened:over_speed:open'])
    await sendersStep()
    expect(taken()).toEqual([])
  })

  it('lets the bureau acknowledge, assign, annotate and close it, keeping who and when', async () => {
    const { id } = await caseOf('over_speed')
    clock.set(new Date('2026-03-02T07:12:00+08:00'))
    const acknowledged = await call('POST', `/api/alarms/${id}/acknowledge`, 'bureau')
    expect(acknowledged.status).toBe(200)
    expect(acknowledged.body.alarm).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'bureau-1' })
    // The event is acknowledged with it, so the bus's screens clear.
    const [event] = await db.query(`SELECT acknowledged_by FROM events WHERE kind = 'over_speed'`)
    expect(event).toEqual({ acknowledged_by: 'bureau-1' })
    expect((await call('POST', `/api/alarms/${id}/acknowledge`, 'bureau')).body.alarm.acknowledgedAt).toBe(
      '2026-03-01T23:12:00.000Z',
    )

    clock.set(new Date('2026-03-02T07:13:00+08:00'))
    expect(await call('POST', `/api/alarms/${id}/assign`, 'bureau', { assignee: 'nobody' })).toMatchObject({
      status: 422,
      body: { error: { reason: 'assignee_not_eligible', field: 'body.assignee' } },
    })
    expect(await call('POST', `/api/alarms/${id}/assign`, 'bureau', { assignee: 'retired' })).toMatchObject({
      status: 422,
    })
    // A school account only for a case of its school.
    expect(
      await call('POST', `/api/alarms/${id}/assign`, 'bureau', { assignee: 'school-admin-2' }),
    ).toMatchObject({ status: 422, body: { error: { reason: 'assignee_not_eligible' } } })
    const assigned = await call('POST', `/api/alarms/${id}/assign`, 'bureau', { assignee: 'duty-officer' })
    expect(assigned.body.alarm).toMatchObject({
      state: 'assigned',
      assignedTo: 'duty-officer',
      assignedBy: 'bureau-1',
      assignedAt: '2026-03-01T23:13:00.000Z',
    })

    clock.set(new Date('2026-03-02T07:20:00+08:00'))
    const noted = await call('POST', `/api/alarms/${id}/notes`, 'bureau', { text: '  Called the driver.  ' })
    expect(noted).toMatchObject({
      status: 201,
      body: { note: { author: 'bureau-1', text: 'Called the driver.' } },
    })
    expect(
      (await call('POST', `/api/alarms/${id}/close`, 'bureau', { outcome: 'fixed', text: 'x' })).status,
    ).toBe(400)
    clock.set(new Date('2026-03-02T07:30:00+08:00'))
    const closed = await call('POST', `/api/alarms/${id}/close`, 'bureau', {
      outcome: 'resolved',
      text: 'The operator has warned the driver.',
    })
    expect(closed.body.alarm).toMatchObject({
      state: 'closed',
      closedBy: 'bureau-1',
      closedAt: '2026-03-01T23:30:00.000Z',
      outcome: 'resolved',
      closingText: 'The operator has warned the driver.',
      assignedTo: 'duty-officer',
    })
    for (const [path, body] of [
      ['acknowledge', undefined],
      ['notes', { text: 'too late' }],
      ['close', { outcome: 'duplicate', text: 'again' }],
      ['assign', { assignee: 'duty-officer' }],
    ] as const) {
      expect(await call('POST', `/api/alarms/${id}/${path}`, 'bureau', body)).toMatchObject({
        status: 409,
        body: { error: { code: 'conflict', reason: 'alarm_closed' } },
      })
    }

    const { body } = await call('GET', `/api/alarms/${id}`, 'bureau')
    expect(body.history.map((h: { action: string; actor: string }) => `${h.action}:${h.actor}`)).toEqual([
      'opened:platform',
      'acknowledged:bureau-1',
      'assigned:bureau-1',
      'closed:bureau-1',
    ])
    expect(body.notes).toEqual([
      {
        id: expect.any(Number),
        at: '2026-03-01T23:20:00.000Z',
        author: 'bureau-1',
        text: 'Called the driver.',
      },
    ])
    expect(taken()).toEqual([
      'acknowledged:over_speed:acknowledged',
      'assigned:over_speed:assigned',
      'noted:over_speed:assigned',
      'closed:over_speed:closed',
    ])
  })

  it('gives the case its evidence: where, the speed trace around the episode, the trip and the contacts', async () => {
    const { id } = await caseOf('over_speed')
    const { status, body } = await call('GET', `/api/alarms/${id}`, 'bureau')
    expect(status).toBe(200)
    const { evidence } = body
    expect(evidence.event).toMatchObject({ kind: 'over_speed', tripId: 'T1', details: { peakKmh: 74 } })
    expect(evidence.where).toEqual({
      lat: 30.183,
      lon: 121.393,
      ts: '2026-03-01T23:05:20.000Z',
      source: 'event',
    })
    // From a minute before the episode (07:04:00) to a minute after its end (07:06:40), every 5 s.
    const trace = evidence.speedTrace.points as { ts: string; speedKmh: number }[]
    expect(evidence.speedTrace).toMatchObject({
      from: '2026-03-01T23:04:00.000Z',
      to: '2026-03-01T23:06:40.000Z',
      truncated: false,
    })
    expect(trace).toHaveLength(33)
    expect(trace[0]!.ts).toBe('2026-03-01T23:04:00.000Z')
    expect(trace[trace.length - 1]!.ts).toBe('2026-03-01T23:06:40.000Z')
    expect(Math.max(...trace.map((p) => p.speedKmh))).toBe(72)
    expect(evidence.trip).toMatchObject({ id: 'T1', schoolId: 'S1', direction: 'to_school' })
    expect(evidence.trip.stops.map((s: { stopId: string }) => s.stopId)).toEqual(['ST1', 'ST2', 'ST-S1'])
    expect(evidence.bus).toMatchObject({ id: 'B1', plate: '浙B·10001' })
    expect(evidence.contacts).toEqual([
      { staffId: 'D1', role: 'driver', name: 'Driver One', phone: '13800000001', unit: null },
      { staffId: 'A1', role: 'attendant', name: 'Attendant One', phone: '13800000003', unit: null },
      { staffId: 'PC1', role: 'police', name: 'Officer One', phone: '13800000002', unit: 'Longshan station' },
    ])
  })

  it("shows a school its buses' cases and lets it work them, but not assign; nobody else sees any", async () => {
    await writeDerivedEvents(db, [
      {
        busId: 'B1',
        kind: 'limiter_disabled',
        ts: new Date('2026-03-02T07:15:00+08:00'),
        tripId: 'T1',
        details: {
          state: 'disabled',
          states: ['disabled'],
          limitKmh: 60,
          speedKmh: 30,
          endTs: null,
          durationS: null,
        },
      },
      {
        busId: 'B2',
        kind: 'over_speed',
        ts: new Date('2026-03-02T07:16:00+08:00'),
        tripId: 'T2',
        details: { ...overSpeed(null).details },
      },
    ])
    const mine = await call('GET', '/api/alarms', 'schoolS1')
    expect(mine.status).toBe(200)
    expect(mine.body.alarms.map((a: { kind: string; busId: string }) => `${a.busId}:${a.kind}`)).toEqual([
      'B1:limiter_disabled',
      'B1:over_speed',
    ])
    // Whatever schoolId it asks for, a school sees its own.
    expect((await call('GET', '/api/alarms?schoolId=S2', 'schoolS1')).body.alarms).toHaveLength(2)
    expect((await call('GET', '/api/alarms?schoolId=S2', 'bureau')).body.alarms).toHaveLength(1)
    const other = (await call('GET', '/api/alarms', 'schoolS2')).body.alarms[0]
    expect(other).toMatchObject({ busId: 'B2', schoolIds: ['S2'] })
    expect((await call('GET', `/api/alarms/${other.id}`, 'schoolS1')).status).toBe(403)
    expect((await call('POST', `/api/alarms/${other.id}/acknowledge`, 'schoolS1')).status).toBe(403)

    const limiter = mine.body.alarms[0]
    expect((await call('GET', `/api/alarms/${limiter.id}`, 'schoolS1')).status).toBe(200)
    expect(
      await call('POST', `/api/alarms/${limiter.id}/assign`, 'schoolS1', { assignee: 'duty-officer' }),
    ).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden' } },
    })
    expect(
      (await call('POST', `/api/alarms/${limiter.id}/notes`, 'schoolS1', { text: 'Asked the operator.' }))
        .status,
    ).toBe(201)
    const closed = await call('POST', `/api/alarms/${limiter.id}/close`, 'schoolS1', {
      outcome: 'equipment_fault',
      text: 'The limiter was repaired.',
    })
    expect(closed.body.alarm).toMatchObject({
      state: 'closed',
      acknowledgedBy: 'school-admin-1',
      closedBy: 'school-admin-1',
    })

    for (const caller of ['parentP1', 'attendantB1', 'deviceB1'] as const) {
      expect((await call('GET', '/api/alarms', caller)).status, caller).toBe(403)
      expect((await call('GET', `/api/alarms/${limiter.id}`, caller)).status, caller).toBe(403)
      expect((await call('POST', `/api/alarms/${other.id}/acknowledge`, caller)).status, caller).toBe(403)
      expect((await call('GET', '/api/alarm-kinds', caller)).status, caller).toBe(403)
    }
    expect((await call('GET', '/api/alarm-kinds', 'schoolS1')).status).toBe(403)
    await sendersStep()
    // The staff's changes in the order they made them, then the step's two new cases (in the order
    // their events were stored, which one multi-row insert does not fix).
    const pushes = taken()
    expect(pushes.slice(0, 2)).toEqual(['noted:limiter_disabled:open', 'closed:limiter_disabled:closed'])
    expect(pushes.slice(2).sort()).toEqual(['opened:limiter_disabled:closed', 'opened:over_speed:open'])
  })

  it('filters and pages the inbox', async () => {
    const open = await call('GET', '/api/alarms?state=open,acknowledged&severity=major', 'bureau')
    expect(open.body.alarms.map((a: { busId: string; kind: string }) => `${a.busId}:${a.kind}`)).toEqual([
      'B2:over_speed',
    ])
    const firstPage = await call('GET', '/api/alarms?limit=2', 'bureau')
    expect(firstPage.body.alarms).toHaveLength(2)
    const rest = await call('GET', `/api/alarms?limit=2&beforeId=${firstPage.body.nextBeforeId}`, 'bureau')
    expect(rest.body.alarms).toHaveLength(1)
    expect(rest.body.alarms[0].id).toBeLessThan(firstPage.body.nextBeforeId)
    const byTime = await call(
      'GET',
      '/api/alarms?busId=B1&from=2026-03-02T07:10:00%2B08:00&to=2026-03-02T08:00:00%2B08:00',
      'bureau',
    )
    expect(byTime.body.alarms.map((a: { kind: string }) => a.kind)).toEqual(['limiter_disabled'])
    expect((await call('GET', '/api/alarms?state=lost', 'bureau')).body.error.field).toMatch(/^query\.state/)
  })

  it('escalates a critical case nobody acknowledges once at its time and not before, across processes', async () => {
    await db.query(
      `INSERT INTO boarding_events (id, trip_id, service_date, pupil_id, action, stop_id, scanned_at, recorded_by)
       VALUES ($1, 'T1', '2026-03-02', 'P1', 'boarded', 'ST1', '2026-03-02T07:01:00+08:00', 'A1')`,
      [randomUUID()],
    )
    const alarms = createChildLeftOnBusAlarms({
      db,
      clock,
      log: createLogger({ level: 'silent' }),
      afterS: 300,
      publish: () => {},
    })
    await alarms.raise({
      busId: 'B1',
      tripId: 'T1',
      serviceDate: '2026-03-02',
      atMs: Date.parse('2026-03-02T07:25:00+08:00'),
      reason: 'trip_ended',
    })
    clock.set(new Date('2026-03-02T07:31:00+08:00'))
    await sendersStep()
    expect(taken()).toEqual(['opened:child_left_on_bus:open'])
    const alarm = await caseOf('child_left_on_bus')
    expect(alarm).toMatchObject({
      severity: 'critical',
      schoolIds: ['S1'],
      escalateAt: '2026-03-01T23:36:00.000Z',
    })

    // The school reads it but the bureau works it; an attendant's tap clears the screens, not the case.
    expect((await call('GET', `/api/alarms/${alarm.id}`, 'schoolS1')).status).toBe(200)
    expect(await call('POST', `/api/alarms/${alarm.id}/acknowledge`, 'schoolS1')).toMatchObject({
      status: 403,
      body: { error: { reason: 'alarm_bureau_only' } },
    })
    const key = { busId: 'B1', kind: 'child_left_on_bus', ts: '2026-03-02T07:25:00+08:00' }
    const tapped = await call('POST', '/api/events/acknowledge', 'attendantB1', key)
    expect(tapped.body).toMatchObject({ event: { acknowledgedBy: 'A1' }, alarm: { state: 'open' } })

    clock.set(new Date('2026-03-02T07:35:59+08:00'))
    await sendersStep()
    expect(taken()).toEqual([])
    clock.set(new Date('2026-03-02T07:36:00+08:00'))
    const steps = await sendersStep()
    expect(steps.reduce((sum, s) => sum + s.escalated, 0)).toBe(1)
    expect(changes.map((c) => [c.change, c.alarm.escalationLevel, c.alarm.schoolIds])).toEqual([
      ['escalated', 1, ['S1']],
    ])
    changes.length = 0
    await sendersStep()
    expect(taken()).toEqual([])

    // The bureau acknowledges: no more escalation. Each staff read of it, naming a pupil, is audited.
    clock.set(new Date('2026-03-02T07:37:00+08:00'))
    expect((await call('POST', `/api/alarms/${alarm.id}/acknowledge`, 'bureau')).body.alarm).toMatchObject({
      state: 'acknowledged',
      escalationLevel: 1,
    })
    clock.set(new Date('2026-03-02T08:30:00+08:00'))
    await sendersStep()
    expect(taken()).toEqual(['acknowledged:child_left_on_bus:acknowledged'])
    const read = await call('GET', `/api/alarms/${alarm.id}`, 'bureau')
    expect(read.body.evidence.event.details.pupils).toEqual([{ pupilId: 'P1', name: 'Pupil One' }])
    const audited = await db.query(
      `SELECT actor, action, detail FROM audit_log WHERE target = $1 ORDER BY id`,
      [`alarm/${alarm.id}`],
    )
    expect(audited).toEqual([
      {
        actor: 'school-admin-1',
        action: 'pupil_data_read',
        detail: { kind: 'child_left_on_bus', pupils: 1 },
      },
      { actor: 'bureau-1', action: 'pupil_data_read', detail: { kind: 'child_left_on_bus', pupils: 1 } },
    ])
  })

  it("acknowledges a terminal's SOS through its case or its event, and confirms it to the terminal once", async () => {
    const sos = {
      busId: 'B1',
      kind: 'terminal_sos' as const,
      ts: new Date('2026-03-02T08:00:00+08:00'),
      tripId: null,
      details: { alarm: 'sos' as const, lat: 30.18, lon: 121.39, speedKmh: 0, endTs: null, durationS: null },
    }
    await writeDerivedEvents(db, [sos])
    const alarm = await caseOf('terminal_sos')
    // No trip: the schools of the bus's Monday trips.
    expect(alarm).toMatchObject({ severity: 'critical', schoolIds: ['S1'], tripId: null })
    const acknowledged = await call('POST', `/api/alarms/${alarm.id}/acknowledge`, 'bureau')
    expect(acknowledged.body.alarm.state).toBe('acknowledged')
    const key = { busId: 'B1', kind: 'terminal_sos', ts: '2026-03-02T08:00:00+08:00' }
    expect((await call('POST', '/api/events/acknowledge', 'bureau', key)).status).toBe(200)
    const commands = await db.query(
      `SELECT kind, params, created_by FROM terminal_commands WHERE bus_id = 'B1'`,
    )
    expect(commands).toEqual([{ kind: 'alarm_confirm', params: { alarms: ['sos'] }, created_by: 'bureau-1' }])

    // Through the event: the case follows for the bureau.
    const again = { ...sos, ts: new Date('2026-03-02T08:10:00+08:00') }
    await writeDerivedEvents(db, [again])
    const viaEvent = await call('POST', '/api/events/acknowledge', 'bureau', {
      ...key,
      ts: '2026-03-02T08:10:00+08:00',
    })
    expect(viaEvent.body).toMatchObject({
      event: { acknowledgedBy: 'bureau-1' },
      alarm: { state: 'acknowledged' },
    })
    expect(await db.query(`SELECT count(*)::int AS n FROM terminal_commands WHERE bus_id = 'B1'`)).toEqual([
      { n: 2 },
    ])
  })

  it('keeps the catalogue, edited by the bureau with validation and an audit trail', async () => {
    const { body } = await call('GET', '/api/alarm-kinds', 'bureau')
    expect(body.kinds).toContainEqual(
      expect.objectContaining({ kind: 'child_left_on_bus', severity: 'critical', escalateAfterMin: 5 }),
    )
    expect(body.kinds).toContainEqual(
      expect.objectContaining({ kind: 'over_speed', severity: 'major', escalateAfterMin: null }),
    )
    expect(body.kinds).toContainEqual(
      expect.objectContaining({ kind: 'trip_late', severity: 'major', escalateAfterMin: null }),
    )
    // A kind the catalogue does not hold yet, added by the bureau.
    expect(
      await call('PUT', '/api/alarm-kinds/trip_early', 'bureau', { severity: 'critical' }),
    ).toMatchObject({
      status: 400,
      body: { error: { field: 'body.escalateAfterMin' } },
    })
    expect(
      (await call('PUT', '/api/alarm-kinds/trip_early', 'bureau', { severity: 'minor', escalateAfterMin: 5 }))
        .status,
    ).toBe(400)
    expect((await call('PUT', '/api/alarm-kinds/Trip-Early', 'bureau', { severity: 'minor' })).status).toBe(
      400,
    )
    expect((await call('PUT', '/api/alarm-kinds/trip_early', 'schoolS1', { severity: 'minor' })).status).toBe(
      403,
    )
    const saved = await call('PUT', '/api/alarm-kinds/trip_early', 'bureau', { severity: 'minor' })
    expect(saved.body.kind).toMatchObject({
      kind: 'trip_early',
      severity: 'minor',
      escalateAfterMin: null,
      updatedBy: 'bureau-1',
    })
    await call('PUT', '/api/alarm-kinds/trip_early', 'bureau', { severity: 'critical', escalateAfterMin: 15 })

    await writeDerivedEvents(db, [
      {
        busId: 'B2',
        kind: 'terminal_silent',
        ts: new Date('2026-03-02T09:00:00+08:00'),
        tripId: 'T2',
        details: { lastReportTs: null, thresholdS: 120, endTs: null, silentS: null },
      },
    ])
    await db.query(
      `INSERT INTO events (bus_id, kind, ts, trip_id) VALUES ('B2', 'trip_early', '2026-03-02T09:01:00+08:00', 'T2')`,
    )
    expect(await caseOf('trip_early')).toMatchObject({ severity: 'critical', schoolIds: ['S2'] })

    expect((await call('DELETE', '/api/alarm-kinds/trip_early', 'bureau')).body.removed).toMatchObject({
      kind: 'trip_early',
    })
    expect((await call('DELETE', '/api/alarm-kinds/trip_early', 'bureau')).status).toBe(404)
    await db.query(
      `INSERT INTO events (bus_id, kind, ts, trip_id) VALUES ('B2', 'trip_early', '2026-03-02T09:02:00+08:00', 'T2')`,
    )
    expect((await call('GET', '/api/alarms?kind=trip_early', 'bureau')).body.alarms).toHaveLength(1)

    const trail = await db.query<{ actor: string; detail: unknown }>(
      `SELECT actor, detail FROM audit_log WHERE action = 'alarm_kind_changed' ORDER BY id`,
    )
    expect(trail).toEqual([
      { actor: 'bureau-1', detail: { before: null, after: { severity: 'minor', escalateAfterMin: null } } },
      {
        actor: 'bureau-1',
        detail: {
          before: { severity: 'minor', escalateAfterMin: null },
          after: { severity: 'critical', escalateAfterMin: 15 },
        },
      },
      { actor: 'bureau-1', detail: { before: { severity: 'critical', escalateAfterMin: 15 }, after: null } },
    ])
  })

  it('sends a case to the bureau and the schools it concerns, never to parents or attendants', () => {
    const sentTo: string[][] = []
    const rooms = createRoomPublishing((to) => sentTo.push([to].flat()))
    rooms.publishAlarmCase({ change: 'opened', alarm: { schoolIds: ['S1', 'S2'] } as never })
    expect(sentTo).toEqual([['bureau', 'school:S1', 'school:S2']])
    expect(published.length).toBeGreaterThan(0)
  })
})
