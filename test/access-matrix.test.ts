import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RoadNetwork } from '../geo/roads/road-network.js'
import { defaultParentWindow } from '../server/core/auth/access-policy.js'
import { createAccessTokens } from '../server/core/auth/access-tokens.js'
import type { Principal } from '../server/core/auth/principal.js'
import type { SessionGrant } from '../server/core/auth/sessions.js'
import { createHttpApp, type HttpApp } from '../server/http/create-http-app.js'
import { apiOperations } from '../server/http/openapi/api-operations.js'
import { createLogger } from '../server/core/log/logger.js'
import type { Database } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { openPgliteDatabase } from '../server/core/store/pglite-database.js'
import { createScopeQueries } from '../server/core/store/scope-queries.js'
import { loadTwoSchoolsTwoBuses, scenario } from './scenarios/two-schools-two-buses.js'
import {
  createTestAccess,
  scenarioPrincipals,
  settableClock,
  testSecret,
  type ScenarioCaller,
} from './support/test-platform-parts.js'

/** The scenario's callers, and an administrator of the bureau, who alone manages accounts. */
type Caller = ScenarioCaller | 'bureauAdmin'
const principals: Record<Caller, Principal> = {
  ...scenarioPrincipals,
  bureauAdmin: { role: 'bureau', sub: 'bureau-admin', admin: true },
}
const callers = Object.keys(principals) as Caller[]
/** Long enough for every simulated time the tests move the clock to. */
const tokenTtlS = 3 * 86400
type Expected = Record<Caller, number>

const onlyBureau: Expected = {
  bureau: 200,
  bureauAdmin: 200,
  schoolS1: 403,
  schoolS2: 403,
  attendantB1: 403,
  attendantB2: 403,
  parentP1: 403,
  parentP2: 403,
  deviceB1: 403,
  service: 403,
}
const onlyAdmin: Expected = { ...onlyBureau, bureau: 403 }
/** The bureau, and school S1, whose pupils bus B1 carries. */
const bureauAndS1: Expected = { ...onlyBureau, schoolS1: 200 }
/** The bureau, and each school within its own scope. */
const bureauAndSchools: Expected = { ...onlyBureau, schoolS1: 200, schoolS2: 200 }
const track = '/positions?from=2026-03-02T07:00:00%2B08:00&to=2026-03-02T08:00:00%2B08:00'
const today = '2026-03-02'
/** The world of the test holds one alarm case: bus B1's over-speed on trip T1, the store's first. */
const alarmId = 1
/** A plan the planner finished, with no line (none was needed). */
const planId = '5b7d3f0e-2c4a-4e9b-8f61-0a3c5d7e9b12'
/** A box around Longshan, at a zoom the streets are drawn. */
const longshanRoads = '/api/map/roads?bbox=121.38,30.17,121.42,30.21&zoom=14'
const roads: RoadNetwork = {
  source: 'two streets of Longshan',
  ways: [
    {
      id: 'w1',
      name: '龙山路',
      roadClass: 'secondary',
      coords: [
        [121.39, 30.18],
        [121.4, 30.19],
      ],
      speedKmh: 40,
      oneway: false,
    },
    {
      id: 'w2',
      roadClass: 'residential',
      coords: [
        [121.395, 30.185],
        [121.405, 30.195],
      ],
      speedKmh: 30,
      oneway: false,
    },
  ],
}

