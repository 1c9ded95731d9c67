import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { ChildLeftOnBusAlarm } from '../server/core/alarms/child-left-on-bus-alarm.js'
import { createChildLeftOnBusAlarms } from '../server/alarms/child-left-on-bus.js'
import {
  createPupilsNotBoardedReports,
  type PupilsNotBoardedReport,
} from '../server/alarms/report-pupils-not-boarded.js'
import { createHttpApp, type HttpApp } from '../server/http/create-http-app.js'
import { createLogger } from '../server/core/log/logger.js'
import type { Database } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { openPgliteDatabase } from '../server/core/store/pglite-database.js'
import { callApi } from './support/call-api.js'
import { loadTwoSchoolsTwoBuses, scenario } from './scenarios/two-schools-two-buses.js'
import {
  createTestAccess,
  scenarioPrincipals,
  settableClock,
  type ScenarioCaller,
} from './support/test-platform-parts.js'

/**
 * The attendant's API over a real database, on a clock the test sets: the day's trips, scans by
 * code, the end of a trip with the empty-bus check, the child-left-on-bus alarm from telemetry and
 * its acknowledgement, pupils not boarded, and ridership.
 */
const log = createLogger({ level: 'silent' })
let db: Database
let app: HttpApp
const clock = settableClock(scenario.monday0710)
const tokens: Partial<Record<ScenarioCaller, string>> = {}
const sent: { alarms: ChildLeftOnBusAlarm[]; events: unknown[] } = { alarms: [], events: [] }
let alarms: ReturnType<typeof createChildLeftOnBusAlarms>

const call = (method: string, path: string, caller: ScenarioCaller, body?: unknown) =>
  callApi(app, method, path, tokens[caller], body)
const scan = (fields: Record<string, unknown>) =>
  call('POST', '/api/trips/T1/boardings', 'attendantB1', {
    id: randomUUID(),
    action: 'boarded',
    stopId: 'ST1',
    scannedAt: '2026-03-02T07:01:00+08:00',
    ...fields,
  })

beforeAll(async () => {
  db = await openPgliteDatabase()
  await migrateDatabase(db)
  await loadTwoSchoolsTwoBuses(db)
  const { tokens: issuer, access, sessions, audit } = createTestAccess(db, clock)
  alarms = createChildLeftOnBusAlarms({ db, clock, log, afterS: 300, publish: (a) => sent.alarms.push(a) })
  app = createHttpApp({
    deps: { db, access, clock, sessions, audit, alarms, publishEvent: (e) => sent.events.push(e) },
    tokens: issuer,
    health: async () => ({ status: 'ok', parts: {} }),
    log,
  })
  for (const caller of Object.keys(scenarioPrincipals) as ScenarioCaller[])
    tokens[caller] = await issuer.issue(scenarioPrincipals[caller], { ttlS: 7 * 86400 })
})
afterAll(() => db.close())
beforeEach(async () => {
  clock.set(scenario.monday0710)
  sent.alarms.length = 0
  sent.events.length = 0
  await db.exec(`DELETE FROM boarding_events; DELETE FROM trip_runs; DELETE FROM events;
                 DELETE FROM positions WHERE ts > '2026-03-02T07:10:00+08:00'`)
})

