import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { loadCixiWorld } from '../fixtures/cixi-world.js'
import type { Principal } from '../server/core/auth/principal.js'
import { fromShanghaiTime } from '../server/core/clock/shanghai-time.js'
import { createLogger } from '../server/core/log/logger.js'
import { readRegisters } from '../server/core/registers/read-registers.js'
import type { BusRecord, StaffRecord, TripRecord } from '../server/core/registers/register-records.js'
import { createScoring, type ScoringStepResult } from '../server/core/score/score-alarm-events.js'
import type { Database } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { createHttpApp, type HttpApp } from '../server/http/create-http-app.js'
import { seedCixiWorld } from '../server/seed/seed-cixi-world.js'
import { writeDerivedEvents } from '../workers/events/write-derived-events.js'
import { limiterOffEvent, overSpeedEvent } from './support/scored-events.js'
import { callApi } from './support/call-api.js'
import { storeBackends, type TestDatabase } from './support/store-backends.js'
import { createTestAccess, settableClock } from './support/test-platform-parts.js'

/**
 * The 12-point score on the Cixi demo registers: over-speed episodes of several margins and the
 * limiter off cost one driver and the bus's company the table's points, each event once however
 * many processes score; a total reaching 6 opens one interview task in the inbox per subject; an
 * episode still going is scored when it ends, at its final peak; a case closed as a false alarm
 * voids its points (kept, marked) and the interview, still reached, is told; 12 points take a driver
 * off school-bus duty, which the compliance register shows, until the bureau reinstates them (the
 * removal's task closed, audited) or the cycle ends; the board and the history are scoped by role;
 * the bureau edits the table, audited.
 */

/** A Monday; the demo's school trips run Monday to Friday. */
const DAY = '2026-03-02'
const at = (time: string) => fromShanghaiTime(DAY, time)

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>

