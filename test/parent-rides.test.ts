import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { HttpApp } from '../server/http/create-http-app.js'
import type { Database } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { openPgliteDatabase } from '../server/core/store/pglite-database.js'
import { callApi, createScenarioApi } from './support/call-api.js'
import { loadTwoSchoolsTwoBuses, scenario } from './scenarios/two-schools-two-buses.js'
import { createTestAccess, settableClock, type ScenarioCaller } from './support/test-platform-parts.js'

/** The parents' API over a real database: the ride, the scans that reach them, a change of bus. */
let db: Database
let app: HttpApp
const clock = settableClock(scenario.monday0710)
const notices: { pupilId: string; payload: Record<string, unknown> }[] = []
let tokens: Record<ScenarioCaller, string>
/** P1's second guardian, whose phone never listened to the live channel in these tests. */
let secondGuardianP1: string

const call = (method: string, path: string, caller: ScenarioCaller, body?: unknown) =>
  callApi(app, method, path, tokens[caller], body)
const scan = (fields: Record<string, unknown>) => ({
  id: randomUUID(),
  pupilId: 'P1',
  action: 'boarded',
  stopId: 'ST1',
  scannedAt: '2026-03-02T07:01:00+08:00',
  ...fields,
})

beforeAll(async () => {
  db = await openPgliteDatabase()
  await migrateDatabase(db)
  await loadTwoSchoolsTwoBuses(db)
  ;({ app, tokens } = await createScenarioApi(db, clock, {
    notifyParents: (pupilId, _event, payload) =>
      notices.push({ pupilId, payload: payload as Record<string, unknown> }),
  }))
  await db.exec(`INSERT INTO guardians (id, name) VALUES ('G3', 'Guardian Three');
                 INSERT INTO pupil_guardians (pupil_id, guardian_id) VALUES ('P1', 'G3')`)
  secondGuardianP1 = await createTestAccess(db, clock).tokens.issue(
    { role: 'parent', sub: 'G3', pupilIds: ['P1'] },
    { ttlS: 7 * 86400 },
  )
})
afterAll(() => db.close())
beforeEach(async () => {
  clock.set(scenario.monday0710)
  notices.length = 0
  await db.exec(
    `DELETE FROM boarding_events; DELETE FROM trip_bus_changes; UPDATE trips SET bus_id = 'B1' WHERE id = 'T1'`,
  )
})

describe('a parent’s ride', () => {
  it('gives the running trip with the child’s stops and the road, and no other pupil', async () => {
    const { status, body } = await call('GET', '/api/pupils/P1/ride', 'parentP1')
    expect(status).toBe(200)
    expect(body.pupil).toEqual({ id: 'P1', name: 'Pupil One', schoolName: '龙山小学' })
    expect(body.ride).toMatchObject({
      tripId: 'T1',
      date: '2026-03-02',
      direction: 'to_school',
      busId: 'B1',
      plate: '浙B·10001',
      boardStop: { seq: 1, stopId: 'ST1', scheduledTime: '07:00' },
      alightStop: { seq: 3, stopId: 'ST-S1', scheduledTime: '07:20' },
      visibleFrom: '2026-03-01T22:45:00.000Z',
      visibleUntil: '2026-03-02T00:20:00.000Z',
      live: true,
    })
    const stopIds = (ride: { stops: { stopId: string }[] }) => ride.stops.map((s) => s.stopId)
    expect(stopIds(body.ride)).toEqual(['ST1', 'ST-S1'])
    expect(stopIds((await call('GET', '/api/pupils/P1/ride', 'attendantB1')).body.ride)).toEqual([
      'ST1',
      'ST2',
      'ST-S1',
    ])
    expect(body.ride.route.type).toBe('LineString')
    expect(JSON.stringify(body)).not.toContain('Pupil Two')
  })

  it('points to the next school day’s trip when none is left today', async () => {
    clock.set(new Date('2026-03-06T18:00:00+08:00'))
    const { body } = await call('GET', '/api/pupils/P1/ride', 'parentP1')
    expect(body).toMatchObject({
      ride: null,
      nextRide: { tripId: 'T1', date: '2026-03-09', scheduledTime: '07:00' },
    })
  })

  it('says the bus is not live before the watching window opens', async () => {
    clock.set(new Date('2026-03-02T06:30:00+08:00'))
    expect((await call('GET', '/api/pupils/P1/ride', 'parentP1')).body.ride.live).toBe(false)
    expect((await call('GET', '/api/buses/B1/live', 'parentP1')).status).toBe(403)
  })

  it('refuses another child’s ride and another bus’s live state', async () => {
    expect((await call('GET', '/api/pupils/P2/ride', 'parentP1')).status).toBe(403)
    expect((await call('GET', '/api/buses/B2/live', 'parentP1')).status).toBe(403)
  })
})