describe('the attendant’s day', () => {
  it('lists the bus’s trips with the one running now', async () => {
    const { status, body } = await call('GET', '/api/buses/B1/today', 'attendantB1')
    expect(status).toBe(200)
    expect(body).toEqual({
      busId: 'B1',
      plate: '浙B·10001',
      date: '2026-03-02',
      trips: [
        {
          tripId: 'T1',
          direction: 'to_school',
          schoolName: '龙山小学',
          startTime: '07:00',
          endTime: '07:22',
          state: 'running',
          ended: null,
        },
      ],
    })
    expect((await call('GET', '/api/buses/B1/today', 'attendantB2')).status).toBe(403)
  })

  it('takes a scan by the code on the pupil’s card, and says which bus a wrong pupil rides', async () => {
    expect((await scan({ pupilCode: 'P00000011' })).status).toBe(201)
    const wrongBus = await scan({ pupilCode: 'P00000022' })
    expect(wrongBus).toMatchObject({ status: 422, body: { error: { field: 'body.pupilCode' } } })
    expect(wrongBus.body.error.reason).toBe('pupil_not_on_this_bus')
    expect(wrongBus.body.error.details).toEqual({ busPlate: '浙B·10002' })
    const unknown = await scan({ pupilCode: 'P99999999' })
    expect(unknown).toMatchObject({ status: 422, body: { error: { field: 'body.pupilCode' } } })
    expect(unknown.body.error.message).toContain('no pupil has the code')
    expect(unknown.body.error.reason).toBe('unknown_pupil_code')
    expect((await scan({ pupilId: 'P1', pupilCode: 'P00000011' })).status).toBe(400)
    const list = await call('GET', '/api/trips/T1/boardings', 'attendantB1')
    expect(list.body.boardings.map((b: { pupilId: string }) => b.pupilId)).toEqual(['P1'])
    expect((await call('GET', '/api/trips/T1/boardings', 'parentP1')).status).toBe(403)
  })

  it('names the case of each refused scan with a reason the page translates', async () => {
    const reasonOf = async (body: Record<string, unknown>) => (await scan(body)).body.error?.reason
    expect(await reasonOf({ pupilId: 'P2' })).toBe('pupil_not_on_this_bus')
    expect(await reasonOf({ pupilId: 'P1', stopId: 'ST-NOWHERE' })).toBe('stop_not_on_trip')
    expect(await reasonOf({ pupilId: 'P1', action: 'alighted' })).toBe('not_on_board')
    expect((await scan({ pupilId: 'P1' })).status).toBe(201)
    expect(await reasonOf({ pupilId: 'P1' })).toBe('already_on_board')
    expect(await reasonOf({ pupilId: 'P1', scannedAt: '2026-03-02T07:30:00+08:00' })).toBe('time_in_future')
    expect(await reasonOf({ pupilId: 'P1', scannedAt: '2026-02-27T07:05:00+08:00' })).toBe('time_too_old')
    // A Sunday: the trip runs on school days only.
    expect(await reasonOf({ pupilId: 'P1', scannedAt: '2026-03-01T07:05:00+08:00' })).toBe('trip_not_running')
  })

  it('tells the attendant which bus another bus’s pupil rides today, and nothing else of the pupil', async () => {
    const byCode = await scan({ pupilCode: 'P00000022' })
    const byRoster = await scan({ pupilId: 'P2' })
    for (const refused of [byCode, byRoster]) {
      expect(refused).toMatchObject({
        status: 422,
        body: {
          error: {
            code: 'unprocessable',
            reason: 'pupil_not_on_this_bus',
            details: { busPlate: '浙B·10002' },
          },
        },
      })
      expect(Object.keys(refused.body.error.details)).toEqual(['busPlate'])
      expect(JSON.stringify(refused.body)).not.toContain('Pupil Two')
    }
    // The pupil's bus as it is today: after a change of bus, the new one.
    expect((await call('PATCH', '/api/trips/T2', 'bureau', { busId: 'B3' })).status).toBe(422)
    await db.exec(`INSERT INTO buses (id, plate, town_id, kind, seats, operator)
                   VALUES ('B3', '浙B·10003', 'longshan', 'school_bus', 36, 'Test operator')`)
    try {
      expect((await call('PATCH', '/api/trips/T2', 'bureau', { busId: 'B3' })).status).toBe(200)
      expect((await scan({ pupilId: 'P2' })).body.error.details).toEqual({ busPlate: '浙B·10003' })
    } finally {
      await db.exec(`UPDATE trips SET bus_id = 'B2' WHERE id = 'T2'; DELETE FROM trip_bus_changes;
                     DELETE FROM buses WHERE id = 'B3'`)
    }
    // On a day the pupil rides no bus there is no plate to give: the reason alone.
    await db.exec(`UPDATE trips SET weekdays = '{1,2,3,4,5,6,7}' WHERE id = 'T1'`)
    try {
      const sunday = await scan({ pupilId: 'P2', scannedAt: '2026-03-01T07:05:00+08:00' })
      expect(sunday.body.error.reason).toBe('pupil_not_on_this_bus')
      expect(sunday.body.error.details).toBeUndefined()
    } finally {
      await db.exec(`UPDATE trips SET weekdays = '{1,2,3,4,5}' WHERE id = 'T1'`)
    }
  })

  it('takes a resent scan id on its own trip only, never showing or touching another bus’s scan', async () => {
    const id = randomUUID()
    const theirs = await call('POST', '/api/trips/T2/boardings', 'attendantB2', {
      id,
      pupilId: 'P2',
      action: 'boarded',
      stopId: 'ST2',
      scannedAt: '2026-03-02T07:05:00+08:00',
    })
    expect(theirs.status).toBe(201)
    const resent = await scan({ id, pupilId: 'P1' })
    expect(resent).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict', field: 'body.id', reason: 'scan_of_another_trip' } },
    })
    expect(JSON.stringify(resent.body)).not.toContain('P2')
    expect((await call('GET', '/api/trips/T2/boardings', 'attendantB2')).body.boardings).toEqual([
      theirs.body.boarding,
    ])
    expect((await call('GET', '/api/trips/T1/boardings', 'attendantB1')).body.boardings).toEqual([])
    // The same id on its own trip is the same scan, sent again.
    const again = await call('POST', '/api/trips/T2/boardings', 'attendantB2', {
      id,
      pupilId: 'P2',
      action: 'boarded',
      stopId: 'ST2',
      scannedAt: '2026-03-02T07:05:00+08:00',
    })
    expect(again).toMatchObject({ status: 200, body: { duplicate: true, boarding: { id, tripId: 'T2' } } })
  })

  it('records a pupil at the wrong stop, and flags it', async () => {
    const answer = await scan({ pupilId: 'P1', stopId: 'ST2' })
    expect(answer).toMatchObject({ status: 201, body: { warnings: ['wrong_stop'] } })
    expect((await scan({ pupilId: 'P1', action: 'alighted', stopId: 'ST-S1' })).body.warnings).toEqual([])
  })
})

