import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import type { HttpApp } from '../server/http/create-http-app.js'
import { writeDerivedEvents } from '../workers/events/write-derived-events.js'
import { loadTwoSchoolsTwoBuses } from './scenarios/two-schools-two-buses.js'
import { callApi, createScenarioApi } from './support/call-api.js'
import { storeBackends, type TestDatabase } from './support/store-backends.js'
import { settableClock, type ScenarioCaller } from './support/test-platform-parts.js'

/**
 * The console's fleet state over a real store: each bus's state from its trip, its reports and its
 * events (late by the live ETA, or by the stop events without one; off its approved path; parked),
 * with its next call, pupils on board, crew, device health and open cases; the bureau sees every
 * bus, a school the buses serving it, and nobody else any.
 */
describe.each(storeBackends())('the fleet state on $name', (backend) => {
  let store: TestDatabase
  let db: Database
  const clock = settableClock(new Date('2026-03-02T07:12:00+08:00'))
  /** With a live part: B1's ETA for its trip T1, as the live channel last sent it. */
  let withLive: { app: HttpApp; tokens: Record<ScenarioCaller, string> }
  /** Without one: the stop events are all there is. */
  let withoutLive: { app: HttpApp; tokens: Record<ScenarioCaller, string> }

  const get = (api: typeof withLive, path: string, caller: ScenarioCaller) =>
    callApi(api.app, 'GET', path, api.tokens[caller])
  const busOf = (body: Record<string, unknown>, busId: string) =>
    (body.buses as { busId: string }[]).find((bus) => bus.busId === busId) as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

  beforeAll(async () => {
    store = await backend.open()
    db = store.db
    await migrateDatabase(db)
    await loadTwoSchoolsTwoBuses(db)
    const local = (time: string) => `2026-03-02T${time}+08:00`
    await db.exec(`
      INSERT INTO buses (id, plate, town_id, kind, seats, operator) VALUES
        ('B3', '浙B·10003', 'longshan', 'school_bus', 19, 'Test operator');
      INSERT INTO staff (id, role, name, bus_id) VALUES ('D1', 'driver', 'Driver One', 'B1');
      INSERT INTO positions (bus_id, ts, lat, lon, speed_kmh, heading_deg, ignition, accuracy_m, terminal) VALUES
        ('B1', '${local('07:11:55')}', 30.186, 121.396, 32, 90, true, 5, NULL),
        ('B2', '${local('07:11:50')}', 30.188, 121.380, 28, 180, true, 8,
         '{"satellites": 9, "alarms": ["power_low"], "video": {"blockedChannels": [2]}}'),
        ('B3', '${local('06:30:00')}', 30.170, 121.410, 0, NULL, false, NULL, NULL);
      INSERT INTO limiter_states (bus_id, ts, limit_kmh, state) VALUES
        ('B1', '${local('06:50:00')}', 60, 'disabled'), ('B2', '${local('06:50:00')}', 60, 'active');
      INSERT INTO staff_accounts (id, username, display_name, role, school_id, password_hash, created_at, updated_at, disabled_at)
      VALUES
        ('acc-1', 'duty-officer', 'Duty officer', 'bureau', NULL, 'x', now(), now(), NULL),
        ('acc-2', 'school-admin-1', 'School one', 'school', 'S1', 'x', now(), now(), NULL),
        ('acc-3', 'retired', 'Retired', 'bureau', NULL, 'x', now(), now(), now());
    `)
    await db.query(
      `INSERT INTO boarding_events (id, trip_id, service_date, pupil_id, action, stop_id, scanned_at, recorded_by)
       VALUES ($1, 'T1', '2026-03-02', 'P1', 'boarded', 'ST1', $2, 'A1')`,
      [randomUUID(), local('07:03:40')],
    )
    // B1 left its first call three minutes late; B2 left its approved path and is not back on it.
    await writeDerivedEvents(db, [
      {
        busId: 'B1',
        kind: 'stop_departure',
        ts: new Date(local('07:04:00')),
        tripId: 'T1',
        details: { stopId: 'ST1', seq: 1, arrivalTs: local('07:03:30'), dwellS: 30 },
      },
      {
        busId: 'B2',
        kind: 'route_off_corridor',
        ts: new Date(local('07:11:00')),
        tripId: 'T2',
        details: {
          corridorM: 150,
          left: { ts: local('07:11:00'), lat: 30.187, lon: 121.39, alongM: 800 },
          rejoined: null,
          stretch: [],
          offKm: 0.9,
          maxOffM: 900,
          durationS: 50,
          seenOffS: 50,
          endTs: null,
        },
      },
      {
        busId: 'B2',
        kind: 'terminal_power_low',
        ts: new Date(local('07:10:00')),
        tripId: 'T2',
        details: { alarm: 'power_low', lat: 30.187, lon: 121.39, speedKmh: 30, endTs: null, durationS: null },
      },
    ])
    const liveSnapshot = async (busId: string) =>
      busId === 'B1'
        ? {
            busId,
            position: null,
            tripId: 'T1',
            eta: {
              status: 'on_route',
              lastReportTs: local('07:11:55'),
              progressM: 1200,
              nextSeq: 2,
              stops: [
                { seq: 1, stopId: 'ST1', etaTs: local('07:03:30'), etaS: null, passed: true },
                { seq: 2, stopId: 'ST2', etaTs: local('07:12:00'), etaS: 5, passed: false },
                { seq: 3, stopId: 'ST-S1', etaTs: local('07:24:00'), etaS: 725, passed: false },
              ],
            },
          }
        : { busId, position: null, tripId: null, eta: null }
    withLive = await createScenarioApi(db, clock, { liveSnapshot })
    withoutLive = await createScenarioApi(db, clock)
  })
  afterAll(async () => {
    await store?.dispose()
  })

  it('gives the bureau every bus with its state, trip, crew, equipment and open cases', async () => {
    const { status, body } = await get(withLive, '/api/fleet/state', 'bureau')
    expect(status).toBe(200)
    expect(body.buses.map((bus: { busId: string }) => bus.busId)).toEqual(['B1', 'B2', 'B3'])
    expect(body.date).toBe('2026-03-02')
    expect(body.counts).toEqual({ on_time: 1, late: 0, off_route: 1, deadhead: 0, parked: 1, silent: 0 })
    expect(body.towns).toEqual([{ id: 'longshan', nameZh: '龙山', nameEn: 'Longshan' }])
    expect(body.schools.map((school: { id: string }) => school.id)).toEqual(['S1', 'S2'])

    // B1: 4 minutes behind at its next call by the live ETA, under the 5 that make a bus late.
    const b1 = busOf(body, 'B1')
    expect(b1).toMatchObject({
      plate: '浙B·10001',
      townId: 'longshan',
      schoolIds: ['S1'],
      state: 'on_time',
      position: { lat: 30.186, lon: 121.396, speedKmh: 32, headingDeg: 90, ignition: true },
      trip: {
        id: 'T1',
        schoolId: 'S1',
        direction: 'to_school',
        nextCall: {
          seq: 2,
          stopId: 'ST2',
          nameZh: '二号站',
          plannedAt: '2026-03-01T23:08:00.000Z',
          expectedAt: '2026-03-01T23:12:00.000Z',
        },
        lateS: 240,
        lateSource: 'eta',
        pupilsOnBoard: 1,
      },
      crew: { driver: 'Driver One', attendant: 'Attendant One' },
      openCases: 0,
    })
    expect(b1.device).toMatchObject({
      gps: { state: 'ok', lastReportTs: '2026-03-01T23:11:55.000Z', accuracyM: 5, satellites: null },
      limiter: { state: 'off', limitKmh: 60 },
      video: { state: 'unknown' },
      power: { state: 'ok' },
    })
    expect(['red', 'amber', 'ok']).toContain(b1.compliance.bus)

    // B2: off its approved path; its terminal says a camera is blocked and its power is low.
    const b2 = busOf(body, 'B2')
    expect(b2).toMatchObject({ state: 'off_route', trip: { id: 'T2', pupilsOnBoard: 0 } })
    expect(b2.device).toMatchObject({
      gps: { state: 'ok', satellites: 9 },
      limiter: { state: 'on' },
      video: { state: 'fault', faults: ['video_blocked'], channels: [2] },
      power: { state: 'low' },
    })
    // Both episodes open a case each (route and power are in the alarm catalogue).
    expect(b2.openCases).toBe(2)

    // B3 runs no trip and stands with its engine off.
    expect(busOf(body, 'B3')).toMatchObject({ state: 'parked', trip: null, schoolIds: [], openCases: 0 })
  })

  it('without a live ETA, judges lateness by the stop events and the timetable', async () => {
    clock.set(new Date('2026-03-02T07:13:30+08:00'))
    try {
      // T1's second call was due at 07:08 and B1 has not reached it: at least 5½ minutes late.
      const { body } = await get(withoutLive, '/api/fleet/state', 'bureau')
      expect(busOf(body, 'B1')).toMatchObject({
        state: 'late',
        trip: { lateS: 330, lateSource: 'timetable', nextCall: { seq: 2, expectedAt: null } },
      })
      // At 07:15 its last report, at 07:11:55, is 185 s old: past the silence rule on a trip.
      clock.set(new Date('2026-03-02T07:15:00+08:00'))
      const later = await get(withLive, '/api/fleet/state', 'bureau')
      expect(busOf(later.body, 'B1').state).toBe('silent')
      expect(busOf(later.body, 'B1').device.gps.state).toBe('stale')
    } finally {
      clock.set(new Date('2026-03-02T07:12:00+08:00'))
    }
  })

  it('shows a school the buses serving it and nobody else any', async () => {
    const school = await get(withLive, '/api/fleet/state', 'schoolS1')
    expect(school.status).toBe(200)
    expect(school.body.buses.map((bus: { busId: string }) => bus.busId)).toEqual(['B1'])
    expect(school.body.schools.map((s: { id: string }) => s.id)).toEqual(['S1'])
    expect(school.body.counts.off_route).toBe(0)
    for (const caller of ['attendantB1', 'parentP1', 'deviceB1'] as const)
      expect((await get(withLive, '/api/fleet/state', caller)).status).toBe(403)
  })

  it("gives a bus's events of the day, oldest first, in the caller's scope", async () => {
    const day = await get(withLive, '/api/fleet/buses/B2/day', 'bureau')
    expect(day.status).toBe(200)
    expect(day.body).toMatchObject({ busId: 'B2', date: '2026-03-02', from: '2026-03-01T16:00:00.000Z' })
    expect(day.body.events.map((e: { kind: string }) => e.kind)).toEqual([
      'terminal_power_low',
      'route_off_corridor',
    ])
    expect((await get(withLive, '/api/fleet/buses/B1/day', 'schoolS1')).body.events).toHaveLength(1)
    expect((await get(withLive, '/api/fleet/buses/B2/day', 'schoolS1')).status).toBe(403)
    expect((await get(withLive, '/api/fleet/buses/B1/day', 'attendantB1')).status).toBe(403)
  })

  it('names the active accounts a case may go to, to the bureau only', async () => {
    const { status, body } = await get(withLive, '/api/fleet/assignees', 'bureau')
    expect(status).toBe(200)
    expect(body.assignees).toEqual([
      { username: 'duty-officer', displayName: 'Duty officer', role: 'bureau', schoolId: null },
      { username: 'school-admin-1', displayName: 'School one', role: 'school', schoolId: 'S1' },
    ])
    expect((await get(withLive, '/api/fleet/assignees', 'schoolS1')).status).toBe(403)
  })
})