describe('boarding scans', () => {
  it('stores a scan once, however often it is sent, and tells the child’s parents once', async () => {
    const first = scan({})
    const stored = await call('POST', '/api/trips/T1/boardings', 'attendantB1', first)
    expect(stored.status).toBe(201)
    const again = await call('POST', '/api/trips/T1/boardings', 'attendantB1', first)
    expect(again).toMatchObject({ status: 200, body: { duplicate: true, boarding: { id: first.id } } })
    expect(notices).toEqual([
      {
        pupilId: 'P1',
        payload: expect.objectContaining({
          kind: 'boarded',
          tripId: 'T1',
          stopId: 'ST1',
          stopName: '一号站',
        }),
      },
    ])
    const off = await call('POST', '/api/trips/T1/boardings', 'attendantB1', {
      ...scan({ action: 'alighted', stopId: 'ST-S1', scannedAt: '2026-03-02T07:09:00+08:00' }),
    })
    expect(off.status).toBe(201)
    expect(notices.map((n) => n.payload.kind)).toEqual(['boarded', 'alighted'])
    const [{ count }] = await db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM boarding_events`,
    )
    expect(count).toBe(2)
  })

  it('answers each bad scan clearly and stores nothing', async () => {
    await call('POST', '/api/trips/T1/boardings', 'attendantB1', scan({}))
    const cases: [ScenarioCaller, string, Record<string, unknown>, number, string?][] = [
      ['attendantB1', '/api/trips/T1/boardings', scan({ pupilId: 'P2' }), 422, 'body.pupilId'],
      ['attendantB1', '/api/trips/T1/boardings', scan({ pupilId: 'nobody' }), 422, 'body.pupilId'],
      [
        'attendantB1',
        '/api/trips/T1/boardings',
        scan({ scannedAt: '2026-03-02T08:00:00+08:00' }),
        400,
        'body.scannedAt',
      ],
      ['attendantB1', '/api/trips/T1/boardings', scan({ scannedAt: 'yesterday' }), 400, 'body.scannedAt'],
      ['attendantB1', '/api/trips/T1/boardings', scan({ id: 'not-a-uuid' }), 400, 'body.id'],
      ['attendantB1', '/api/trips/T1/boardings', scan({ stopId: 'ST-S2' }), 422, 'body.stopId'],
      ['attendantB1', '/api/trips/T1/boardings', scan({ scannedAt: '2026-03-02T07:05:00+08:00' }), 409],
      ['attendantB1', '/api/trips/T1/boardings', scan({ scannedAt: '2026-03-01T07:05:00+08:00' }), 422],
      ['attendantB1', '/api/trips/T9/boardings', scan({}), 404],
      ['attendantB2', '/api/trips/T1/boardings', scan({}), 403],
      ['parentP1', '/api/trips/T1/boardings', scan({}), 403],
      ['bureau', '/api/trips/T1/boardings', scan({}), 403],
    ]
    for (const [caller, path, body, status, field] of cases) {
      const answer = await call('POST', path, caller, body)
      expect(answer.status, JSON.stringify({ caller, body, answer: answer.body })).toBe(status)
      if (field) expect(answer.body.error.field).toBe(field)
    }
    const [{ count }] = await db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM boarding_events`,
    )
    expect(count).toBe(1)
    expect(notices).toHaveLength(1)
  })
})

