import { randomUUID } from 'node:crypto'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { haversineM } from '../geo/routing/earth-distance.js'
import { fromShanghaiTime } from '../server/core/clock/shanghai-time.js'
import { buildReport } from '../server/core/reports/build-report.js'
import {
  createReportRefresher,
  defaultReportRefreshRules,
  refreshReportDay,
} from '../server/core/reports/refresh-report-days.js'
import { reportPeriod } from '../server/core/reports/report-period.js'
import type { Report, ReportRecord } from '../server/core/reports/roll-up-report.js'
import { encodeCopyText, type CopyValue } from '../server/core/store/copy-text.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { createReportDayQueries } from '../server/core/store/report-day-queries.js'
import type { HttpApp } from '../server/http/create-http-app.js'
import { loadTwoSchoolsTwoBuses } from './scenarios/two-schools-two-buses.js'
import { callApi, createScenarioApi } from './support/call-api.js'
import { storeBackends, type TestDatabase } from './support/store-backends.js'
import { settableClock, type ScenarioCaller } from './support/test-platform-parts.js'

/**
 * The oversight reports on both store backends, from two known school days: bus B1 runs trip T1 on
 * both (a coverage hole of 150 s and a burst of fixes 3 km off on the first), B2 runs T2 late with a
 * ten-minute hole in its track, B3 (another town) only stands; with known alarms, scans and trip
 * ends. The days are aggregated by the refresher the alarms part runs, and the reports are read
 * from the aggregates: km against the drawn track, counts, on-time calls, pupils, a month that sums
 * its days, a school's scope, the workbook and CSV downloads and their audit entries.
 */
type Point = { lat: number; lon: number }
/** B1's first stop, second stop and school gate: straight stretches between stops, as the km are checked. */
const B1_FIRST = { lat: 30.15, lon: 121.35 }
const B1_SECOND = { lat: 30.17, lon: 121.38 }
const B1_GATE = { lat: 30.19, lon: 121.42 }
const ST2 = { lat: 30.185, lon: 121.395 }
const GATE_S2 = { lat: 30.195, lon: 121.405 }

const at = (date: string, time: string) => fromShanghaiTime(date, time).getTime()
const pathM = (points: readonly Point[]) =>
  points.slice(1).reduce((m, p, i) => m + haversineM(points[i]!.lat, points[i]!.lon, p.lat, p.lon), 0)

/** A bus's fixes, one a second: standing still (a few metres of GPS wander) or driving a polyline. */
function track(busId: string) {
  const rows: CopyValue[][] = []
  let drivenM = 0
  // The wander repeats every 7 s: deterministic, and never a straight line.
  const wander = (ms: number) => (((ms / 1000) % 7) - 3) * 1e-5
  const fix = (ms: number, p: Point, speedKmh: number) =>
    rows.push([busId, new Date(ms), p.lat + wander(ms), p.lon - wander(ms), speedKmh])
  return {
    rows,
    drivenM: () => drivenM,
    stand(p: Point, fromMs: number, toMs: number) {
      for (let ms = fromMs; ms < toMs; ms += 1000) fix(ms, p, 0)
    },
    /** Along `points` from fromMs to toMs at a steady speed; fixes in `skip` are left out. */
    drive(
      points: readonly Point[],
      fromMs: number,
      toMs: number,
      skip?: (ms: number) => boolean,
      shift?: (ms: number) => Point | undefined,
    ) {
      const totalM = pathM(points)
      drivenM += totalM
      const speedKmh = (totalM / ((toMs - fromMs) / 1000)) * 3.6
      for (let ms = fromMs; ms < toMs; ms += 1000) {
        if (skip?.(ms)) continue
        let along = (totalM * (ms - fromMs)) / (toMs - fromMs)
        let i = 0
        for (; i < points.length - 2; i++) {
          const legM = haversineM(points[i]!.lat, points[i]!.lon, points[i + 1]!.lat, points[i + 1]!.lon)
          if (along <= legM) break
          along -= legM
        }
        const a = points[i]!
        const b = points[i + 1]!
        const f = along / haversineM(a.lat, a.lon, b.lat, b.lon)
        const p = { lat: a.lat + (b.lat - a.lat) * f, lon: a.lon + (b.lon - a.lon) * f }
        fix(ms, shift?.(ms) ?? p, speedKmh)
      }
    },
  }
}

