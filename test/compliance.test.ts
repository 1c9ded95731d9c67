import ExcelJS from 'exceljs'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCixiWorld } from '../fixtures/cixi-world.js'
import { createPapersAlarms, startPapersAlarms } from '../server/alarms/papers-alarms.js'
import type { AuditLog } from '../server/core/auth/audit-log.js'
import type { Principal } from '../server/core/auth/principal.js'
import { fromShanghaiTime } from '../server/core/clock/shanghai-time.js'
import { addDays, addYears } from '../server/core/compliance/calendar-days.js'
import { complianceWarningsForTrip } from '../server/core/compliance/compliance-warnings-for-trip.js'
import { findComplianceIssues } from '../server/core/compliance/find-compliance.js'
import { createLogger } from '../server/core/log/logger.js'
import { importRegisters, locateRecords } from '../server/core/registers/import-registers.js'
import { readRegisters } from '../server/core/registers/read-registers.js'
import type { BusRecord, RegisterSet, StaffRecord } from '../server/core/registers/register-records.js'
import type { Database } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { createHttpApp, type HttpApp } from '../server/http/create-http-app.js'
import { seedCixiWorld } from '../server/seed/seed-cixi-world.js'
import { embeddedStore, type TestDatabase } from './support/store-backends.js'
import { createTestAccess, settableClock } from './support/test-platform-parts.js'
import { waitFor } from './support/wait-for.js'

/**
 * The compliance register on the Cixi demo registers in the embedded store: a bus whose permit
 * runs out in five days (a Saturday, after the week's last trip), one whose insurance has run out,
 * and a driver of 61, brought in through the registers' import. The import warns of what stops a
 * trip and applies all the same; the register lists each finding, scoped by role and without birth
 * dates; its CSV and workbook open and are kept in the audit log; the papers alarms are raised once
 * per threshold, day after day.
 */

/** A Monday; every school trip of the demo runs Monday to Friday. */
const DAY = '2026-12-07'
const at = (date: string, time = '09:00:00') => fromShanghaiTime(date, time)
const log = createLogger({ level: 'silent' })

let store: TestDatabase
let db: Database
let app: HttpApp
let registers: RegisterSet
const clock = settableClock(at(DAY))
const tokens: Record<string, string> = {}
let audit: AuditLog
/** The three buses the test changes: papers running out, insurance gone, an old driver. */
let expiring: BusRecord
let uninsured: BusRecord
let oldDriversBus: BusRecord
let oldDriver: StaffRecord
let expiredDriverBirthDate: string