/** Every route family against every role, at 07:10 on a Monday while trips T1 and T2 run. */
const matrix: [string, Expected][] = [
  [
    '/api/me',
    {
      ...onlyBureau,
      schoolS1: 200,
      schoolS2: 200,
      attendantB1: 200,
      attendantB2: 200,
      parentP1: 200,
      parentP2: 200,
      deviceB1: 200,
      service: 200,
    },
  ],
  [
    '/api/buses',
    {
      ...onlyBureau,
      schoolS1: 200,
      schoolS2: 200,
      attendantB1: 200,
      attendantB2: 200,
      parentP1: 200,
      parentP2: 200,
      deviceB1: 200,
      service: 200,
    },
  ],
  [
    '/api/buses/B1',
    { ...onlyBureau, schoolS1: 200, attendantB1: 200, parentP1: 200, deviceB1: 200, service: 200 },
  ],
  [
    '/api/buses/B1/today',
    { ...onlyBureau, schoolS1: 200, attendantB1: 200, parentP1: 200, deviceB1: 200, service: 200 },
  ],
  [
    `/api/buses/B1${track}`,
    { ...onlyBureau, schoolS1: 200, attendantB1: 200, parentP1: 200, deviceB1: 200, service: 200 },
  ],
  [
    '/api/buses/B1/live',
    { ...onlyBureau, schoolS1: 200, attendantB1: 200, parentP1: 200, deviceB1: 200, service: 200 },
  ],
  ['/api/buses/B2', { ...onlyBureau, schoolS2: 200, attendantB2: 200, parentP2: 200, service: 200 }],
  ['/api/buses/B1/commands', bureauAndS1],
  ['/api/terminals/status', bureauAndSchools],
  [
    '/api/trips',
    {
      ...onlyBureau,
      schoolS1: 200,
      schoolS2: 200,
      attendantB1: 200,
      attendantB2: 200,
      parentP1: 200,
      parentP2: 200,
    },
  ],
  ['/api/trips/T1', { ...onlyBureau, schoolS1: 200, attendantB1: 200, parentP1: 200 }],
  ['/api/trips/T1/roster', { ...onlyBureau, schoolS1: 200, attendantB1: 200 }],
  ['/api/trips/T1/boardings', { ...onlyBureau, schoolS1: 200, attendantB1: 200 }],
  ['/api/schools', bureauAndSchools],
  ['/api/schools/S1', bureauAndS1],
  ['/api/pupils/P1', { ...onlyBureau, schoolS1: 200, attendantB1: 200, parentP1: 200 }],
  ['/api/pupils/P1/ride', { ...onlyBureau, schoolS1: 200, attendantB1: 200, parentP1: 200 }],
  ['/api/pupils/P2/ride', { ...onlyBureau, schoolS2: 200, attendantB2: 200, parentP2: 200 }],
  // The roads are no one's personal data: every person signed in, but no terminal or process.
  [
    longshanRoads,
    {
      ...bureauAndSchools,
      attendantB1: 200,
      attendantB2: 200,
      parentP1: 200,
      parentP2: 200,
    },
  ],
  ['/api/events', { ...onlyBureau, schoolS1: 200, schoolS2: 200, attendantB1: 200, attendantB2: 200 }],
  ['/api/dead-letters', onlyBureau],
  [`/api/ridership?from=${today}&to=${today}`, bureauAndSchools],
  ['/api/ingest/stats', onlyBureau],
  // The fleet console: a school sees the buses serving it, and the cases of those buses.
  ['/api/fleet/state', bureauAndSchools],
  ['/api/fleet/buses/B1/day', bureauAndS1],
  ['/api/fleet/assignees', onlyBureau],
  ['/api/alarms', bureauAndSchools],
  [`/api/alarms/${alarmId}`, bureauAndS1],
  ['/api/alarm-kinds', onlyBureau],
  ['/api/compliance', bureauAndSchools],
  [`/api/compliance.csv?date=${today}`, bureauAndSchools],
  [`/api/compliance.xlsx?date=${today}&level=red`, bureauAndSchools],
  [`/api/reports?period=day&date=${today}`, bureauAndSchools],
  [`/api/reports?period=month&date=2026-03&by=bus`, bureauAndSchools],
  // A school's reports are by bus, driver or school: never a town's or the county's.
  [`/api/reports?period=day&date=${today}&by=town`, onlyBureau],
  [`/api/reports.csv?period=day&date=${today}&by=school`, bureauAndSchools],
  [`/api/reports.xlsx?period=day&date=${today}&by=bus`, bureauAndSchools],
  // The drivers of a school's buses are the school's to read; the operating companies the bureau's.
  ['/api/scores', bureauAndSchools],
  ['/api/scores/driver/D1', bureauAndS1],
  ['/api/scores/company/Test%20operator', onlyBureau],
  ['/api/score-rules', onlyBureau],
  ['/api/enrolment/status?schoolCode=S1', bureauAndS1],
  ['/api/terminal-credentials', onlyBureau],
  // A school keeps its own pupils; every other register is the bureau's.
  ['/api/registers', bureauAndSchools],
  ['/api/registers/template.xlsx', bureauAndSchools],
  ['/api/registers/export.xlsx', bureauAndSchools],
  ['/api/registers/changes', onlyBureau],
  ['/api/registers/pupils', bureauAndSchools],
  ['/api/registers/buses', onlyBureau],
  ['/api/registers/buses.csv', onlyBureau],
  ['/api/plans', onlyBureau],
  [`/api/plans/${planId}`, onlyBureau],
  [`/api/plans/${planId}/geojson`, onlyBureau],
  [`/api/plans/${planId}/gtfs.zip`, onlyBureau],
  ['/api/planner/density', onlyBureau],
  ['/api/planner/today', onlyBureau],
  ['/api/sessions', onlyBureau],
  ['/api/audit', onlyBureau],
  ['/api/accounts', onlyAdmin],
]