describe('the end of a trip', () => {
  it('needs the attendant to confirm the bus is empty', async () => {
    const answer = await call('POST', '/api/trips/T1/end', 'attendantB1', {
      endedAt: '2026-03-02T07:09:00+08:00',
    })
    expect(answer).toMatchObject({ status: 400, body: { error: { field: 'body.confirmedEmpty' } } })
    // Another bus's attendant is refused before the body is even read.
    expect((await call('POST', '/api/trips/T1/end', 'attendantB2', { confirmedEmpty: true })).status).toBe(
      403,
    )
    const other = await call('POST', '/api/trips/T1/end', 'attendantB2', {
      confirmedEmpty: true,
      endedAt: '2026-03-02T07:09:00+08:00',
    })
    expect(other.status).toBe(403)
  })

  it('takes an end dated as a scan may be: not ahead of now beyond a phone clock’s drift, not days old', async () => {
    const endAt = (endedAt: string) =>
      call('POST', '/api/trips/T1/end', 'attendantB1', { confirmedEmpty: true, endedAt })
    for (const endedAt of [
      '2000-01-03T07:09:00+08:00',
      '2026-02-28T07:09:00+08:00',
      '2026-03-02T07:13:00+08:00',
    ]) {
      expect(await endAt(endedAt), endedAt).toMatchObject({
        status: 400,
        body: { error: { code: 'bad_request', field: 'body.endedAt' } },
      })
    }
    expect((await call('GET', '/api/buses/B1/today', 'attendantB1')).body.trips[0].state).toBe('running')
    expect((await endAt('2026-03-02T07:09:00+08:00')).status).toBe(201)
  })

  it('ends quietly when everyone got off, once however often it is sent', async () => {
    await scan({ pupilId: 'P1' })
    await scan({ pupilId: 'P1', action: 'alighted', stopId: 'ST-S1', scannedAt: '2026-03-02T07:08:00+08:00' })
    const end = { confirmedEmpty: true, endedAt: '2026-03-02T07:09:00+08:00' }
    const first = await call('POST', '/api/trips/T1/end', 'attendantB1', end)
    expect(first).toMatchObject({ status: 201, body: { alarm: null, run: { tripId: 'T1', endedBy: 'A1' } } })
    expect(await call('POST', '/api/trips/T1/end', 'attendantB1', end)).toMatchObject({ status: 200 })
    expect((await call('GET', '/api/buses/B1/today', 'attendantB1')).body.trips[0].state).toBe('ended')
    expect(sent.alarms).toEqual([])
  })

  it('raises the child-left-on-bus alarm when a pupil was never marked off', async () => {
    await scan({ pupilId: 'P1' })
    const end = await call('POST', '/api/trips/T1/end', 'attendantB1', {
      confirmedEmpty: true,
      endedAt: '2026-03-02T07:09:00+08:00',
    })
    expect(end.body.alarm).toMatchObject({
      busId: 'B1',
      kind: 'child_left_on_bus',
      tripId: 'T1',
      details: {
        reason: 'trip_ended',
        schoolId: 'S1',
        pupils: [{ pupilId: 'P1', name: 'Pupil One' }],
        contacts: [{ role: 'attendant', name: 'Attendant One', phone: null }],
      },
    })
    expect(sent.alarms).toHaveLength(1)

    // Acknowledged by a person, kept with who and when; a later acknowledgement keeps the first.
    const key = { busId: 'B1', kind: 'child_left_on_bus', ts: end.body.alarm.ts }
    clock.set(new Date('2026-03-02T07:12:00+08:00'))
    expect((await call('POST', '/api/events/acknowledge', 'parentP1', key)).status).toBe(403)
    expect((await call('POST', '/api/events/acknowledge', 'attendantB2', key)).status).toBe(403)
    const ack = await call('POST', '/api/events/acknowledge', 'attendantB1', key)
    expect(ack.body.event).toMatchObject({ acknowledgedBy: 'A1', acknowledgedAt: '2026-03-01T23:12:00.000Z' })
    expect((await call('POST', '/api/events/acknowledge', 'bureau', key)).body.event.acknowledgedBy).toBe(
      'A1',
    )
    expect(sent.events).toHaveLength(2)
    const missing = await call('POST', '/api/events/acknowledge', 'bureau', {
      ...key,
      ts: '2026-03-02T07:00:00Z',
    })
    expect(missing.status).toBe(404)
    const listed = await call('GET', '/api/events?kind=child_left_on_bus', 'schoolS1')
    expect(listed.body.events).toHaveLength(1)
  })
})