describe('the child’s scans on the ride', () => {
  it('gives a phone opened later the child’s own scans of today’s trip, where and when, as the notices said', async () => {
    expect((await call('GET', '/api/pupils/P1/ride', 'parentP1')).body.ride.boardings).toEqual([])
    await call('POST', '/api/trips/T1/boardings', 'attendantB1', scan({}))
    clock.set(new Date('2026-03-02T07:09:30+08:00'))
    await call(
      'POST',
      '/api/trips/T1/boardings',
      'attendantB1',
      scan({ action: 'alighted', stopId: 'ST-S1', scannedAt: '2026-03-02T07:09:00+08:00' }),
    )
    // Another pupil's scan on the same trip, as the store may hold: never shown to P1's parents.
    await db.exec(`INSERT INTO boarding_events (id, trip_id, service_date, pupil_id, action, stop_id, scanned_at, recorded_by)
      VALUES ('${randomUUID()}', 'T1', '2026-03-02', 'P2', 'boarded', 'ST2', '2026-03-02T07:05:00+08:00', 'A1')`)

    const { status, body } = await call('GET', '/api/pupils/P1/ride', 'parentP1')
    expect(status).toBe(200)
    expect(body.ride.boardings).toEqual([
      {
        action: 'boarded',
        ts: '2026-03-01T23:01:00.000Z',
        stopId: 'ST1',
        stopName: '一号站',
        lat: expect.any(Number),
        lon: expect.any(Number),
      },
      {
        action: 'alighted',
        ts: '2026-03-01T23:09:00.000Z',
        stopId: 'ST-S1',
        stopName: expect.any(String),
        lat: expect.any(Number),
        lon: expect.any(Number),
      },
    ])
    // The same instants as the live notices, so that a page holding both shows each once.
    expect(notices.map((n) => n.payload.ts)).toEqual(body.ride.boardings.map((b: { ts: string }) => b.ts))
    expect(JSON.stringify(body)).not.toContain('P2')
    expect(JSON.stringify(body)).not.toContain('ST2')
    expect((await call('GET', '/api/pupils/P1/ride', 'parentP2')).status).toBe(403)
  })

  it('gives none of an earlier day’s scans', async () => {
    await db.exec(`INSERT INTO boarding_events (id, trip_id, service_date, pupil_id, action, stop_id, scanned_at, recorded_by)
      VALUES ('${randomUUID()}', 'T1', '2026-02-27', 'P1', 'boarded', 'ST1', '2026-02-27T07:01:00+08:00', 'A1')`)
    expect((await call('GET', '/api/pupils/P1/ride', 'parentP1')).body.ride.boardings).toEqual([])
  })
})

describe('a change of bus', () => {
  it('moves the trip to another bus and tells its pupils’ parents', async () => {
    const changed = await call('PATCH', '/api/trips/T1', 'bureau', { busId: 'B2' })
    expect(changed).toMatchObject({ status: 200, body: { trip: { id: 'T1', busId: 'B2' } } })
    expect(notices).toEqual([
      {
        pupilId: 'P1',
        payload: expect.objectContaining({ kind: 'bus_changed', busId: 'B1', newBusId: 'B2' }),
      },
    ])
    // The parent now watches the new bus, and no longer the old one.
    expect((await call('GET', '/api/buses/B2/live', 'parentP1')).status).toBe(200)
    expect((await call('GET', '/api/buses/B1/live', 'parentP1')).status).toBe(403)
    await call('PATCH', '/api/trips/T1', 'bureau', { busId: 'B1' })
  })

  it('is the bureau’s to make, to a bus that exists', async () => {
    expect((await call('PATCH', '/api/trips/T1', 'schoolS1', { busId: 'B2' })).status).toBe(403)
    expect((await call('PATCH', '/api/trips/T1', 'parentP1', { busId: 'B2' })).status).toBe(403)
    const unknown = await call('PATCH', '/api/trips/T1', 'bureau', { busId: 'B9' })
    expect(unknown).toMatchObject({ status: 422, body: { error: { field: 'body.busId' } } })
    expect((await call('PATCH', '/api/trips/T1', 'bureau', {})).body.error.field).toBe('body.busId')
    expect(notices).toEqual([])
  })
})