async function get(path: string, caller: string) {
  return app.request(path, { headers: { authorization: `Bearer ${tokens[caller]}` } })
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function getJson(path: string, caller: string): Promise<{ status: number; body: any }> {
  const response = await get(path, caller)
  return { status: response.status, body: await response.json() }
}

beforeAll(async () => {
  store = await embeddedStore.open()
  db = store.db
  await migrateDatabase(db)
  await seedCixiWorld(db, await loadCixiWorld())
  registers = await readRegisters(db)

  // Buses with nothing to find on the day, crew included, so each change stands alone.
  const before = findComplianceIssues(registers, DAY)
  const driverOf = (plate: string) =>
    registers.staff.find((s) => s.role === 'driver' && s.busPlate === plate)!
  const clean = registers.buses.filter(
    (bus) =>
      !before.some((f) => f.busPlate === bus.plate) &&
      registers.trips.some((t) => t.busPlate === bus.plate && t.weekdays.includes(5)),
  )
  expect(clean.length).toBeGreaterThan(3)
  ;[expiring, uninsured, oldDriversBus] = clean as [BusRecord, BusRecord, BusRecord]
  oldDriver = driverOf(oldDriversBus.plate)
  expiredDriverBirthDate = addDays(addYears(DAY, -61), -40)

  const testAccess = createTestAccess(db, clock)
  audit = testAccess.audit
  app = createHttpApp({
    deps: { db, access: testAccess.access, clock, sessions: testAccess.sessions, audit: testAccess.audit },
    tokens: testAccess.tokens,
    health: async () => ({ status: 'ok', parts: {} }),
    log,
  })
  const schoolOf = registers.trips.find((t) => t.busPlate === uninsured.plate)!.schoolCode
  const principals: Record<string, Principal> = {
    bureau: { role: 'bureau', sub: 'bureau-1' },
    school: { role: 'school', sub: 'school-admin', schoolId: schoolOf },
    attendant: { role: 'attendant', sub: 'A1', busId: uninsured.code },
  }
  for (const [caller, principal] of Object.entries(principals)) {
    tokens[caller] = await testAccess.tokens.issue(principal, { ttlS: 30 * 86400 })
  }
}, 120_000)
afterAll(() => store?.dispose())

const changes = () =>
  locateRecords(
    {
      buses: [
        // Valid to Saturday: Friday's trips run on its last amber day.
        { ...expiring, permitValidUntil: addDays(DAY, 5) },
        { ...uninsured, insuranceUntil: addDays(DAY, -3) },
      ],
      staff: [{ ...oldDriver, birthDate: expiredDriverBirthDate }],
    },
    'test changes',
  )

describe('the registers’ import', () => {
  it('warns of the trips that would run out of compliance, and still applies', async () => {
    const options = {
      remove: false,
      actor: 'test bureau',
      source: 'test',
      county: undefined,
      serviceDay: DAY,
    }
    const dryRun = await importRegisters(
      db,
      { records: changes(), problems: [] },
      { ...options, apply: false },
    )
    expect(dryRun.errorCount).toBe(0)
    const warnings = dryRun.problems.filter((p) => p.code === 'not_compliant')
    expect(warnings.every((p) => p.severity === 'warning')).toBe(true)
    expect(warnings.map((p) => [p.register, p.row, p.column])).toEqual([
      ['buses', 3, '保险到期 insurance_until'],
      ['staff', 2, null],
    ])
    const tripsOf = (plate: string) => registers.trips.filter((t) => t.busPlate === plate).map((t) => t.code)
    expect(warnings[0]!.message).toContain('insurance_expired')
    expect(warnings[0]!.message).toContain(tripsOf(uninsured.plate)[0]!)
    expect(warnings[1]!.message).toContain('driver_age')
    // The birth date is neither shown as the value nor in the message.
    expect(warnings[1]!.value).toBeNull()
    expect(JSON.stringify(warnings)).not.toContain(expiredDriverBirthDate)
    // Nothing about the bus whose permit lasts past the week's trips.
    expect(JSON.stringify(dryRun.problems)).not.toContain(expiring.plate)
    // Without a service day (the demo seed), no such warnings.
    const unjudged = await importRegisters(
      db,
      { records: changes(), problems: [] },
      { ...options, serviceDay: undefined, apply: false },
    )
    expect(unjudged.warningCount).toBe(0)

    const applied = await importRegisters(
      db,
      { records: changes(), problems: [] },
      { ...options, apply: true },
    )
    expect(applied.applied).toBe(true)
    expect(applied.warningCount).toBe(2)
  })
})

describe('GET /api/compliance', () => {
  it('lists each finding with its level, due date and days left, and every bus’s and person’s standing', async () => {
    const { status, body } = await getJson(`/api/compliance?date=${DAY}`, 'bureau')
    expect(status).toBe(200)
    expect(body.date).toBe(DAY)
    expect(body.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          subject: 'bus',
          key: expiring.plate,
          rule: 'permit_expiring',
          level: 'amber',
          dueDate: addDays(DAY, 5),
          daysLeft: 5,
        }),
        expect.objectContaining({
          subject: 'bus',
          key: uninsured.plate,
          rule: 'insurance_expired',
          level: 'red',
          dueDate: addDays(DAY, -3),
          daysLeft: -3,
        }),
        {
          subject: 'driver',
          key: oldDriver.code,
          busPlate: oldDriversBus.plate,
          name: oldDriver.name,
          paper: 'age',
          rule: 'driver_age',
          level: 'red',
          dueDate: null,
          daysLeft: null,
        },
      ]),
    )
    // The age is out of range; when the driver was born is not the reader's to know.
    expect(JSON.stringify(body)).not.toContain(expiredDriverBirthDate)
    expect(JSON.stringify(body)).not.toContain('birthDate')
    const levels = body.findings.map((f: { level: string }) => f.level)
    expect(levels).toEqual(
      [...levels].sort(
        (a, b) => ['red', 'amber', 'notice'].indexOf(a) - ['red', 'amber', 'notice'].indexOf(b),
      ),
    )
    expect(body.counts.red).toBe(levels.filter((l: string) => l === 'red').length)

    const bus = (plate: string) => body.buses.find((b: { plate: string }) => b.plate === plate)
    expect(body.buses).toHaveLength(registers.buses.length)
    expect(bus(expiring.plate)).toEqual({
      plate: expiring.plate,
      busId: expiring.code,
      status: 'amber',
      crewStatus: 'ok',
    })
    expect(bus(uninsured.plate)).toMatchObject({ status: 'red', crewStatus: 'ok' })
    expect(bus(oldDriversBus.plate)).toMatchObject({ status: 'ok', crewStatus: 'red' })
    expect(body.staff.find((s: { staffId: string }) => s.staffId === oldDriver.code)).toMatchObject({
      role: 'driver',
      status: 'red',
    })
    // Drivers and attendants only: police contacts keep no papers here.
    expect(body.staff).toHaveLength(registers.staff.filter((s) => s.role !== 'police').length)
  })

  it('keeps to a level and worse when asked', async () => {
    const { body } = await getJson(`/api/compliance?date=${DAY}&level=red`, 'bureau')
    expect(body.findings.length).toBeGreaterThan(0)
    expect(body.findings.every((f: { level: string }) => f.level === 'red')).toBe(true)
    expect(body.buses.map((b: { plate: string }) => b.plate)).toContain(uninsured.plate)
    expect(body.buses.map((b: { plate: string }) => b.plate)).not.toContain(expiring.plate)
    expect((await getJson('/api/compliance?level=purple', 'bureau')).body.error.field).toBe('query.level')
  })

  it('judges today in Cixi when no date is given', async () => {
    clock.set(at(addDays(DAY, 5), '07:00:00'))
    const { body } = await getJson('/api/compliance', 'bureau')
    clock.set(at(DAY))
    expect(body.date).toBe(addDays(DAY, 5))
    expect(body.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: expiring.plate, rule: 'permit_expiring', level: 'red', daysLeft: 0 }),
      ]),
    )
  })

  it('shows a school the buses serving it and their staff, and no one else anything', async () => {
    const { body } = await getJson(`/api/compliance?date=${DAY}`, 'school')
    const school = registers.trips.find((t) => t.busPlate === uninsured.plate)!.schoolCode
    const serving = new Set(registers.trips.filter((t) => t.schoolCode === school).map((t) => t.busPlate))
    expect(new Set(body.buses.map((b: { plate: string }) => b.plate))).toEqual(serving)
    expect(serving.size).toBeLessThan(registers.buses.length)
    for (const finding of body.findings) expect(serving).toContain(finding.busPlate)
    for (const person of body.staff) expect(serving).toContain(person.busPlate)
    expect(body.findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: uninsured.plate, rule: 'insurance_expired' })]),
    )
    expect((await get('/api/compliance', 'attendant')).status).toBe(403)
    expect((await get('/api/compliance.csv', 'attendant')).status).toBe(403)
  })
})