let db: Database
let app: HttpApp
const clock = settableClock(scenario.monday0710)
const tokens: Partial<Record<Caller, string>> = {}
let testAccess: ReturnType<typeof createTestAccess>

/** A JSON answer's body; a file's (CSV, workbook, zip) is only checked to be there. */
async function call(path: string, token?: string) {
  const response = await app.request(path, { headers: token ? { authorization: `Bearer ${token}` } : {} })
  const json = response.headers.get('content-type')?.startsWith('application/json') ?? false
  const body = json
    ? ((await response.json()) as Record<string, unknown>)
    : { file: (await response.arrayBuffer()).byteLength > 0 }
  return { status: response.status, body }
}

/** A refusal says why in words, and may name the input at fault and a reason a page acts on: nothing more. */
function expectRefusal(body: Record<string, unknown>) {
  expect(Object.keys(body)).toEqual(['error'])
  const { field, reason, ...error } = body.error as Record<string, unknown>
  expect(error).toEqual({ code: 'forbidden', message: expect.any(String) })
  for (const named of [field, reason]) if (named !== undefined) expect(named).toEqual(expect.any(String))
}

/**
 * What the supervision routes read beyond the registers of the scenario: bus B1's driver (the
 * score's subject), an over-speed episode of B1 on trip T1 (which opens the alarm case of school
 * S1) and a finished plan.
 */
async function loadSupervisedWorld(db: Database) {
  await db.exec(`
    INSERT INTO staff (id, role, name, bus_id) VALUES ('D1', 'driver', 'Driver One', 'B1');
    INSERT INTO events (bus_id, kind, ts, trip_id, details) VALUES ('B1', 'over_speed', '2026-03-02T07:05:00+08:00', 'T1',
      '{"peakKmh": 74, "limitKmh": 60, "limitReason": "other_road", "peakTs": "2026-03-02T07:05:20+08:00",
        "lat": 30.183, "lon": 121.393, "durationS": 40, "fixes": 9, "endTs": "2026-03-02T07:05:40+08:00"}');
    INSERT INTO plans (id, created_by, status, inputs, result) VALUES ('${planId}', 'bureau-1', 'done',
      '{"name": "Longshan mornings"}',
      '{"plan": {"lines": [], "stops": [], "metrics": {"lines": 0}},
        "gtfs": {"agency.txt": "agency_id,agency_name,agency_url,agency_timezone\\ncixi,Cixi,https://example.org,Asia/Shanghai\\n"}}');
  `)
  const cases = await db.query<{ id: number; school_ids: string[] }>(
    'SELECT id::int AS id, school_ids FROM alarm_cases',
  )
  expect(cases).toEqual([{ id: alarmId, school_ids: ['S1'] }])
}

beforeAll(async () => {
  db = await openPgliteDatabase()
  await migrateDatabase(db)
  await loadTwoSchoolsTwoBuses(db)
  await loadSupervisedWorld(db)
  testAccess = createTestAccess(db, clock)
  app = createHttpApp({
    deps: {
      db,
      access: testAccess.access,
      clock,
      sessions: testAccess.sessions,
      audit: testAccess.audit,
      roadNetwork: async () => roads,
    },
    tokens: testAccess.tokens,
    health: async () => ({ status: 'ok', parts: {} }),
    log: createLogger({ level: 'silent' }),
  })
  clock.set(scenario.sunday0710)
  for (const caller of callers)
    tokens[caller] = await testAccess.tokens.issue(principals[caller], { ttlS: tokenTtlS })
  clock.set(scenario.monday0710)
})
afterAll(() => db.close())