describe('the child-left-on-bus alarm from telemetry', () => {
  const standAtSchool = async (fromS: number, toS: number, ignition: boolean) => {
    for (let s = fromS; s <= toS; s += 30) {
      await db.query(
        `INSERT INTO positions (bus_id, ts, lat, lon, speed_kmh, ignition) VALUES ('B1', $1, 30.19, 121.4, 0, $2)`,
        [new Date(Date.parse('2026-03-02T07:21:00+08:00') + s * 1000).toISOString(), ignition],
      )
    }
  }

  it('rings when the bus stands with its engine off at its last stop and a pupil is still on board', async () => {
    await scan({ pupilId: 'P1' })
    await standAtSchool(0, 600, false)
    clock.set(new Date('2026-03-02T07:24:00+08:00'))
    expect(await alarms.checkTelemetry()).toBe(0)
    clock.set(new Date('2026-03-02T07:31:00+08:00'))
    expect(await alarms.checkTelemetry()).toBe(1)
    expect(sent.alarms[0]).toMatchObject({
      ts: '2026-03-01T23:21:00.000Z',
      details: { reason: 'engine_off_at_last_stop', pupils: [{ pupilId: 'P1' }] },
    })
    expect(await alarms.checkTelemetry()).toBe(0)
  })

  it('names in one alarm the pupils of every trip still aboard when the bus stands after its next trip', async () => {
    // An earlier run of B1 that left Pupil Two aboard, ending where the bus did not stand: its alarm
    // waits for the standstill after T1, and then shares it with T1's.
    await db.exec(`
      INSERT INTO trips (id, bus_id, school_id, direction) VALUES ('T0', 'B1', 'S2', 'to_school');
      INSERT INTO trip_stops (trip_id, seq, stop_id, arrive_time, depart_time) VALUES
        ('T0', 1, 'ST1', '06:20', '06:21'), ('T0', 2, 'ST-S2', '06:40', '06:42');
      INSERT INTO boarding_events (id, trip_id, service_date, pupil_id, action, stop_id, scanned_at, recorded_by)
        VALUES ('${randomUUID()}', 'T0', '2026-03-02', 'P2', 'boarded', 'ST1', '2026-03-02T06:21:00+08:00', 'A1')`)
    try {
      await scan({ pupilId: 'P1' })
      await standAtSchool(0, 600, false)
      clock.set(new Date('2026-03-02T07:31:00+08:00'))
      expect(await alarms.checkTelemetry()).toBe(1)
      expect(sent.alarms).toHaveLength(1)
      expect(sent.alarms[0]).toMatchObject({
        tripId: 'T1',
        ts: '2026-03-01T23:21:00.000Z',
        details: {
          reason: 'engine_off_at_last_stop',
          tripIds: ['T1', 'T0'],
          pupils: [{ pupilId: 'P1' }, { pupilId: 'P2' }],
        },
      })
      // Neither trip rings again, at this standstill or a later one.
      clock.set(new Date('2026-03-02T07:40:00+08:00'))
      expect(await alarms.checkTelemetry()).toBe(0)
      expect(sent.alarms).toHaveLength(1)
    } finally {
      await db.exec(`DELETE FROM boarding_events; DELETE FROM trip_stops WHERE trip_id = 'T0';
                     DELETE FROM trips WHERE id = 'T0'`)
    }
  })

  it('stays quiet when every pupil got off, or while the engine runs', async () => {
    await scan({ pupilId: 'P1' })
    await standAtSchool(0, 600, true)
    clock.set(new Date('2026-03-02T07:31:00+08:00'))
    expect(await alarms.checkTelemetry()).toBe(0)
    await scan({ pupilId: 'P1', action: 'alighted', stopId: 'ST-S1', scannedAt: '2026-03-02T07:20:00+08:00' })
    await db.exec(`UPDATE positions SET ignition = false WHERE bus_id = 'B1'`)
    expect(await alarms.checkTelemetry()).toBe(0)
    expect(sent.alarms).toEqual([])
  })
})