describe('the compliance exports', () => {
  it('downloads the findings as CSV and the register as a workbook, each kept in the audit log', async () => {
    const { body: shown } = await getJson(`/api/compliance?date=${DAY}`, 'bureau')

    const csv = await get(`/api/compliance.csv?date=${DAY}`, 'bureau')
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toContain('text/csv')
    expect(csv.headers.get('content-disposition')).toContain(`compliance-${DAY}.csv`)
    const rows = parse(await csv.text(), { bom: true, columns: true }) as Record<string, string>[]
    expect(rows).toHaveLength(shown.findings.length)
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          '级别 level': 'red',
          '车牌号 plate': uninsured.plate,
          '项目 rule': 'insurance_expired',
          description: 'Insurance expired',
          '到期日 due_date': addDays(DAY, -3),
          '剩余天数 days_left': '-3',
        }),
        expect.objectContaining({
          '工号 staff': oldDriver.code,
          '项目 rule': 'driver_age',
          '到期日 due_date': '',
        }),
      ]),
    )

    const xlsx = await get(`/api/compliance.xlsx?date=${DAY}`, 'school')
    expect(xlsx.status).toBe(200)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(await xlsx.arrayBuffer())
    expect(book.worksheets.map((s) => s.name)).toEqual([`合规 compliance ${DAY}`, '状态 status'])
    const [findings, standing] = book.worksheets as [ExcelJS.Worksheet, ExcelJS.Worksheet]
    const cells = (sheet: ExcelJS.Worksheet) =>
      sheet
        .getSheetValues()
        .filter(Boolean)
        .map((row) => (row as ExcelJS.CellValue[]).slice(1))
    const found = cells(findings)
    expect(found[0]).toEqual(expect.arrayContaining(['级别 level', '项目 rule', '到期日 due_date']))
    expect(found).toEqual(
      expect.arrayContaining([
        expect.arrayContaining(['red', 'bus', uninsured.plate, 'insurance_expired', addDays(DAY, -3), -3]),
      ]),
    )
    expect(cells(standing)).toEqual(
      expect.arrayContaining([expect.arrayContaining(['bus', uninsured.plate, uninsured.code, '红色 red'])]),
    )

    const exports = await audit.list({ action: 'export', limit: 10 })
    expect(exports.map((e) => [e.actor, e.actorRole, e.target])).toEqual([
      ['school-admin', 'school', 'compliance.xlsx'],
      ['bureau-1', 'bureau', 'compliance.csv'],
    ])
    expect(exports[1]!.detail).toMatchObject({ date: DAY, findings: shown.findings.length })
  })
})

