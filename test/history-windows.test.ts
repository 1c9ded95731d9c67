import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HttpApp } from '../server/http/create-http-app.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { loadTwoSchoolsTwoBuses } from './scenarios/two-schools-two-buses.js'
import { callApi, createScenarioApi } from './support/call-api.js'
import { storeBackends, type TestDatabase } from './support/store-backends.js'
import { settableClock, type ScenarioCaller } from './support/test-platform-parts.js'

/**
 * How far back each caller may read a bus's positions, events and scans. Bus B1 also runs an early
 * trip T0 (06:00–06:20) for another family's pupil P3, before P1's trip T1 (07:00–07:20); it reports
 * every 5 minutes on Monday and on Tuesday, and "now" is Tuesday 07:10.
 */
const monday = (time: string) => `2026-03-02T${time}+08:00`
const tuesday = (time: string) => `2026-03-03T${time}+08:00`
const range = (from: string, to: string) => `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`

describe.each(storeBackends())('history a caller may read, on $name', (backend) => {
  let store: TestDatabase
  let app: HttpApp
  const clock = settableClock(new Date(tuesday('07:10:00')))
  let tokens: Record<ScenarioCaller, string>
  const call = (path: string, caller: ScenarioCaller) => callApi(app, 'GET', path, tokens[caller])
  const trackTimes = async (caller: ScenarioCaller, query: string) => {
    const { status, body } = await call(`/api/buses/B1/positions?${query}`, caller)
    expect(status, JSON.stringify(body)).toBe(200)
    return (body.positions as { ts: string }[]).map((p) => new Date(p.ts).getTime())
  }

  beforeAll(async () => {
    store = await backend.open()
    const { db } = store
    await migrateDatabase(db)
    await loadTwoSchoolsTwoBuses(db)
    await db.exec(`
      INSERT INTO pupils (id, code, name, school_id, grade) VALUES ('P3', 'P00000033', 'Pupil Three', 'S1', 3);
      INSERT INTO trips (id, bus_id, school_id, direction) VALUES ('T0', 'B1', 'S1', 'to_school');
      INSERT INTO trip_stops (trip_id, seq, stop_id, arrive_time, depart_time) VALUES
        ('T0', 1, 'ST2', '06:00', '06:01'), ('T0', 2, 'ST-S1', '06:20', '06:22');
      INSERT INTO trip_pupils (trip_id, pupil_id, board_seq, alight_seq) VALUES ('T0', 'P3', 1, 2);
      DELETE FROM positions;
      INSERT INTO positions (bus_id, ts, lat, lon, speed_kmh)
        SELECT 'B1', ts, 30.18, 121.39, 30 FROM generate_series(
          '${monday('05:50:00')}'::timestamptz, '${tuesday('07:10:00')}'::timestamptz, interval '5 minutes') ts
        WHERE (ts AT TIME ZONE 'Asia/Shanghai')::time BETWEEN '05:50' AND '08:00';
      INSERT INTO events (bus_id, kind, ts, trip_id, details) VALUES
        ('B1', 'over_speed', '${monday('07:05:00')}', 'T1', '{}'),
        ('B1', 'over_speed', '${tuesday('06:10:00')}', 'T0', '{}'),
        ('B1', 'over_speed', '${tuesday('07:05:00')}', 'T1', '{}');
      INSERT INTO boarding_events (id, trip_id, service_date, pupil_id, action, stop_id, scanned_at, recorded_by)
      VALUES ('00000000-0000-4000-8000-000000000001', 'T1', '2026-03-02', 'P1', 'boarded', 'ST1',
              '${monday('07:01:00')}', 'A1');
    `)
    ;({ app, tokens } = await createScenarioApi(db, clock))
  })
  afterAll(() => store.dispose())

  it('gives a parent the bus’s positions only within today’s window of their child’s trip, up to now', async () => {
    const times = await trackTimes('parentP1', range(tuesday('05:00:00'), tuesday('09:00:00')))
    // The window opens 15 minutes before T1's first stop; T0's run before it is another family's.
    expect(times[0]).toBe(Date.parse(tuesday('06:45:00')))
    expect(times.at(-1)).toBe(Date.parse(tuesday('07:05:00')))
    expect(times).toHaveLength(5)
  })

  it('gives a parent nothing of yesterday’s runs, nor of another trip’s stretch today', async () => {
    expect(await trackTimes('parentP1', range(monday('06:00:00'), monday('08:00:00')))).toEqual([])
    expect(await trackTimes('parentP1', range(tuesday('05:50:00'), tuesday('06:40:00')))).toEqual([])
    expect(await trackTimes('parentP1', range(monday('06:00:00'), tuesday('06:50:00')))).toEqual([
      Date.parse(tuesday('06:45:00')),
    ])
  })

  it('gives an attendant their bus’s today only, and the bureau and the school every day', async () => {
    const wholeRange = range(monday('00:00:00'), tuesday('09:00:00'))
    const attendant = await trackTimes('attendantB1', wholeRange)
    expect(attendant[0]).toBe(Date.parse(tuesday('05:50:00')))
    expect((await trackTimes('bureau', wholeRange))[0]).toBe(Date.parse(monday('05:50:00')))
    expect((await trackTimes('schoolS1', wholeRange))[0]).toBe(Date.parse(monday('05:50:00')))
  })

  it('lists an attendant today’s events of their bus only, and their trip’s scans of today only', async () => {
    const events = async (caller: ScenarioCaller) => {
      const { body } = await call(`/api/events?${range(monday('00:00:00'), tuesday('09:00:00'))}`, caller)
      return (body.events as { ts: string }[]).map((e) => new Date(e.ts).getTime())
    }
    expect(await events('attendantB1')).toEqual([tuesday('07:05:00'), tuesday('06:10:00')].map(Date.parse))
    expect(await events('bureau')).toHaveLength(3)
    expect((await call('/api/events', 'parentP1')).status).toBe(403)

    const yesterday = await call('/api/trips/T1/boardings?date=2026-03-02', 'attendantB1')
    expect(yesterday).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } })
    expect((await call('/api/trips/T1/boardings', 'attendantB1')).status).toBe(200)
    const forSchool = await call('/api/trips/T1/boardings?date=2026-03-02', 'schoolS1')
    expect(forSchool.body.boardings).toHaveLength(1)
  })
})