describe('the notices of a change of bus', () => {
  const rideOf = async (pupilId: string, token: string) =>
    callApi(app, 'GET', `/api/pupils/${pupilId}/ride`, token)

  it('are kept, so that a guardian who was not listening reads them from the ride, and no other parent', async () => {
    expect((await rideOf('P1', secondGuardianP1)).body.notices).toEqual([])
    clock.set(new Date('2026-03-02T06:50:00+08:00'))
    expect((await call('PATCH', '/api/trips/T1', 'bureau', { busId: 'B2' })).status).toBe(200)
    const live = notices.map((n) => n.payload)
    expect(live).toEqual([
      {
        kind: 'bus_changed',
        pupilId: 'P1',
        tripId: 'T1',
        date: '2026-03-02',
        ts: '2026-03-01T22:50:00.000Z',
        busId: 'B1',
        plate: '浙B·10001',
        newBusId: 'B2',
        newPlate: '浙B·10002',
      },
    ])

    clock.set(scenario.monday0710)
    const { status, body } = await rideOf('P1', secondGuardianP1)
    expect(status).toBe(200)
    expect(body.ride).toMatchObject({ tripId: 'T1', busId: 'B2', plate: '浙B·10002' })
    // The same instant as the live notice, so that a page holding both shows it once.
    const { pupilId: _, ...asLive } = live[0]!
    expect(body.notices).toEqual([asLive])
    expect((await call('GET', '/api/pupils/P1/ride', 'parentP1')).body.notices).toEqual([asLive])

    // Another pupil's parent: nothing of P1's trip, and no way to ask for it.
    const other = await call('GET', '/api/pupils/P2/ride', 'parentP2')
    expect(other.status).toBe(200)
    expect(other.body.notices).toEqual([])
    expect(JSON.stringify(other.body)).not.toContain('T1')
    expect((await call('GET', '/api/pupils/P1/ride', 'parentP2')).status).toBe(403)

    const [stored] = await db.query<{ changedBy: string; serviceDate: string }>(
      `SELECT changed_by AS "changedBy", to_char(service_date, 'YYYY-MM-DD') AS "serviceDate" FROM trip_bus_changes`,
    )
    expect(stored).toEqual({ changedBy: 'bureau-1', serviceDate: '2026-03-02' })
  })

  it('list every change of the day, oldest first, and none of another day', async () => {
    await call('PATCH', '/api/trips/T1', 'bureau', { busId: 'B2' })
    clock.set(new Date('2026-03-02T07:12:00+08:00'))
    await call('PATCH', '/api/trips/T1', 'bureau', { busId: 'B1' })
    const { body } = await call('GET', '/api/pupils/P1/ride', 'parentP1')
    expect(body.notices.map((n: { newBusId: string }) => n.newBusId)).toEqual(['B2', 'B1'])
    expect(body.notices.map((n: { ts: string }) => n.ts)).toEqual(notices.map((n) => n.payload.ts))

    clock.set(new Date('2026-03-03T07:10:00+08:00'))
    const tuesday = await call('GET', '/api/pupils/P1/ride', 'parentP1')
    expect(tuesday.body.ride).toMatchObject({ tripId: 'T1', date: '2026-03-03' })
    expect(tuesday.body.notices).toEqual([])
  })

  it('are for the next day the trip runs when made after it ended, told that evening and that morning', async () => {
    clock.set(new Date('2026-03-02T21:00:00+08:00'))
    await call('PATCH', '/api/trips/T1', 'bureau', { busId: 'B2' })
    expect(notices[0]!.payload).toMatchObject({ date: '2026-03-03', ts: '2026-03-02T13:00:00.000Z' })
    const evening = await call('GET', '/api/pupils/P1/ride', 'parentP1')
    expect(evening.body).toMatchObject({ ride: null, nextRide: { tripId: 'T1', date: '2026-03-03' } })
    expect(evening.body.notices).toMatchObject([{ kind: 'bus_changed', date: '2026-03-03', newBusId: 'B2' }])

    clock.set(new Date('2026-03-03T07:10:00+08:00'))
    const morning = await rideOf('P1', secondGuardianP1)
    expect(morning.body.ride).toMatchObject({ busId: 'B2', date: '2026-03-03' })
    expect(morning.body.notices).toMatchObject([{ date: '2026-03-03', newPlate: '浙B·10002' }])

    clock.set(new Date('2026-03-04T07:10:00+08:00'))
    expect((await call('GET', '/api/pupils/P1/ride', 'parentP1')).body.notices).toEqual([])
  })
})