describe('complianceWarningsForTrip', () => {
  it('warns of giving a trip a bus out of compliance on the days it runs', async () => {
    const tripOf = (plate: string) => registers.trips.find((t) => t.busPlate === plate)!
    const uninsuredTrip = tripOf(uninsured.plate)
    const warnings = await complianceWarningsForTrip(db, { tripId: uninsuredTrip.code, serviceDay: DAY })
    expect(warnings).toEqual([
      expect.objectContaining({
        tripCode: uninsuredTrip.code,
        finding: expect.objectContaining({ rule: 'insurance_expired' }),
      }),
    ])
    // The bus whose permit runs to Saturday runs its trips this week; next Monday it would not.
    const expiringTrip = tripOf(expiring.plate)
    expect(await complianceWarningsForTrip(db, { tripId: expiringTrip.code, serviceDay: DAY })).toEqual([])
    expect(
      await complianceWarningsForTrip(db, { tripId: expiringTrip.code, serviceDay: addDays(DAY, 7) }),
    ).toEqual([
      expect.objectContaining({
        date: addDays(DAY, 7),
        finding: expect.objectContaining({ rule: 'permit_expired' }),
      }),
    ])
    // Given the old driver's bus instead, the trip would run with a driver past 60.
    expect(
      await complianceWarningsForTrip(db, {
        tripId: expiringTrip.code,
        busId: oldDriversBus.code,
        serviceDay: DAY,
      }),
    ).toEqual([
      expect.objectContaining({
        finding: expect.objectContaining({ subject: 'driver', key: oldDriver.code }),
      }),
    ])
    expect(await complianceWarningsForTrip(db, { tripId: 'no-such-trip', serviceDay: DAY })).toEqual([])
  })

  it('answers the bureau that gives a trip an uninsured bus with the warning, and makes the change', async () => {
    const trip = registers.trips.find((t) => t.busPlate === expiring.plate && t.weekdays.includes(5))!
    const patch = (busId: string) =>
      app.request(`/api/trips/${trip.code}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${tokens.bureau}`, 'content-type': 'application/json' },
        body: JSON.stringify({ busId }),
      })
    const swapped = await patch(uninsured.code)
    expect(swapped.status).toBe(200)
    const body = (await swapped.json()) as { trip: { busId: string }; warnings: unknown[] }
    expect(body.trip.busId).toBe(uninsured.code)
    expect(body.warnings).toEqual([
      expect.objectContaining({ finding: expect.objectContaining({ rule: 'insurance_expired' }) }),
    ])
    // Back on its own bus, whose permit runs out on Saturday: what is found is that, not the insurance.
    const back = (await (await patch(expiring.code)).json()) as {
      warnings: { finding: { rule: string; busPlate: string } }[]
    }
    for (const warning of back.warnings) expect(warning.finding.busPlate).toBe(expiring.plate)
  })
})