const monday = '2026-03-02'
const tuesday = '2026-03-03'

/** B1 on T1 (07:00 ST1, 07:08 ST2, gate 07:20), at the gate at `gateTime`. */
function b1Day(date: string, gateTime: string, faults: boolean) {
  const bus = track('B1')
  bus.stand(B1_FIRST, at(date, '06:58:00'), at(date, '07:01:00'))
  const hole = (ms: number) => faults && ms >= at(date, '07:02:00') && ms < at(date, '07:04:30')
  bus.drive([B1_FIRST, B1_SECOND], at(date, '07:01:00'), at(date, '07:09:00'), hole)
  bus.stand(B1_SECOND, at(date, '07:09:00'), at(date, '07:10:00'))
  // Ten seconds of fixes 3 km north, as after a tunnel: a jump, not driving.
  const burst = (ms: number) =>
    faults && ms >= at(date, '07:15:00') && ms < at(date, '07:15:10')
      ? { lat: 30.215, lon: 121.41 }
      : undefined
  const gateMs = at(date, gateTime)
  bus.drive([B1_SECOND, B1_GATE], at(date, '07:10:00'), gateMs, undefined, burst)
  bus.stand(B1_GATE, gateMs, gateMs + 300_000)
  return bus
}

/** B2 on T2 (07:05 ST2, gate 07:25): at the gate ten minutes late, its terminal dark 07:15–07:25. */
function b2Day(date: string) {
  const bus = track('B2')
  bus.stand(ST2, at(date, '07:04:00'), at(date, '07:06:00'))
  const dark = (ms: number) => ms >= at(date, '07:15:00') && ms < at(date, '07:25:00')
  const east = { lat: 30.185, lon: 121.45 }
  bus.drive([ST2, east], at(date, '07:06:00'), at(date, '07:20:00'), dark)
  bus.drive([east, GATE_S2], at(date, '07:20:00'), at(date, '07:35:00'), dark)
  bus.stand(GATE_S2, at(date, '07:35:00'), at(date, '07:40:00'))
  return bus
}

const event = (
  busId: string,
  kind: string,
  date: string,
  time: string,
  tripId: string | null,
  details: object,
) => [busId, kind, new Date(at(date, time)), tripId, JSON.stringify(details)] as CopyValue[]
const scan = (tripId: string, date: string, pupilId: string, action: string, stopId: string, time: string) =>
  [randomUUID(), tripId, date, pupilId, action, stopId, new Date(at(date, time)), 'A1'] as CopyValue[]

const row = (report: Report, id: string) => report.rows.find((r) => r.id === id) as ReportRecord