describe('pupils not boarded', () => {
  it('reports to the school the pupils a bus left a stop without, once', async () => {
    const reports: PupilsNotBoardedReport[] = []
    const notBoarded = createPupilsNotBoardedReports({ db, log, publish: (r) => reports.push(r) })
    const departure = {
      busId: 'B1',
      tripId: 'T1',
      ts: new Date('2026-03-02T07:01:30+08:00'),
      seq: 1,
      stopId: 'ST1',
    }
    expect(await notBoarded.onStopDeparture(departure)).toMatchObject({
      kind: 'pupils_not_boarded',
      details: { stopId: 'ST1', schoolId: 'S1', pupils: [{ pupilId: 'P1', name: 'Pupil One' }] },
    })
    expect(await notBoarded.onStopDeparture(departure)).toBe(null)
    expect(await notBoarded.onStopDeparture({ ...departure, seq: 2, stopId: 'ST2' })).toBe(null)
    await scan({ pupilId: 'P1' })
    const nextDay = { ...departure, ts: new Date('2026-03-03T07:01:30+08:00') }
    expect((await notBoarded.onStopDeparture(nextDay))?.details.pupils).toHaveLength(1)
    expect(reports).toHaveLength(2)
  })
})

describe('ridership', () => {
  it('counts who got on and off per day, trip and stop, for the bureau and the trip’s school', async () => {
    await scan({ pupilId: 'P1' })
    await scan({ pupilId: 'P1', action: 'alighted', stopId: 'ST-S1', scannedAt: '2026-03-02T07:08:00+08:00' })
    const query = '/api/ridership?from=2026-03-02&to=2026-03-02'
    const rows = [
      {
        date: '2026-03-02',
        tripId: 'T1',
        busId: 'B1',
        schoolId: 'S1',
        stopId: 'ST1',
        stopName: '一号站',
        boarded: 1,
        alighted: 0,
      },
      {
        date: '2026-03-02',
        tripId: 'T1',
        busId: 'B1',
        schoolId: 'S1',
        stopId: 'ST-S1',
        stopName: '龙山小学',
        boarded: 0,
        alighted: 1,
      },
    ]
    expect((await call('GET', query, 'bureau')).body.ridership).toEqual(expect.arrayContaining(rows))
    expect((await call('GET', query, 'schoolS1')).body.ridership).toHaveLength(2)
    expect((await call('GET', query, 'schoolS2')).body.ridership).toEqual([])
    expect((await call('GET', query, 'attendantB1')).status).toBe(403)
    const bad = await call('GET', '/api/ridership?from=2026-03-03&to=2026-03-02', 'bureau')
    expect(bad).toMatchObject({ status: 400, body: { error: { field: 'query.to' } } })
  })
})