describe.each(storeBackends())('the 12-point score on $name', (backend) => {
  let store: TestDatabase
  let db: Database
  let app: HttpApp
  const clock = settableClock(at('07:45:00'))
  const tokens: Record<string, string> = {}
  /** The store as several processes see it: one connection each where the store allows several. */
  const connections: Database[] = []
  let bus: BusRecord
  let driver: StaffRecord
  let trip: TripRecord
  /** A bus serving none of the first bus's schools, and its driver. */
  let otherBus: BusRecord
  let otherDriver: StaffRecord
  let schoolId: string
  let otherSchool: string

  const call = (method: string, path: string, caller: string, body?: unknown) =>
    callApi(app, method, path, tokens[caller], body)
  const scoreAll = async (): Promise<ScoringStepResult[]> =>
    Promise.all(connections.map((connection) => createScoring({ db: connection, clock }).step()))
  const pointsOf = (key: string) =>
    db.query<{ kind: string; points: number; voided: boolean; margin: number | null }>(
      `SELECT kind, points, voided_at IS NOT NULL AS voided, (rule->>'margin')::float AS margin
       FROM score_points WHERE subject = 'driver' AND subject_key = $1 ORDER BY event_ts`,
      [key],
    )
  const tasksOf = async (kind: string) =>
    (
      await db.query<{ id: number; busId: string; severity: string; details: Json }>(
        `SELECT c.id::int AS id, c.bus_id AS "busId", c.severity, e.details FROM alarm_cases c
         JOIN events e ON e.bus_id = c.bus_id AND e.kind = c.kind AND e.ts = c.event_ts
         WHERE c.kind = $1 ORDER BY c.id`,
        [kind],
      )
    ).map((task) => ({ ...task, subject: `${task.details.subject}:${task.details.key}` }))
  const caseOf = async (kind: string, ts: Date) =>
    (
      await db.query<{ id: number }>(
        `SELECT id::int AS id FROM alarm_cases WHERE bus_id = $1 AND kind = $2 AND event_ts = $3`,
        [bus.code, kind, ts.toISOString()],
      )
    )[0]!.id

  /** The drivers the compliance register shows removed by the score on `date`. */
  const removedOn = async (date: string) =>
    ((await call('GET', `/api/compliance?date=${date}`, 'bureau')).body.findings as Json[])
      .filter((finding) => finding.rule === 'driver_removed_by_score')
      .map((finding) => finding.key as string)

  const eventAt = (time: string) => ({ busId: bus.code, tripId: trip.code, ts: at(time) })
  const overSpeed = (time: string, peakKmh: number, ended = true) =>
    overSpeedEvent(eventAt(time), peakKmh, ended)
  const limiterOff = (time: string) => limiterOffEvent(eventAt(time))

  beforeAll(async () => {
    store = await backend.open()
    db = store.db
    await migrateDatabase(db)
    await seedCixiWorld(db, await loadCixiWorld())
    connections.push(db)
    if (backend.shared) for (let i = 0; i < 2; i++) connections.push(await store.reopen())
    else connections.push(db, db)

    const registers = await readRegisters(db, { registers: ['buses', 'staff', 'trips'] })
    const driverOf = (plate: string) =>
      registers.staff.find((s) => s.role === 'driver' && s.busPlate === plate)
    const mondayTrips = (plate: string) =>
      registers.trips.filter((t) => t.busPlate === plate && t.weekdays.includes(1))
    bus = registers.buses.find((b) => driverOf(b.plate) && mondayTrips(b.plate).length > 0)!
    driver = driverOf(bus.plate)!
    trip = mondayTrips(bus.plate).find((t) => t.direction === 'to_school') ?? mondayTrips(bus.plate)[0]!
    schoolId = trip.schoolCode

    const testAccess = createTestAccess(db, clock)
    const servedBy = async (school: string) =>
      (await testAccess.access.visibleBusIds({ role: 'school', sub: 'x', schoolId: school })) as string[]
    const served = await servedBy(schoolId)
    // Another company's bus, serving none of the first bus's schools, nor the first bus any of its.
    for (const candidate of registers.buses) {
      const school = mondayTrips(candidate.plate)[0]?.schoolCode
      if (candidate.operator === bus.operator || !driverOf(candidate.plate) || !school) continue
      if (served.includes(candidate.code) || (await servedBy(school)).includes(bus.code)) continue
      otherBus = candidate
      otherSchool = school
      break
    }
    otherDriver = driverOf(otherBus.plate)!

    app = createHttpApp({
      deps: { db, access: testAccess.access, clock, sessions: testAccess.sessions, audit: testAccess.audit },
      tokens: testAccess.tokens,
      health: async () => ({ status: 'ok', parts: {} }),
      log: createLogger({ level: 'silent' }),
    })
    const principals: Record<string, Principal> = {
      bureau: { role: 'bureau', sub: 'bureau-1' },
      school: { role: 'school', sub: 'school-admin', schoolId },
      otherSchool: { role: 'school', sub: 'other-school-admin', schoolId: otherSchool },
      attendant: { role: 'attendant', sub: 'A1', busId: bus.code },
      parent: { role: 'parent', sub: 'G1', pupilIds: ['P-none'] },
    }
    // Valid for over a year: the last tests run into the next cycle.
    for (const [caller, principal] of Object.entries(principals))
      tokens[caller] = await testAccess.tokens.issue(principal, { ttlS: 400 * 86400 })
  }, 180_000)
  afterAll(async () => {
    await store?.dispose()
  })

  it('charges the driver and the company by the table, each event once, and opens one interview each at 6', async () => {
    expect(otherBus).toBeDefined()
    await writeDerivedEvents(db, [
      overSpeed('07:00:00', 64),
      overSpeed('07:10:00', 75),
      overSpeed('07:20:00', 95, false),
      limiterOff('07:25:00'),
    ])
    const results = await scoreAll()
    // 64 and 75 on a 60 road: 6.7 % and 25 % over; the limiter off 3; the episode still going waits.
    expect(await pointsOf(driver.code)).toEqual([
      { kind: 'over_speed', points: 1, voided: false, margin: 6.7 },
      { kind: 'over_speed', points: 2, voided: false, margin: 25 },
      { kind: 'limiter_disabled', points: 3, voided: false, margin: null },
    ])
    expect(results.reduce((sum, r) => sum + r.judged, 0)).toBe(3)
    expect(
      results
        .flatMap((r) => r.tasks)
        .map((t) => `${t.subject}:${t.step}`)
        .sort(),
    ).toEqual(['company:interview', 'driver:interview'])
    const [company] = await db.query<{ total: number }>(
      `SELECT sum(points)::int AS total FROM score_points WHERE subject = 'company' AND subject_key = $1`,
      [bus.operator],
    )
    expect(company).toEqual({ total: 6 })

    const interviews = await tasksOf('score_interview')
    expect(interviews.map((task) => task.subject).sort()).toEqual(
      [`company:${bus.operator}`, `driver:${driver.code}`].sort(),
    )
    const driversTask = interviews.find((task) => task.details.subject === 'driver')!
    expect(driversTask).toMatchObject({
      busId: bus.code,
      severity: 'major',
      details: {
        key: driver.code,
        name: driver.name,
        total: 6,
        threshold: 6,
        thresholds: { interview: 6, warning: 10, removal: 12 },
        cycle: { startsOn: '2026-01-01', endsOn: '2026-12-31' },
        deduction: { kind: 'limiter_disabled', points: 3 },
      },
    })
    // The inbox lists it like any alarm.
    const inbox = await call('GET', '/api/alarms?kind=score_interview', 'bureau')
    expect(inbox.body.alarms).toHaveLength(2)

    const again = await scoreAll()
    expect(again.map((r) => r.judged + r.points + r.tasks.length)).toEqual([0, 0, 0])
    expect(await tasksOf('score_interview')).toHaveLength(2)
  })

  it('scores an over-speed episode once it ends, at its final peak', async () => {
    await scoreAll()
    expect(await pointsOf(driver.code)).toHaveLength(3)
    await writeDerivedEvents(db, [overSpeed('07:20:00', 98)])
    clock.set(at('07:50:00'))
    await scoreAll()
    // 98 on a 60 road is 63 % over: the top step.
    expect((await pointsOf(driver.code)).map((p) => `${p.kind}:${p.points}`)).toEqual([
      'over_speed:1',
      'over_speed:2',
      'over_speed:3',
      'limiter_disabled:3',
    ])
    // 9 points: the interview stands, no warning yet.
    expect(await tasksOf('score_interview')).toHaveLength(2)
    expect(await tasksOf('score_warning')).toHaveLength(0)
  })

  it('voids the points of a case closed as a false alarm, keeps them marked, and tells the interview', async () => {
    clock.set(at('08:00:00'))
    const limiterCase = await caseOf('limiter_disabled', at('07:25:00'))
    const fastCase = await caseOf('over_speed', at('07:20:00'))
    const slowCase = await caseOf('over_speed', at('07:00:00'))
    for (const [id, outcome] of [
      [limiterCase, 'equipment_fault'],
      [fastCase, 'false_alarm'],
      [slowCase, 'resolved'],
    ] as const) {
      const closed = await call('POST', `/api/alarms/${id}/close`, 'bureau', { outcome, text: 'checked' })
      expect(closed.status).toBe(200)
    }
    clock.set(at('08:01:00'))
    const results = await scoreAll()
    expect(results.reduce((sum, r) => sum + r.voided, 0)).toBe(4)
    expect((await pointsOf(driver.code)).map((p) => `${p.points}:${p.voided}`)).toEqual([
      '1:false',
      '2:false',
      '3:true',
      '3:true',
    ])

    const history = await call('GET', `/api/scores/driver/${driver.code}`, 'bureau')
    expect(history.status).toBe(200)
    expect(history.body).toMatchObject({
      subject: 'driver',
      key: driver.code,
      name: driver.name,
      total: 3,
      voidedPoints: 6,
      deductions: 4,
      cycle: { startsOn: '2026-01-01', endsOn: '2026-12-31' },
      reached: [{ step: 'interview', threshold: 6, totalThen: 6, stands: false }],
      removed: false,
    })
    const fast = history.body.points.find((p: Json) => p.case?.id === fastCase)
    expect(fast).toMatchObject({
      points: 3,
      rule: { kind: 'over_speed', measure: 'over_limit_pct', margin: 63.3, band: { from: 50, points: 3 } },
      voided: { at: '2026-03-02T00:00:00.000Z', by: 'bureau-1', outcome: 'false_alarm' },
      event: { busId: bus.code, plate: bus.plate, kind: 'over_speed', tripId: trip.code },
      case: { state: 'closed', outcome: 'false_alarm', closedBy: 'bureau-1' },
    })
    expect(history.body.points.find((p: Json) => p.case?.id === slowCase).voided).toBeNull()

    // The interview stays reached; its case is told, once.
    const interview = (await tasksOf('score_interview')).find((task) => task.details.subject === 'driver')!
    const notes = async () =>
      (await call('GET', `/api/alarms/${interview.id}`, 'bureau')).body.notes as Json[]
    expect((await notes()).map((note) => note.author)).toEqual(['platform'])
    expect((await notes())[0]!.text).toContain('now has 3 points')
    expect(history.body.reached[0].caseId).toBe(interview.id)

    // Back over 6: no second interview.
    await writeDerivedEvents(db, [overSpeed('07:40:00', 75), overSpeed('07:45:00', 75)])
    clock.set(at('08:10:00'))
    await scoreAll()
    const after = await call('GET', `/api/scores/driver/${driver.code}`, 'bureau')
    expect(after.body).toMatchObject({ total: 7, reached: [{ step: 'interview', stands: true }] })
    expect(
      (await tasksOf('score_interview')).filter((task) => task.details.subject === 'driver'),
    ).toHaveLength(1)
    expect(await notes()).toHaveLength(1)
  })

  it('takes a driver who reaches 12 off school-bus duty: one critical removal task and a compliance finding', async () => {
    clock.set(at('16:40:00'))
    await db.query(
      `INSERT INTO events (bus_id, kind, ts, trip_id, details) VALUES ($1, 'child_left_on_bus', $2, NULL, $3)`,
      [
        otherBus.code,
        at('16:30:00').toISOString(),
        JSON.stringify({
          reason: 'trip_ended',
          serviceDate: DAY,
          schoolId: otherBus.schoolCode,
          pupils: [{ pupilId: 'P-x', name: '王小明' }],
          contacts: [],
        }),
      ],
    )
    const results = await scoreAll()
    expect(results.flatMap((r) => r.tasks)).toEqual(
      expect.arrayContaining([{ subject: 'driver', key: otherDriver.code, step: 'removal' }]),
    )
    const removals = (await tasksOf('score_removal')).filter((task) => task.details.subject === 'driver')
    expect(removals).toHaveLength(1)
    expect(removals[0]).toMatchObject({
      busId: otherBus.code,
      severity: 'critical',
      details: { total: 12, reached: ['interview', 'warning', 'removal'] },
    })
    // The steps passed on the way are reached, covered by the removal's task.
    expect(
      (await tasksOf('score_interview')).filter((task) => task.details.key === otherDriver.code),
    ).toHaveLength(0)

    const compliance = await call('GET', `/api/compliance?date=${DAY}`, 'bureau')
    expect(compliance.body.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          subject: 'driver',
          key: otherDriver.code,
          rule: 'driver_removed_by_score',
          level: 'red',
        }),
      ]),
    )
    expect(compliance.body.staff.find((s: Json) => s.staffId === otherDriver.code).status).toBe('red')
    // The company reached 12 too: every bus it runs is off school-bus service, and red on the console.
    const { buses } = await readRegisters(db, { registers: ['buses'] })
    const companyBuses = buses.filter((b) => b.operator === otherBus.operator).map((b) => b.plate)
    expect(
      (compliance.body.findings as Json[])
        .filter((finding) => finding.rule === 'operator_removed_by_score')
        .map((finding) => `${String(finding.subject)}:${String(finding.key)}:${String(finding.level)}`)
        .sort(),
    ).toEqual(companyBuses.map((plate) => `bus:${plate}:red`).sort())
    const fleet = await call('GET', '/api/fleet/state', 'bureau')
    expect(fleet.body.buses.find((b: Json) => b.busId === otherBus.code).compliance.bus).toBe('red')

    const history = await call('GET', `/api/scores/driver/${otherDriver.code}`, 'bureau')
    expect(history.body).toMatchObject({ total: 12, removed: true })
    expect(history.body.removals).toHaveLength(1)
    // The history never names the pupil: the case does, where reading is audited.
    expect(history.body.points[0].event.details).toEqual({
      reason: 'trip_ended',
      serviceDate: DAY,
      schoolId: otherBus.schoolCode,
      contacts: [],
    })
  })

  it('shows the bureau every driver and company, a school the drivers of its buses, and nobody else', async () => {
    const all = await call('GET', '/api/scores', 'bureau')
    expect(all.status).toBe(200)
    expect(all.body).toMatchObject({
      cycle: { startsOn: '2026-01-01', endsOn: '2026-12-31' },
      thresholds: { interview: 6, warning: 10, removal: 12 },
    })
    const rows = all.body.scores as Json[]
    const registers = await readRegisters(db, { registers: ['buses', 'staff'] })
    const drivers = registers.staff.filter((s) => s.role === 'driver')
    const companies = new Set(registers.buses.map((b) => b.operator))
    expect(rows.filter((r) => r.subject === 'driver')).toHaveLength(drivers.length)
    expect(rows.filter((r) => r.subject === 'company')).toHaveLength(companies.size)
    expect(
      rows
        .slice(0, 2)
        .map((r) => `${r.subject}:${r.key}:${r.total}`)
        .sort(),
    ).toEqual([`company:${otherBus.operator}:12`, `driver:${otherDriver.code}:12`].sort())
    expect(rows.find((r) => r.key === driver.code)).toMatchObject({
      total: 7,
      voidedPoints: 6,
      busIds: [bus.code],
      removed: false,
      reached: [{ step: 'interview', stands: true }],
    })
    expect(rows.find((r) => r.key === otherDriver.code)).toMatchObject({ removed: true })
    const zero = rows.find((r) => r.total === 0)!
    expect(zero).toMatchObject({ deductions: 0, reached: [] })

    const onlyCompanies = await call('GET', '/api/scores?subject=company', 'bureau')
    expect(new Set(onlyCompanies.body.scores.map((r: Json) => r.subject))).toEqual(new Set(['company']))
    // A year before: nobody has points.
    const lastYear = await call('GET', '/api/scores?cycle=2025-06-01', 'bureau')
    expect(lastYear.body.cycle).toEqual({ startsOn: '2025-01-01', endsOn: '2025-12-31' })
    expect(lastYear.body.scores.every((r: Json) => r.total === 0)).toBe(true)

    const school = await call('GET', '/api/scores', 'school')
    expect(school.status).toBe(200)
    const schoolRows = school.body.scores as Json[]
    expect(schoolRows.map((r) => r.subject)).not.toContain('company')
    expect(schoolRows.map((r) => r.key)).toContain(driver.code)
    expect(schoolRows.map((r) => r.key)).not.toContain(otherDriver.code)
    expect((await call('GET', `/api/scores/driver/${driver.code}`, 'school')).status).toBe(200)
    expect((await call('GET', `/api/scores/driver/${otherDriver.code}`, 'school')).status).toBe(403)
    expect(
      (await call('GET', `/api/scores/company/${encodeURIComponent(bus.operator)}`, 'school')).status,
    ).toBe(403)
    const company = await call('GET', `/api/scores/company/${encodeURIComponent(bus.operator)}`, 'bureau')
    expect(company.body).toMatchObject({ subject: 'company', total: 7, removed: null })
    expect((await call('GET', `/api/scores/driver/${otherDriver.code}`, 'otherSchool')).status).toBe(200)
    expect((await call('GET', `/api/scores/driver/${driver.code}`, 'otherSchool')).status).toBe(403)

    for (const caller of ['attendant', 'parent']) {
      expect((await call('GET', '/api/scores', caller)).status).toBe(403)
      expect((await call('GET', `/api/scores/driver/${driver.code}`, caller)).status).toBe(403)
    }
    expect((await call('GET', '/api/scores/driver/NO-SUCH-DRIVER', 'bureau')).status).toBe(404)
    expect((await call('GET', '/api/scores/bus/x', 'bureau')).status).toBe(400)
  })

  it('lifts a removal when the bureau reinstates the driver: no longer red, the task closed, audited; once', async () => {
    clock.set(at('17:30:00'))
    expect(await removedOn(DAY)).toContain(otherDriver.code)
    const removalTasks = await tasksOf('score_removal')
    const [driversTask, companysTask] = ['driver', 'company'].map((subject) =>
      removalTasks.find((task) => task.details.subject === subject && task.busId === otherBus.code)!,
    )
    const path = `/api/scores/driver/${otherDriver.code}/reinstate`
    const note = '已完成安全再培训，经教育局审核同意恢复。Retrained and reviewed by the bureau.'

    // The bureau's alone: not a school that answers for the driver, nor anyone on the bus.
    for (const caller of ['otherSchool', 'school', 'attendant', 'parent'])
      expect((await call('POST', path, caller, { note })).status).toBe(403)
    for (const bad of [{}, { note: '   ' }, { note: 7 }])
      expect(await call('POST', path, 'bureau', bad)).toMatchObject({
        status: 400,
        body: { error: { code: 'bad_request', field: 'body.note' } },
      })
    expect(await removedOn(DAY)).toContain(otherDriver.code)

    const lifted = await call('POST', path, 'bureau', { note })
    expect(lifted.status).toBe(200)
    expect(lifted.body).toMatchObject({
      removal: {
        staffId: otherDriver.code,
        cycle: { startsOn: '2026-01-01', endsOn: '2026-12-31' },
        liftedAt: at('17:30:00').toISOString(),
        liftedBy: 'bureau-1',
        note,
      },
      alarm: {
        id: driversTask.id,
        kind: 'score_removal',
        state: 'closed',
        outcome: 'resolved',
        closedBy: 'bureau-1',
      },
    })
    expect(lifted.body.alarm.closingText).toContain(note)
    expect(await removedOn(DAY)).not.toContain(otherDriver.code)

    // Closed through the inbox's own steps: acknowledged (its escalation stops), then closed.
    const removalCase = await call('GET', `/api/alarms/${driversTask.id}`, 'bureau')
    expect(removalCase.body.history.map((step: Json) => `${step.action}:${step.actor}`)).toEqual([
      'opened:platform',
      'acknowledged:bureau-1',
      'closed:bureau-1',
    ])
    // The company's removal task is the bureau's to work apart: it stays open.
    expect((await call('GET', `/api/alarms/${companysTask.id}`, 'bureau')).body.alarm.state).toBe('open')

    // The points and the steps stay; the removal is kept, lifted.
    const history = await call('GET', `/api/scores/driver/${otherDriver.code}`, 'bureau')
    expect(history.body).toMatchObject({
      total: 12,
      removed: false,
      reached: [
        { step: 'interview' },
        { step: 'warning' },
        { step: 'removal', stands: true, caseId: driversTask.id },
      ],
      removals: [{ liftedBy: 'bureau-1', note }],
    })
    const board = await call('GET', '/api/scores?subject=driver', 'bureau')
    expect(board.body.scores.find((r: Json) => r.key === otherDriver.code)).toMatchObject({
      total: 12,
      removed: false,
    })

    const audited = await db.query<{ actor: string; actorRole: string; target: string; detail: Json }>(
      `SELECT actor, actor_role AS "actorRole", target, detail FROM audit_log
       WHERE action = 'score_removal_lifted'`,
    )
    expect(audited).toEqual([
      {
        actor: 'bureau-1',
        actorRole: 'bureau',
        target: `score/driver/${otherDriver.code}`,
        detail: {
          cycle: { startsOn: '2026-01-01', endsOn: '2026-12-31' },
          removedAt: at('16:40:00').toISOString(),
          note,
          caseId: driversTask.id,
        },
      },
    ])

    // Once: a second time, or a driver never removed, finds no removal standing.
    for (const key of [otherDriver.code, driver.code, 'NO-SUCH-DRIVER'])
      expect(await call('POST', `/api/scores/driver/${key}/reinstate`, 'bureau', { note })).toMatchObject({
        status: 404,
        body: { error: { code: 'not_found', reason: 'no_removal' } },
      })
    expect(await db.query(`SELECT 1 FROM audit_log WHERE action = 'score_removal_lifted'`)).toHaveLength(1)
  })

  it('lets a removal lapse with its cycle: the next starts at 0, and 12 points in it remove the driver again', async () => {
    // The tests after this one are on the day again, whatever becomes of this one.
    onTestFinished(() => clock.set(at('18:00:00')))
    const childLeft = (ts: Date) =>
      db.query(
        `INSERT INTO events (bus_id, kind, ts, trip_id, details) VALUES ($1, 'child_left_on_bus', $2, NULL, $3)`,
        [
          bus.code,
          ts.toISOString(),
          JSON.stringify({ reason: 'trip_ended', schoolId: bus.schoolCode, pupils: [], contacts: [] }),
        ],
      )
    const nextYear = '2027-01-04'
    const inNextYear = (time: string) => fromShanghaiTime(nextYear, time)

    // 7 + 12 in 2026: removed in the 2026 cycle, and never reinstated.
    await childLeft(at('17:00:00'))
    clock.set(at('17:40:00'))
    await scoreAll()
    expect(await removedOn(DAY)).toContain(driver.code)
    expect(await removedOn('2026-12-31')).toContain(driver.code)
    // A new cycle starts at 0: the removal has lapsed with the old one.
    expect(await removedOn(nextYear)).not.toContain(driver.code)
    const nextBoard = await call('GET', `/api/scores?cycle=${nextYear}&subject=driver`, 'bureau')
    expect(nextBoard.body.scores.find((r: Json) => r.key === driver.code)).toMatchObject({
      total: 0,
      removed: false,
    })

    clock.set(inNextYear('08:00:00'))
    const path = `/api/scores/driver/${driver.code}/reinstate`
    expect(await call('POST', path, 'bureau', { note: 'retrained' })).toMatchObject({
      status: 404,
      body: { error: { reason: 'no_removal' } },
    })

    // 12 points in 2027 remove the driver again, in that cycle.
    await childLeft(inNextYear('07:30:00'))
    clock.set(inNextYear('07:40:00'))
    await scoreAll()
    expect(await removedOn(nextYear)).toContain(driver.code)
    const history = await call('GET', `/api/scores/driver/${driver.code}`, 'bureau')
    expect(history.body).toMatchObject({
      cycle: { startsOn: '2027-01-01', endsOn: '2027-12-31' },
      total: 12,
      removed: true,
      removals: [
        { cycle: { startsOn: '2027-01-01', endsOn: '2027-12-31' }, liftedAt: null },
        { cycle: { startsOn: '2026-01-01', endsOn: '2026-12-31' }, liftedAt: null },
      ],
    })

    // Closing the removal's task does not reinstate the driver; reinstating leaves the closed case as it was.
    const removalCase = history.body.reached.find((entry: Json) => entry.step === 'removal').caseId as number
    expect(
      (
        await call('POST', `/api/alarms/${removalCase}/close`, 'bureau', {
          outcome: 'resolved',
          text: 'stood down',
        })
      ).status,
    ).toBe(200)
    expect(await removedOn(nextYear)).toContain(driver.code)
    clock.set(inNextYear('10:00:00'))
    const lifted = await call('POST', path, 'bureau', { note: 'retrained' })
    expect(lifted.body).toMatchObject({
      removal: { cycle: { startsOn: '2027-01-01' }, note: 'retrained' },
      alarm: {
        id: removalCase,
        state: 'closed',
        closingText: 'stood down',
        closedAt: inNextYear('07:40:00').toISOString(),
      },
    })
    expect(await removedOn(nextYear)).not.toContain(driver.code)
    // The lapsed removal of 2026 is history: still unlifted, still red on a day of its cycle.
    expect(await removedOn(DAY)).toContain(driver.code)
  })

  it('lets the bureau edit the table, audited, and refuses a table that does not hold', async () => {
    const table = await call('GET', '/api/score-rules', 'bureau')
    expect(table.status).toBe(200)
    expect(table.body).toMatchObject({
      cycleStartMonth: 1,
      thresholds: { interview: 6, warning: 10, removal: 12 },
      voidingOutcomes: ['false_alarm', 'equipment_fault', 'duplicate'],
    })
    const ruleOf = (kind: string) => (table.body.rules as Json[]).find((rule) => rule.kind === kind)!
    expect(ruleOf('over_speed')).toMatchObject({ points: null, bands: { measure: 'over_limit_pct' } })
    expect(ruleOf('child_left_on_bus')).toMatchObject({ points: 12, subjects: ['driver', 'company'] })
    expect((await call('GET', '/api/score-rules', 'school')).status).toBe(403)

    const rules = (table.body.rules as Json[]).map(({ kind, points, bands, subjects, basis }) => ({
      kind,
      ...(points === null ? { bands } : { points }),
      subjects,
      basis,
    }))
    const edited = {
      rules: [
        ...rules.filter((rule) => rule.kind !== 'stop_unapproved'),
        { kind: 'stop_unapproved', points: 2, subjects: ['company'] },
      ],
      cycleStartMonth: 9,
      thresholds: { interview: 6, warning: 10, removal: 12 },
    }
    expect((await call('PUT', '/api/score-rules', 'school', edited)).status).toBe(403)
    const saved = await call('PUT', '/api/score-rules', 'bureau', edited)
    expect(saved.status).toBe(200)
    expect(saved.body).toMatchObject({ cycleStartMonth: 9, updatedBy: 'bureau-1' })
    expect(saved.body.rules.find((rule: Json) => rule.kind === 'stop_unapproved')).toMatchObject({
      points: 2,
      subjects: ['company'],
      basis: null,
    })
    const [audited] = await db.query<{ actor: string; detail: Json }>(
      `SELECT actor, detail FROM audit_log WHERE action = 'score_rules_changed'`,
    )
    expect(audited!.actor).toBe('bureau-1')
    expect(audited!.detail.before.cycleStartMonth).toBe(1)
    expect(audited!.detail.after.cycleStartMonth).toBe(9)

    for (const [bad, field] of [
      [
        { ...edited, rules: [{ kind: 'limiter_disabled', bands: ruleOf('over_speed').bands }] },
        'body.rules.0.bands',
      ],
      [
        { ...edited, rules: [{ kind: 'stop_skipped', points: 2, bands: ruleOf('over_speed').bands }] },
        'body.rules.0.points',
      ],
      [{ ...edited, rules: [{ kind: 'score_warning', points: 2 }] }, 'body.rules.0.kind'],
      [{ ...edited, thresholds: { interview: 6, warning: 5, removal: 12 } }, 'body.thresholds'],
      [{ ...edited, rules: [...edited.rules, { kind: 'stop_skipped', points: 1 }] }, 'body.rules'],
    ] as const) {
      expect(await call('PUT', '/api/score-rules', 'bureau', bad)).toMatchObject({
        status: 400,
        body: { error: { code: 'bad_request', field } },
      })
    }
    // The cycle a subject has keeps its bounds; the board's cycle for a day follows the new start month.
    const board = await call('GET', '/api/scores', 'bureau')
    expect(board.body.cycle).toEqual({ startsOn: '2025-09-01', endsOn: '2026-08-31' })
    expect(board.body.scores.find((r: Json) => r.key === driver.code).cycle).toEqual({
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
    })
  })
})