describe.each(matrix)('%s', (path, expected) => {
  it.each(callers)('answers %s as expected', async (caller) => {
    clock.set(scenario.monday0710)
    const { status, body } = await call(path, tokens[caller])
    expect(status, JSON.stringify(body)).toBe(expected[caller])
    if (status === 403) expectRefusal(body)
  })

  it('refuses a caller without a token, with an altered token and with an expired one', async () => {
    expect((await call(path)).status).toBe(401)
    const token = tokens.bureau!
    const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`
    expect((await call(path, forged)).status).toBe(401)
    clock.set(new Date(scenario.sunday0710.getTime() + tokenTtlS * 1000))
    const expired = await call(path, token)
    expect(expired.status).toBe(401)
    expect(expired.body).toEqual({
      error: { code: 'unauthenticated', message: 'the session has expired' },
    })
    clock.set(scenario.monday0710)
  })
})

/**
 * The matrix against the API's reference (server/http/openapi), which names each route's callers:
 * every route that takes a token is in the matrix, and answers the roles its reference names and
 * no other, an administrator's alone where it says so.
 */
describe('the matrix and the API reference', () => {
  const tokenRoutes = apiOperations.filter((op) => op.method === 'get' && op.callers !== 'anyone')
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  /** `/api/buses/:busId` as a pattern; a parameter of its own pattern (`:register{[^/]+\.csv}`) keeps it. */
  const patternOf = (template: string) =>
    new RegExp(
      `^${template
        .split(/(:\w+(?:\{[^}]+\})?)/)
        .map((part) => (part.startsWith(':') ? (/\{([^}]+)\}/.exec(part)?.[1] ?? '[^/]+') : escape(part)))
        .join('')}$`,
    )
  const patterns = tokenRoutes.map((op) => ({ op, pattern: patternOf(op.path) }))
  /** The route a path reaches: of those it fits, the one with the fewest parameters (a literal wins). */
  const routeOf = (path: string) =>
    patterns
      .filter(({ pattern }) => pattern.test(path.split('?')[0]!))
      .sort((a, b) => a.op.path.split(':').length - b.op.path.split(':').length)[0]?.op

  it('holds every route that takes a token', () => {
    const reached = new Set(matrix.map(([path]) => routeOf(path)?.path))
    expect(tokenRoutes.map((op) => op.path).filter((path) => !reached.has(path))).toEqual([])
  })

  it('answers each route’s callers, as its reference names them, and no one else', () => {
    for (const op of tokenRoutes) {
      const granted = new Set<string>()
      for (const [path, expected] of matrix.filter(([path]) => routeOf(path) === op)) {
        for (const caller of callers.filter((caller) => expected[caller] === 200)) {
          const principal = principals[caller]
          expect(op.callers, `${path}: ${caller}`).toContain(principal.role)
          if (op.adminOnly) expect(principal, `${path}: ${caller}`).toMatchObject({ admin: true })
          granted.add(principal.role)
        }
      }
      expect([...granted].sort(), op.path).toEqual([...op.callers].sort())
    }
  })
})

/**
 * The same matrix for the ways people and terminals really come in: a staff account's sign-in, a
 * guardian's enrolled phone, an attendant's paired phone and a terminal's credential. Each session
 * derives its principal from the store on every use, and must answer as the principal it stands for.
 */
describe('sessions of each kind', () => {
  const sessionTokens: Partial<Record<Caller, string>> = {}
  const sessionOf: Partial<Record<Caller, SessionGrant>> = {
    bureau: { kind: 'staff', accountId: 'acc-bureau' },
    bureauAdmin: { kind: 'staff', accountId: 'acc-admin' },
    schoolS1: { kind: 'staff', accountId: 'acc-s1' },
    parentP1: { kind: 'guardian', guardianId: 'G1' },
    parentP2: { kind: 'guardian', guardianId: 'G2' },
    attendantB1: { kind: 'attendant', staffId: 'A1' },
    attendantB2: { kind: 'attendant', staffId: 'A2' },
    deviceB1: { kind: 'device', busId: 'B1' },
  }
  beforeAll(async () => {
    await db.exec(`
      INSERT INTO staff_accounts (id, username, display_name, role, school_id, password_hash, must_change_password, is_admin, created_at, updated_at)
      VALUES ('acc-bureau', 'bureau-1', 'Bureau One', 'bureau', NULL, 'unused', false, false, now(), now()),
             ('acc-admin', 'bureau-admin', 'Bureau Admin', 'bureau', NULL, 'unused', false, true, now(), now()),
             ('acc-s1', 'school-admin-1', 'School One', 'school', 'S1', 'unused', false, false, now(), now())`)
    for (const [caller, grant] of Object.entries(sessionOf) as [Caller, SessionGrant][])
      sessionTokens[caller] = (await testAccess.sessions.issue(grant, { ttlS: tokenTtlS })).token
  })

  it.each(Object.keys(sessionOf) as Caller[])('answers %s’s session as its principal', async (caller) => {
    clock.set(scenario.monday0710)
    for (const [path, expected] of matrix) {
      const { status, body } = await call(path, sessionTokens[caller])
      expect(status, `${path}: ${JSON.stringify(body)}`).toBe(expected[caller])
    }
    const me = await call('/api/me', sessionTokens[caller])
    expect(me.body.principal).toEqual(principals[caller])
  })

  it('follows the registers: an attendant moved to another bus sees that bus on the next request', async () => {
    clock.set(scenario.monday0710)
    await db.exec(`UPDATE staff SET bus_id = 'B2' WHERE id = 'A1'`)
    expect((await call('/api/buses/B1', sessionTokens.attendantB1)).status).toBe(403)
    expect((await call('/api/buses/B2', sessionTokens.attendantB1)).status).toBe(200)
    await db.exec(`UPDATE staff SET bus_id = 'B1' WHERE id = 'A1'`)
  })

  it('ends a session on the next request once it is revoked, and a disabled account’s at once', async () => {
    const extra = await testAccess.sessions.issue({ kind: 'guardian', guardianId: 'G1' }, { ttlS: 3600 })
    expect((await call('/api/me', extra.token)).status).toBe(200)
    await testAccess.sessions.revoke(extra.id, { actor: 'bureau-1', reason: 'phone lost' })
    expect(await call('/api/me', extra.token)).toEqual({
      status: 401,
      body: { error: { code: 'unauthenticated', message: 'this session has been ended' } },
    })
    const school = await testAccess.sessions.issue({ kind: 'staff', accountId: 'acc-s1' }, { ttlS: 3600 })
    await db.exec(`UPDATE staff_accounts SET disabled_at = now() WHERE id = 'acc-s1'`)
    expect((await call('/api/me', school.token)).status).toBe(401)
    await db.exec(`UPDATE staff_accounts SET disabled_at = NULL WHERE id = 'acc-s1'`)
  })

  it('refuses a token signed with the platform’s secret that names a person', async () => {
    const signed = await createAccessTokens({ secret: testSecret, ttlS: 3600, clock }).issue(
      scenarioPrincipals.bureau,
    )
    expect((await call('/api/me', signed)).status).toBe(401)
  })
})

describe('audit of pupils’ personal data', () => {
  it('logs who among the staff read a pupil or a roster, when and what; not a parent reading their child', async () => {
    clock.set(scenario.monday0710)
    await db.exec('DELETE FROM audit_log')
    expect((await call('/api/pupils/P1', tokens.bureau)).status).toBe(200)
    expect((await call('/api/pupils/P1', tokens.parentP1)).status).toBe(200)
    expect((await call('/api/trips/T1/roster', tokens.attendantB1)).status).toBe(200)
    expect((await call('/api/pupils/P2', tokens.parentP1)).status).toBe(403)
    const entries = await testAccess.audit.list({ limit: 10 })
    expect(entries.map((e) => [e.actor, e.actorRole, e.action, e.target, e.at.toISOString()])).toEqual([
      ['A1', 'attendant', 'pupil_data_read', 'roster/T1', scenario.monday0710.toISOString()],
      ['bureau-1', 'bureau', 'pupil_data_read', 'pupil/P1', scenario.monday0710.toISOString()],
    ])
  })
})

describe('scope of the lists', () => {
  const busIds = async (caller: ScenarioCaller) =>
    ((await call('/api/buses', tokens[caller])).body.buses as { id: string }[]).map((b) => b.id)

  it('gives each caller only the buses in its scope', async () => {
    clock.set(scenario.monday0710)
    expect(await busIds('bureau')).toEqual(['B1', 'B2'])
    expect(await busIds('schoolS1')).toEqual(['B1'])
    expect(await busIds('attendantB2')).toEqual(['B2'])
    expect(await busIds('parentP1')).toEqual(['B1'])
    expect(await busIds('deviceB1')).toEqual(['B1'])
  })

  it('shows a parent the bus only while it runs their child’s trip', async () => {
    for (const [at, visible] of [
      [scenario.monday0710, ['B1']],
      [new Date('2026-03-02T06:44:00+08:00'), []],
      [new Date('2026-03-02T06:45:00+08:00'), ['B1']],
      // No drop-off recorded: the trip may be running late, up to an hour after the scheduled 07:20.
      [new Date('2026-03-02T08:20:00+08:00'), ['B1']],
      [new Date('2026-03-02T08:21:00+08:00'), []],
      [scenario.monday0900, []],
      [scenario.sunday0710, []],
    ] as const) {
      clock.set(at)
      expect(await busIds('parentP1'), at.toISOString()).toEqual(visible)
    }
    clock.set(scenario.monday0900)
    expect((await call('/api/buses/B1', tokens.parentP1)).status).toBe(403)
    clock.set(scenario.monday0710)
  })

  it('ends a parent’s view of the bus shortly after the child is dropped off', async () => {
    const visibleAt = async (at: string) => {
      clock.set(new Date(at))
      return busIds('parentP1')
    }
    // The bus reached the school, the child's stop, at 07:21.
    await db.exec(`INSERT INTO events (bus_id, kind, ts, trip_id, details)
      VALUES ('B1', 'stop_arrival', '2026-03-02T07:21:00+08:00', 'T1', '{"stopId": "ST-S1", "seq": 3}')`)
    expect(await visibleAt('2026-03-02T07:31:00+08:00')).toEqual(['B1'])
    expect(await visibleAt('2026-03-02T07:32:00+08:00')).toEqual([])
    // The attendant saw the child off even earlier.
    await db.exec(`INSERT INTO boarding_events (id, trip_id, service_date, pupil_id, action, stop_id, scanned_at, recorded_by)
      VALUES ('00000000-0000-4000-8000-000000000001', 'T1', '2026-03-02', 'P1', 'alighted', 'ST-S1',
              '2026-03-02T07:18:00+08:00', 'A1')`)
    expect(await visibleAt('2026-03-02T07:28:00+08:00')).toEqual(['B1'])
    expect(await visibleAt('2026-03-02T07:29:00+08:00')).toEqual([])
    // Another day's drop-off does not end today's view.
    const nextMonday = new Date('2026-03-09T07:29:00+08:00')
    expect(
      await createScopeQueries(db).busesCarryingPupilsAt(['P1'], nextMonday, defaultParentWindow),
    ).toEqual(['B1'])
    await db.exec(`DELETE FROM events WHERE bus_id = 'B1' AND kind = 'stop_arrival';
      DELETE FROM boarding_events WHERE trip_id = 'T1'`)
    clock.set(scenario.monday0710)
  })

  it('never shows a parent another pupil’s bus, trip or record', async () => {
    clock.set(scenario.monday0710)
    for (const path of [
      '/api/buses/B2',
      `/api/buses/B2${track}`,
      '/api/trips/T2',
      '/api/trips/T2/roster',
      '/api/pupils/P2',
    ]) {
      expect((await call(path, tokens.parentP1)).status, path).toBe(403)
    }
    const trips = (await call('/api/trips', tokens.parentP1)).body.trips as { id: string }[]
    expect(trips.map((t) => t.id)).toEqual(['T1'])
  })

  it('lists the roster with the boarding and drop-off stop of each pupil', async () => {
    const { body } = await call('/api/trips/T1/roster', tokens.attendantB1)
    expect(body.pupils).toEqual([
      { pupilId: 'P1', code: 'P00000011', name: 'Pupil One', grade: 2, boardSeq: 1, alightSeq: 3 },
    ])
  })
})

describe('errors', () => {
  it('names the bad field of a request', async () => {
    const bad = await call(
      '/api/buses/B1/positions?from=yesterday&to=2026-03-02T08:00:00%2B08:00',
      tokens.bureau,
    )
    expect(bad.status).toBe(400)
    expect(bad.body).toEqual({
      error: { code: 'bad_request', message: expect.stringContaining('query.from'), field: 'query.from' },
    })
    const reversed = await call(
      '/api/buses/B1/positions?from=2026-03-02T08:00:00%2B08:00&to=2026-03-02T07:00:00%2B08:00',
      tokens.bureau,
    )
    expect(reversed.body).toMatchObject({ error: { field: 'query.to' } })
  })

  it('answers unknown things with 404 and never a stack trace', async () => {
    expect((await call('/api/buses/B9', tokens.bureau)).status).toBe(404)
    expect((await call('/api/nowhere', tokens.bureau)).status).toBe(404)
    const broken = await openPgliteDatabase()
    const brokenApp = createHttpApp({
      deps: {
        db: broken,
        access: testAccess.access,
        clock,
        sessions: testAccess.sessions,
        audit: testAccess.audit,
      },
      tokens: testAccess.tokens,
      health: async () => ({ status: 'ok', parts: {} }),
      log: createLogger({ level: 'silent' }),
    })
    const response = await brokenApp.request('/api/plans', {
      headers: { authorization: `Bearer ${tokens.bureau}` },
    })
    expect(response.status).toBe(500)
    expect(await response.text()).toBe('{"error":{"code":"internal","message":"internal error"}}')
    await broken.close()
  })
})