describe.each(storeBackends())('oversight reports on $name', (backend) => {
  let store: TestDatabase
  let app: HttpApp
  let tokens: Record<ScenarioCaller, string>
  const clock = settableClock(new Date(at('2026-03-04', '02:00:00')))
  let expectedM: { b1Monday: number; b1Tuesday: number; b2: number }
  let refreshed: Awaited<ReturnType<ReturnType<typeof createReportRefresher>['refreshDue']>>

  beforeAll(async () => {
    store = await backend.open()
    const { db } = store
    await migrateDatabase(db)
    await loadTwoSchoolsTwoBuses(db)
    await db.exec(`
      DELETE FROM positions;
      INSERT INTO towns (id, name_zh, name_en, lat, lon) VALUES ('zhangqi', '掌起', 'Zhangqi', 30.2, 121.3);
      INSERT INTO buses (id, plate, town_id, kind, seats, operator) VALUES ('B3', '浙B·10003', 'zhangqi', 'school_bus', 36, 'Test operator');
      INSERT INTO staff (id, role, name, bus_id) VALUES ('D1', 'driver', '陈师傅', 'B1'), ('D2', 'driver', '王师傅', 'B2');
      INSERT INTO pupils (id, code, name, school_id, grade) VALUES ('P3', 'P00000033', 'Pupil Three', 'S1', 3);
      INSERT INTO trips (id, bus_id, school_id, direction) VALUES ('T3', 'B3', 'S2', 'from_school');
      INSERT INTO trip_stops (trip_id, seq, stop_id, arrive_time, depart_time) VALUES
        ('T3', 1, 'ST-S2', '16:00', '16:05'), ('T3', 2, 'ST2', '16:30', '16:31');
    `)
    const b1Monday = b1Day(monday, '07:24:00', true)
    const b1Tuesday = b1Day(tuesday, '07:30:00', false)
    const b2 = b2Day(monday)
    const b3 = track('B3')
    b3.stand(GATE_S2, at(monday, '12:00:00'), at(monday, '12:10:00'))
    // B2's dark stretch is straight, so the driven path across it is known: it is not counted.
    const darkFrom = { lat: 30.185, lon: 121.395 + (0.055 * 9) / 14 }
    const darkTo = { lat: 30.185 + (0.01 * 5) / 15, lon: 121.45 - (0.045 * 5) / 15 }
    expectedM = {
      b1Monday: b1Monday.drivenM(),
      b1Tuesday: b1Tuesday.drivenM(),
      b2: b2.drivenM() - pathM([darkFrom, { lat: 30.185, lon: 121.45 }, darkTo]),
    }
    const positions = [...b1Monday.rows, ...b1Tuesday.rows, ...b2.rows, ...b3.rows]
    await db.copyFrom(
      `COPY positions (bus_id, ts, lat, lon, speed_kmh) FROM STDIN`,
      encodeCopyText(positions),
    )
    const arrival = (
      busId: string,
      tripId: string,
      date: string,
      time: string,
      seq: number,
      stopId: string,
    ) =>
      event(busId, 'stop_arrival', date, time, tripId, {
        stopId,
        seq,
        confirmedTs: new Date(at(date, time)).toISOString(),
      })
    await db.copyFrom(
      `COPY events (bus_id, kind, ts, trip_id, details) FROM STDIN`,
      encodeCopyText([
        arrival('B1', 'T1', monday, '07:00:30', 1, 'ST1'),
        arrival('B1', 'T1', monday, '07:09:00', 2, 'ST2'),
        arrival('B1', 'T1', monday, '07:24:00', 3, 'ST-S1'),
        event('B1', 'over_speed', monday, '07:05:00', 'T1', {
          roadClass: 'primary',
          durationS: 12,
          endTs: new Date(at(monday, '07:05:12')).toISOString(),
        }),
        event('B1', 'limiter_disabled', monday, '07:12:00', 'T1', {
          state: 'disabled',
          endTs: new Date(at(monday, '07:16:00')).toISOString(),
          durationS: 240,
        }),
        event('B1', 'terminal_silent', monday, '07:02:00', 'T1', {
          endTs: new Date(at(monday, '07:04:30')).toISOString(),
          silentS: 150,
        }),
        event('B1', 'route_off_corridor', monday, '07:13:00', 'T1', {}),
        arrival('B1', 'T1', tuesday, '07:00:30', 1, 'ST1'),
        arrival('B1', 'T1', tuesday, '07:30:00', 3, 'ST-S1'),
        arrival('B2', 'T2', monday, '07:05:00', 1, 'ST2'),
        arrival('B2', 'T2', monday, '07:35:00', 2, 'ST-S2'),
      ]),
    )
    await db.copyFrom(
      `COPY boarding_events (id, trip_id, service_date, pupil_id, action, stop_id, scanned_at, recorded_by) FROM STDIN`,
      encodeCopyText([
        scan('T1', monday, 'P1', 'boarded', 'ST1', '07:00:40'),
        scan('T1', monday, 'P3', 'boarded', 'ST2', '07:09:20'),
        scan('T1', monday, 'P1', 'alighted', 'ST-S1', '07:25:00'),
        scan('T1', tuesday, 'P1', 'boarded', 'ST1', '07:00:40'),
        scan('T2', monday, 'P2', 'boarded', 'ST2', '07:05:30'),
      ]),
    )
    await db.exec(`
      INSERT INTO trip_runs (trip_id, service_date, ended_at, ended_by, confirmed_empty)
        VALUES ('T1', '${monday}', '${monday}T07:31:00+08:00', 'A1', true);
      -- The over-speed acknowledged after 3 minutes and closed after 30.
      UPDATE alarm_cases SET state = 'closed', acknowledged_by = 'bureau-1',
        acknowledged_at = event_ts + interval '3 minutes', closed_by = 'bureau-1',
        closed_at = event_ts + interval '30 minutes', outcome = 'resolved'
      WHERE bus_id = 'B1' AND kind = 'over_speed';
    `)
    const refresher = createReportRefresher({
      queries: createReportDayQueries(db),
      clock,
      holder: 'test',
      rules: { ...defaultReportRefreshRules, catchUpDays: 3 },
    })
    refreshed = await refresher.refreshDue()
    ;({ app, tokens } = await createScenarioApi(db, clock))
  })
  afterAll(async () => {
    await store?.dispose()
  })

  const report = (date: string, by: 'bus' | 'school' | 'county' | 'town' | 'driver') => {
    const period = date.length === 7 ? reportPeriod('month', date)! : reportPeriod('day', date)!
    return buildReport(createReportDayQueries(store.db), { period, by, scope: { kind: 'all' } })
  }

  it('aggregates each closed day once and today as open, by the clock', async () => {
    expect(refreshed.map((day) => [day.date, day.close])).toEqual([
      ['2026-03-01', true],
      [monday, true],
      [tuesday, true],
      ['2026-03-04', false],
    ])
    expect(refreshed.find((day) => day.date === monday)).toMatchObject({ busDays: 3, tripDays: 2 })
    const again = createReportRefresher({
      queries: createReportDayQueries(store.db),
      clock,
      holder: 'another process',
      rules: { ...defaultReportRefreshRules, catchUpDays: 3 },
    })
    expect(await again.refreshDue()).toEqual([])
  })

  it('keeps the hourly stage as a continuous aggregate where TimescaleDB runs, a table elsewhere', async () => {
    const [kind] = await store.db.query<{ relkind: string }>(
      `SELECT relkind FROM pg_class WHERE relname = 'positions_hourly'`,
    )
    // A continuous aggregate is a view over its materialized hypertable.
    expect(kind?.relkind).toBe(backend.timescale ? 'v' : 'r')
    const [hours] = await store.db.query<{ reports: number }>(
      `SELECT sum(reports)::int AS reports FROM positions_hourly WHERE bus_id = 'B3'`,
    )
    expect(hours?.reports).toBe(600)
  })

  it('measures km along the track, leaving out the jump and the long hole, and the day’s counts', async () => {
    const day = await report(monday, 'bus')
    expect(day.rows.map((r) => r.id)).toEqual(['B1', 'B2', 'B3'])
    const b1 = row(day, 'B1')
    // The burst takes two slots' stretches out of the count: 20 s of driving, under 2 %.
    expect(Math.abs((b1.km as number) * 1000 - expectedM.b1Monday)).toBeLessThan(0.02 * expectedM.b1Monday)
    expect(b1.movingMinutes as number).toBeGreaterThan(21)
    expect(b1.movingMinutes as number).toBeLessThan(23.5)
    expect(b1).toMatchObject({
      name: '浙B·10001',
      town: '龙山',
      days: 1,
      tripsRun: 1,
      schoolCallsOnTime: 1,
      schoolCallsLate: 0,
      onTimeRate: 100,
      overSpeedEpisodes: 1,
      'overSpeed.primary': 1,
      overSpeedMinutes: 0.2,
      limiterOffMinutes: 4,
      silentMinutes: 2.5,
      routeViolations: 1,
      'route.route_off_corridor': 1,
      'alarms.over_speed': 1,
      'alarms.limiter_disabled': 1,
      'alarms.terminal_silent': 1,
      'alarms.route_off_corridor': 1,
      alarms: 4,
      alarmsAcknowledged: 1,
      acknowledgeMinutes: 3,
      alarmsClosed: 1,
      closeMinutes: 30,
      pupilsCarried: 2,
      pupilRides: 2,
    })
    const b2 = row(day, 'B2')
    expect(Math.abs((b2.km as number) * 1000 - expectedM.b2)).toBeLessThan(0.02 * expectedM.b2)
    expect(b2).toMatchObject({
      tripsRun: 1,
      schoolCallsOnTime: 0,
      schoolCallsLate: 1,
      onTimeRate: 0,
      pupilsCarried: 1,
    })
    expect(row(day, 'B3')).toMatchObject({ town: '掌起', days: 0, tripsRun: 0, km: 0, pupilsCarried: 0 })
  })

  it('makes the month the sum of its days, each pupil once', async () => {
    const [month, first, second] = await Promise.all([
      report('2026-03', 'bus'),
      report(monday, 'bus'),
      report(tuesday, 'bus'),
    ])
    const b1 = row(month, 'B1')
    expect(b1).toMatchObject({
      days: 2,
      tripsRun: 2,
      schoolCallsOnTime: 1,
      schoolCallsLate: 1,
      onTimeRate: 50,
      pupilsCarried: 2,
      pupilRides: 3,
    })
    expect(b1.km as number).toBeCloseTo((row(first, 'B1').km as number) + (row(second, 'B1').km as number), 0)
    expect(Math.abs((row(second, 'B1').km as number) * 1000 - expectedM.b1Tuesday)).toBeLessThan(
      0.005 * expectedM.b1Tuesday,
    )
    const county = await report('2026-03', 'county')
    expect(county.rows[0]).toMatchObject({ tripsRun: 3, pupilsCarried: 3, pupilRides: 4, alarms: 4 })
    expect(county.totals.km).toBeCloseTo(
      month.rows.reduce((km, r) => km + (r.km as number), 0),
      0,
    )
    const towns = await report('2026-03', 'town')
    expect(towns.rows.map((r) => [r.name, r.tripsRun])).toEqual([
      ['龙山', 3],
      ['掌起', 0],
    ])
    const drivers = await report('2026-03', 'driver')
    expect(drivers.rows.map((r) => [r.name, r.tripsRun])).toEqual([
      ['陈师傅', 2],
      ['王师傅', 1],
      ['未登记 not registered', 0],
    ])
  })

  it("gives a school its trips' figures: on time, pupils, km of its trips", async () => {
    const month = await report('2026-03', 'school')
    expect(month.rows.map((r) => r.id)).toEqual(['S1', 'S2'])
    expect(row(month, 'S1')).toMatchObject({
      name: '龙山小学',
      tripsRun: 2,
      schoolCallsOnTime: 1,
      schoolCallsLate: 1,
      pupilsCarried: 2,
      'alarms.over_speed': 1,
    })
    expect(row(month, 'S1').km as number).toBeGreaterThan(
      (expectedM.b1Monday + expectedM.b1Tuesday) / 1000 - 0.2,
    )
    expect(row(month, 'S2')).toMatchObject({ tripsRun: 1, schoolCallsLate: 1, pupilsCarried: 1 })
  })

  it('answers a page the report, scoped for a school, and refuses what a caller may not see', async () => {
    const county = await callApi(app, 'GET', '/api/reports?period=month&date=2026-03', tokens.bureau)
    expect(county.status).toBe(200)
    expect(county.body.columns[0]).toMatchObject({ key: 'id', zh: '编号', en: 'id', type: 'label' })
    expect(county.body.rows[0]).toMatchObject({ tripsRun: 3 })
    const own = await callApi(app, 'GET', '/api/reports?period=month&date=2026-03&by=bus', tokens.schoolS1)
    expect(own.body.rows.map((r: ReportRecord) => r.id)).toEqual(['B1'])
    const ownSchool = await callApi(
      app,
      'GET',
      '/api/reports?period=day&date=2026-03-02&by=school',
      tokens.schoolS2,
    )
    expect(ownSchool.body.rows.map((r: ReportRecord) => r.id)).toEqual(['S2'])
    const s2Buses = await callApi(
      app,
      'GET',
      '/api/reports?period=day&date=2026-03-02&by=bus',
      tokens.schoolS2,
    )
    expect(s2Buses.body.rows.map((r: ReportRecord) => r.id)).toEqual(['B2', 'B3'])
    for (const by of ['county', 'town']) {
      const refused = await callApi(
        app,
        'GET',
        `/api/reports?period=month&date=2026-03&by=${by}`,
        tokens.schoolS1,
      )
      expect(refused.status, by).toBe(403)
    }
    expect(
      (await callApi(app, 'GET', '/api/reports?period=month&date=2026-03', tokens.parentP1)).status,
    ).toBe(403)
    const bad = await callApi(app, 'GET', '/api/reports?period=month&date=2026-13', tokens.bureau)
    expect(bad.status).toBe(400)
    expect(bad.body.error.field).toBe('query.date')
  })

  it('downloads the month as a workbook with a sheet per grouping, and logs it', async () => {
    const response = await app.request('/api/reports.xlsx?period=month&date=2026-03', {
      headers: { authorization: `Bearer ${tokens.bureau}` },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-disposition')).toContain('report-2026-03.xlsx')
    const book = new ExcelJS.Workbook()
    await book.xlsx.load((await response.arrayBuffer()) as ArrayBuffer)
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual([
      '说明 notes',
      '按车辆 by bus',
      '按驾驶员 by driver',
      '按学校 by school',
      '按乡镇 by town',
      '按全县 by county',
    ])
    const buses = book.getWorksheet('按车辆 by bus')!
    expect(buses.getRow(1).getCell(1).value).toBe('编号 id')
    expect(buses.getRow(1).getCell(5).value).toBe('运行趟次 trips run')
    expect(buses.rowCount).toBe(5)
    expect(buses.getRow(2).getCell(1).value).toBe('B1')
    expect(buses.getRow(2).getCell(5).value).toBe(2)
    expect(buses.getRow(5).getCell(2).value).toBe('合计 total')
    const [entry] = await store.db.query<{ actor: string; target: string; detail: { by: string[] } }>(
      `SELECT actor, target, detail FROM audit_log WHERE action = 'export' AND target = 'reports.xlsx'`,
    )
    expect(entry).toMatchObject({
      actor: 'bureau-1',
      detail: { by: ['bus', 'driver', 'school', 'town', 'county'] },
    })
  })

  it("downloads one grouping as CSV, a school's own, and logs it", async () => {
    const response = await app.request('/api/reports.csv?period=day&date=2026-03-02&by=bus', {
      headers: { authorization: `Bearer ${tokens.schoolS2}` },
    })
    expect(response.status).toBe(200)
    const bytes = new Uint8Array(await response.arrayBuffer())
    // A byte-order mark first, so that Excel reads the Chinese (text() would drop it).
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = new TextDecoder().decode(bytes).trim().split('\n')
    expect(lines[0]).toMatch(/^编号 id,车辆 bus,乡镇 town,运行天数 days in service,运行趟次 trips run,/)
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(['B2', 'B3', ''])
    expect(lines[3]).toContain('合计 total')
    const refused = await app.request('/api/reports.csv?period=day&date=2026-03-02&by=county', {
      headers: { authorization: `Bearer ${tokens.schoolS2}` },
    })
    expect(refused.status).toBe(403)
    const entries = await store.db.query<{ actor: string; detail: Record<string, unknown> }>(
      `SELECT actor, detail FROM audit_log WHERE action = 'export' AND target = 'reports.csv'`,
    )
    expect(entries).toEqual([
      {
        actor: 'school-admin-2',
        detail: { period: 'day', date: '2026-03-02', by: ['bus'], schoolId: 'S2' },
      },
    ])
  })

  it('aggregates a day again a bus at a time, to the same figures, and drops a bus gone from the day', async () => {
    const { db } = store
    const queries = createReportDayQueries(db)
    const before = await report(monday, 'bus')
    const tripDays = () =>
      db.query(
        `SELECT trip_id, bus_id, distance_m, pupil_rides, refreshed_at FROM report_trip_days
         WHERE service_date = $1::date ORDER BY trip_id`,
        [monday],
      )
    const firstTrips = await tripDays()
    const later = new Date(at('2026-03-04', '03:00:00'))
    await refreshReportDay(queries, monday, later)
    expect(await report(monday, 'bus')).toEqual(before)
    const again = await tripDays()
    expect(again.map(({ refreshed_at: _, ...rest }) => rest)).toEqual(
      firstTrips.map(({ refreshed_at: _, ...rest }) => rest),
    )
    expect(again.every((trip) => new Date(trip.refreshed_at as Date).getTime() === later.getTime())).toBe(
      true,
    )

    // B3's reports are withdrawn and its trip taken off the registers: it is no bus of the day.
    await db.exec(`DELETE FROM positions WHERE bus_id = 'B3';
                   DELETE FROM trip_stops WHERE trip_id = 'T3'; DELETE FROM trips WHERE id = 'T3'`)
    await refreshReportDay(queries, monday, new Date(at('2026-03-04', '03:05:00')))
    expect((await report(monday, 'bus')).rows.map((r) => r.id)).toEqual(['B1', 'B2'])
  })
})