describe('the papers alarms', () => {
  const papersEvents = () =>
    db.query<{ busId: string; kind: string; details: Record<string, unknown> }>(
      `SELECT bus_id AS "busId", kind, details FROM events
       WHERE kind IN ('papers_expiring', 'papers_expired') ORDER BY ts, bus_id`,
    )

  it('raises each paper once at 30 and 7 days and once when it lapses, as the days go by', async () => {
    const alarms = createPapersAlarms({ db, clock, log })
    clock.set(at(DAY, '00:05:00'))
    const first = await alarms.raiseDue()
    const expected = findComplianceIssues(await readRegisters(db, { registers: ['buses', 'staff'] }), DAY)
    expect(first).toHaveLength(expected.filter((f) => f.busPlate !== null).length)
    expect(first).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          busId: expiring.code,
          kind: 'papers_expiring',
          details: expect.objectContaining({
            rule: 'permit_expiring',
            threshold: 7,
            dueDate: addDays(DAY, 5),
          }),
        }),
        expect.objectContaining({
          busId: uninsured.code,
          kind: 'papers_expired',
          details: expect.objectContaining({ rule: 'insurance_expired', threshold: 0 }),
        }),
        // A driver's alarm is keyed by the bus the driver serves, and gives no date of the birthday.
        expect.objectContaining({
          busId: oldDriversBus.code,
          kind: 'papers_expired',
          details: expect.objectContaining({
            subject: 'driver',
            key: oldDriver.code,
            rule: 'driver_age',
            dueDate: null,
            daysLeft: null,
          }),
        }),
      ]),
    )
    expect(await papersEvents()).toHaveLength(first.length)
    expect(JSON.stringify(await papersEvents())).not.toContain(expiredDriverBirthDate)

    // Again on the same day, and the next (the permit still amber): nothing new.
    expect(await alarms.raiseDue()).toEqual([])
    clock.set(at(addDays(DAY, 1), '00:05:00'))
    expect(await alarms.raiseDue()).toEqual([])

    // The permit's last day: it lapses, once.
    clock.set(at(addDays(DAY, 5), '00:05:00'))
    const lapsed = await alarms.raiseDue()
    expect(lapsed.filter((a) => a.busId === expiring.code)).toEqual([
      expect.objectContaining({
        kind: 'papers_expired',
        details: expect.objectContaining({ rule: 'permit_expiring', threshold: 0 }),
      }),
    ])
    clock.set(at(addDays(DAY, 6), '00:05:00'))
    expect((await alarms.raiseDue()).filter((a) => a.busId === expiring.code)).toEqual([])
    expect((await papersEvents()).filter((e) => e.busId === expiring.code).map((e) => e.kind)).toEqual([
      'papers_expiring',
      'papers_expired',
    ])

    // A renewed permit starts over: 30 days before its new end, a notice again.
    await importRegisters(
      db,
      {
        records: locateRecords({ buses: [{ ...expiring, permitValidUntil: addDays(DAY, 40) }] }, 'renewal'),
        problems: [],
      },
      { apply: true, remove: false, actor: 'test bureau', source: 'renewal', county: undefined },
    )
    clock.set(at(addDays(DAY, 10), '00:05:00'))
    expect((await alarms.raiseDue()).filter((a) => a.busId === expiring.code)).toEqual([
      expect.objectContaining({
        kind: 'papers_expiring',
        details: expect.objectContaining({ threshold: 30, dueDate: addDays(DAY, 40), daysLeft: 30 }),
      }),
    ])
    clock.set(at(DAY))
  })

  it('runs a pass when the alarms part starts', async () => {
    await db.query(`DELETE FROM events WHERE kind IN ('papers_expiring', 'papers_expired')`)
    clock.set(at(DAY))
    const stop = startPapersAlarms({ db, clock, log })
    try {
      const events = await waitFor(papersEvents, (rows) => rows.length > 0, 'papers alarms at start')
      expect(events.map((e) => e.busId)).toContain(uninsured.code)
    } finally {
      await stop()
    }
  })
})
