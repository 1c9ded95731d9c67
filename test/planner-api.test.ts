import { EventEmitter } from 'node:events'
import { fileURLToPath } from 'node:url'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCixiWorld, type CixiWorld } from '../fixtures/cixi-world.js'
import { defaultPlanSettings, type PlanMetrics, type PlanResult } from '../geo/planner/plan-model.js'
import type { Principal } from '../server/core/auth/principal.js'
import { createHttpApp, type HttpApp } from '../server/http/create-http-app.js'
import { createLogger } from '../server/core/log/logger.js'
import { describePlanBasis, type PlanBasis } from '../server/core/planning/plan-basis.js'
import { planInputFromRegisters } from '../server/planning/plan-input-from-registers.js'
import { readRegisters } from '../server/core/registers/read-registers.js'
import type { PlanWorkerMessage } from '../server/planning/plan-job.js'
import type { PlanRequest } from '../server/core/planning/plan-request.js'
import type { PlanRunner, PlanUpdate } from '../server/core/planning/plan-runs.js'
import { createPlanRunner, type StartPlanWorker } from '../server/planning/plan-runner.js'
import { seedCixiWorld } from '../server/seed/seed-cixi-world.js'
import type { Queryable, Row } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { callApi } from './support/call-api.js'
import { readZip } from './support/read-zip.js'
import { smallestSchool } from './support/smallest-school.js'
import { storeBackends, type TestDatabase } from './support/store-backends.js'
import { createTestAccess, scenarioPrincipals, settableClock } from './support/test-platform-parts.js'
import { waitFor } from './support/wait-for.js'

/**
 * The bureau's line planner over HTTP on a store seeded with the Cixi world: who may plan, what a
 * bad request is told, a plan run to the end in its worker thread while the server stays
 * responsive, cancelling, and the downloads.
 */
const log = createLogger({ level: 'silent' })
const callers = {
  bureau: scenarioPrincipals.bureau,
  school: { role: 'school', sub: 'school-admin', schoolId: 'longshan-primary' },
  attendant: { role: 'attendant', sub: 'attendant-1', busId: 'bus-02' },
  parent: { role: 'parent', sub: 'gu-00001', pupilIds: ['pu-00001'] },
} satisfies Record<string, Principal>
type Caller = keyof typeof callers
/**
 * The line riders' plan holds the thread it runs on for seconds at a time (run on the server's own
 * thread it stalls the event loop for about five); in its worker the server must never wait half a
 * second, which leaves room for a busy machine's scheduling.
 */
const watchedPlan: PlanRequest = {
  name: 'line riders',
  pupilScope: { kind: 'line_riders' },
  settings: { searchTimeLimitMs: 300 },
}
const maxLoopDelayMs = 500
/** The roads the plans drive on: ROADS_FILE's default, the Cixi world's own. */
const routing = { roadsFile: fileURLToPath(new URL('../fixtures/cixi/roads.json', import.meta.url)) }
const planTimeoutMs = 180_000

function expectSaneMetrics(metrics: PlanMetrics, walkLimitM: number, maxRideS: number) {
  expect(metrics.pupils).toBeGreaterThan(0)
  expect(metrics.pupilsServed).toBeGreaterThan(0)
  expect(metrics.pupilsServed).toBeLessThanOrEqual(metrics.pupils)
  expect(metrics.coverageWithinWalk).toBeGreaterThan(0)
  expect(metrics.coverageWithinWalk).toBeLessThanOrEqual(1)
  expect(metrics.meanWalkM).toBeLessThanOrEqual(metrics.maxWalkM)
  expect(metrics.maxWalkM).toBeLessThanOrEqual(walkLimitM)
  expect(metrics.meanRideS).toBeGreaterThan(0)
  expect(metrics.meanRideS).toBeLessThanOrEqual(metrics.maxRideS)
  expect(metrics.maxRideS).toBeLessThanOrEqual(maxRideS)
  expect(metrics.buses).toBeGreaterThanOrEqual(1)
  expect(metrics.busKmPerDay).toBeGreaterThan(0)
  expect(metrics.busHoursPerDay).toBeGreaterThan(0)
  expect(metrics.seatUse).toBeGreaterThan(0)
  expect(metrics.seatUse).toBeLessThanOrEqual(1)
  expect(metrics.costPerDayYuan).toBeGreaterThan(0)
}

describe.each(storeBackends())('the line planner API on $name', (backend) => {
  let store: TestDatabase
  let app: HttpApp
  let planner: PlanRunner
  let world: CixiWorld
  let schoolId: string
  const updates: PlanUpdate[] = []
  const tokens: Partial<Record<Caller, string>> = {}
  const clock = settableClock(new Date('2026-03-02T06:30:00+08:00'))
  const call = (method: string, path: string, caller: Caller | undefined, body?: unknown) =>
    callApi(app, method, path, caller && tokens[caller], body)
  const get = (path: string) => app.request(path, { headers: { authorization: `Bearer ${tokens.bureau}` } })
  const planStatus = async (id: string) => (await call('GET', `/api/plans/${id}`, 'bureau')).body.plan
  const untilEnded = (id: string) =>
    waitFor(
      () => planStatus(id),
      (plan) => plan.status !== 'running',
      `plan ${id}`,
      planTimeoutMs,
    )
  const smallPlan = (): PlanRequest => ({
    name: 'one school',
    pupilScope: { kind: 'schools', schoolIds: [schoolId] },
    settings: { searchTimeLimitMs: 200 },
  })

  beforeAll(async () => {
    world = await loadCixiWorld()
    schoolId = smallestSchool(world)
    store = await backend.open()
    await migrateDatabase(store.db)
    await seedCixiWorld(store.db, world)
    const { tokens: issuer, access, sessions, audit } = createTestAccess(store.db, clock)
    planner = createPlanRunner({
      db: store.db,
      clock,
      log,
      timeLimitMs: planTimeoutMs,
      routing,
      publish: (update) => updates.push(update),
    })
    app = createHttpApp({
      deps: { db: store.db, access, clock, sessions, audit, planner },
      tokens: issuer,
      health: async () => ({ status: 'ok', parts: {} }),
      log,
    })
    for (const caller of Object.keys(callers) as Caller[])
      tokens[caller] = await issuer.issue(callers[caller], { ttlS: 86400 })
  }, 180_000)
  afterAll(async () => {
    await planner?.stop()
    await store?.dispose()
  })

  it('lets only the bureau plan, list plans or see where riders live', async () => {
    const paths: [string, string, unknown?][] = [
      ['POST', '/api/plans', smallPlan()],
      ['GET', '/api/plans'],
      ['GET', '/api/planner/density'],
      ['GET', '/api/planner/today'],
      ['GET', '/api/plans/00000000-0000-4000-8000-000000000000'],
      ['POST', '/api/plans/00000000-0000-4000-8000-000000000000/cancel'],
    ]
    for (const [method, path, body] of paths) {
      for (const caller of ['school', 'attendant', 'parent'] as const)
        expect({ caller, path, status: (await call(method, path, caller, body)).status }).toEqual({
          caller,
          path,
          status: 403,
        })
      expect((await call(method, path, undefined, body)).status).toBe(401)
    }
    expect((await call('GET', '/api/plans', 'bureau')).status).toBe(200)
    expect((await call('GET', '/api/plans', 'bureau')).body.plans).toEqual([])
  })

  it('names the field at fault in a bad request', async () => {
    const bad: [unknown, string][] = [
      [{ settings: { walkLimitM: 'far' } }, 'body.settings.walkLimitM'],
      [{ settings: { searchTimeLimitMs: 0 } }, 'body.settings.searchTimeLimitMs'],
      [{ pupilScope: { kind: 'schools', schoolIds: [] } }, 'body.pupilScope.schoolIds'],
      [{ pupilScope: { kind: 'everyone' } }, 'body.pupilScope.kind'],
      [
        { settings: { timeShifts: [{ schoolId: 'x', shiftMin: 600 }] } },
        'body.settings.timeShifts.0.shiftMin',
      ],
      [
        { settings: { shiftWindows: [{ schoolId: 'x', earliestMin: 10, latestMin: -10 }] } },
        'body.settings.shiftWindows.0.latestMin',
      ],
      [{ settings: { walkLimtM: 400 } }, 'body.settings'],
      [{ settings: { arriveBeforeBellMinS: 1800 } }, 'body.settings.arriveBeforeBellMinS'],
      [
        { pupilScope: { kind: 'schools', schoolIds: [schoolId, 'no-such-school'] } },
        'body.pupilScope.schoolIds.1',
      ],
      [
        { settings: { timeShifts: [{ schoolId: 'x', shiftMin: 10 }] } },
        'body.settings.timeShifts.0.schoolId',
      ],
      [
        {
          settings: {
            shiftWindows: [
              { schoolId, earliestMin: -10, latestMin: 10 },
              { schoolId: 'x', earliestMin: -10, latestMin: 10 },
            ],
          },
        },
        'body.settings.shiftWindows.1.schoolId',
      ],
      ['not an object', 'body'],
    ]
    for (const [body, field] of bad) {
      const answer = await call('POST', '/api/plans', 'bureau', body)
      expect({ field, status: answer.status, answer: answer.body.error.field }).toEqual({
        field,
        status: 400,
        answer: field,
      })
    }
    expect((await call('GET', '/api/planner/density?cellM=5', 'bureau')).body.error.field).toBe('query.cellM')
    expect((await call('GET', '/api/plans/nope', 'bureau')).body.error.field).toBe('params.id')
    expect((await call('GET', '/api/plans/00000000-0000-4000-8000-000000000000', 'bureau')).status).toBe(404)
    expect((await call('GET', '/api/plans', 'bureau')).body.plans).toEqual([])
  })

  it('counts riders’ homes per cell, leaving out cells of fewer than three and every name', async () => {
    const answer = await call('GET', '/api/planner/density?cellM=400', 'bureau')
    expect(answer.status).toBe(200)
    const { cells, cellM } = answer.body as {
      cells: { lat: number; lon: number; count: number }[]
      cellM: number
    }
    expect(cellM).toBe(400)
    expect(cells.length).toBeGreaterThan(0)
    expect(cells.every((cell) => cell.count >= 3)).toBe(true)
    const [riders] = await store.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pupils p WHERE EXISTS (SELECT 1 FROM trip_pupils tp WHERE tp.pupil_id = p.id)`,
    )
    expect(cells.reduce((sum, cell) => sum + cell.count, 0) + answer.body.hidden).toBe(riders!.n)
    expect(answer.body.hidden).toBeGreaterThan(0)
    const text = JSON.stringify(answer.body)
    for (const pupil of world.pupils.slice(0, 50)) expect(text).not.toContain(pupil.name)
  })

  it(
    'runs a plan in its worker while the server keeps answering, and stores a sane result',
    async () => {
      const started = await call('POST', '/api/plans', 'bureau', watchedPlan)
      expect(started).toMatchObject({ status: 202, body: { status: 'running' } })
      // From the moment the plan is accepted to its end: the embedded store's own first write is
      // not the planner's doing.
      const loop = monitorEventLoopDelay({ resolution: 10 })
      loop.enable()
      const id = started.body.id as string
      let healthChecks = 0
      const plan = await waitFor(
        async () => {
          expect((await app.request('/health')).status).toBe(200)
          healthChecks++
          return planStatus(id)
        },
        (shown) => shown.status !== 'running',
        `plan ${id}`,
        planTimeoutMs,
      )
      loop.disable()
      expect(plan.error).toBeNull()
      expect(plan.status).toBe('done')
      expect(healthChecks).toBeGreaterThan(0)
      console.log(
        `event loop during the plan: max delay ${(loop.max / 1e6).toFixed(1)} ms, ${healthChecks} health checks`,
      )
      expect(loop.max / 1e6).toBeLessThan(maxLoopDelayMs)

      const result = plan.result as PlanResult
      expect(plan.inputs).toEqual(watchedPlan)
      // The same request on the same registers and roads describes the same basis: the plan can be rerun.
      const input = planInputFromRegisters(await readRegisters(store.db), watchedPlan)
      expect(plan.basis).toEqual(describePlanBasis(input, world.roads, { router: 'embedded' }))
      expect(plan.basis.settings).toMatchObject({ walkLimitM: 500, searchTimeLimitMs: 300 })
      expect(plan.basis.counts.pupils).toBe(input.pupils.length)
      const [stored] = await store.db.query<{ inputs: string }>(
        `SELECT inputs::text FROM plans WHERE id = $1`,
        [id],
      )
      expect(JSON.parse(stored!.inputs)).toMatchObject({ ...watchedPlan, basis: plan.basis })
      const riders = world.pupils.filter((pupil) => input.pupils.some((p) => p.id === pupil.id))
      for (const pupil of riders) {
        expect(stored!.inputs).not.toContain(pupil.name)
        expect(stored!.inputs).not.toContain(String(pupil.home.lon))
      }
      expectSaneMetrics(result.metrics, 500, 2700)
      expect(result.lines.length).toBeGreaterThan(0)
      const lineIds = new Set(result.lines.map((line) => line.id))
      expect(result.trips.every((trip) => lineIds.has(trip.lineId))).toBe(true)
      const atStops = result.stops.flatMap((stop) => stop.pupilIds)
      expect(new Set(atStops).size).toBe(atStops.length)
      expect(atStops.length).toBeLessThanOrEqual(result.metrics.pupils)
      // The cost taken apart by bus type adds up, and an unserved pupil is named by school and grade.
      const partsYuan = result.metrics.parts.reduce((sum, part) => sum + part.costPerDayYuan, 0)
      expect(partsYuan).toBeCloseTo(result.metrics.costPerDayYuan, 6)
      expect(result.metrics.parts.reduce((sum, part) => sum + part.buses, 0)).toBe(result.metrics.buses)
      for (const entry of result.unserved) {
        const pupil = input.pupils.find((p) => p.id === entry.pupilId)!
        expect(entry).toMatchObject({ schoolId: pupil.schoolId, grade: pupil.grade })
      }

      const ownUpdates = updates.filter((update) => update.id === id)
      expect(ownUpdates.at(-1)).toMatchObject({ status: 'done', fraction: 1 })
      expect(ownUpdates.some((update) => update.status === 'running' && update.phase !== 'queued')).toBe(true)
      const list = (await call('GET', '/api/plans', 'bureau')).body.plans
      expect(list[0]).toMatchObject({
        id,
        name: 'line riders',
        status: 'done',
        createdBy: 'bureau-1',
        progress: null,
      })
      expect(list[0].metrics).toEqual(result.metrics)

      const geojson = await get(`/api/plans/${id}/geojson`)
      expect(geojson.status).toBe(200)
      expect(geojson.headers.get('content-type')).toBe('application/geo+json')
      const collection = (await geojson.json()) as {
        type: string
        features: { geometry: { type: string } }[]
      }
      expect(collection.type).toBe('FeatureCollection')
      const kinds = new Set(collection.features.map((feature) => feature.geometry.type))
      expect(kinds).toEqual(new Set(['Point', 'LineString']))

      const gtfs = await get(`/api/plans/${id}/gtfs.zip`)
      expect(gtfs.status).toBe(200)
      expect(gtfs.headers.get('content-type')).toBe('application/zip')
      expect(gtfs.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.zip"$/)
      const files = readZip(Buffer.from(await gtfs.arrayBuffer()))
      const names = files.map((file) => file.name)
      for (const required of ['agency.txt', 'stops.txt', 'routes.txt', 'trips.txt', 'stop_times.txt'])
        expect(names).toContain(required)
      expect(names.some((name) => name === 'calendar.txt' || name === 'calendar_dates.txt')).toBe(true)
      const stopTimes = files.find((file) => file.name === 'stop_times.txt')!.content.toString('utf8')
      expect(stopTimes.trim().split('\n').length).toBeGreaterThan(1)
    },
    planTimeoutMs,
  )

  it(
    'plans a what-if on its base’s workings, routing again only the groups whose times moved',
    async () => {
      const list = (await call('GET', '/api/plans', 'bureau')).body.plans as { id: string; name: string }[]
      const baseId = list.find((plan) => plan.name === 'line riders')!.id
      const base = (await planStatus(baseId)) as { result: PlanResult }
      const [kept] = await store.db.query<{ bytes: number }>(
        `SELECT octet_length(workings) AS bytes FROM plans WHERE id = $1`,
        [baseId],
      )
      expect(kept!.bytes).toBeGreaterThan(1000)

      // Refused: a base that is not a plan, not done, or of other pupils; each names its field.
      const failedId = '33333333-3333-4333-8333-333333333333'
      await store.db.query(
        `INSERT INTO plans (id, created_by, status, inputs) VALUES ($1, 'bureau-1', 'failed', $2::jsonb)`,
        [failedId, JSON.stringify(watchedPlan)],
      )
      const refused: [unknown, number, string][] = [
        [{ ...watchedPlan, basePlanId: 'nope' }, 400, 'body.basePlanId'],
        [{ ...watchedPlan, basePlanId: '00000000-0000-4000-8000-000000000000' }, 400, 'body.basePlanId'],
        [{ ...watchedPlan, basePlanId: failedId }, 409, 'body.basePlanId'],
        [{ ...smallPlan(), basePlanId: baseId }, 400, 'body.pupilScope'],
      ]
      for (const [body, status, field] of refused) {
        const answer = await call('POST', '/api/plans', 'bureau', body)
        expect({ status: answer.status, field: answer.body.error.field }).toEqual({ status, field })
      }
      await store.db.query(`DELETE FROM plans WHERE id = $1`, [failedId])

      // One school's mornings move: only its morning groups are routed again.
      const schoolId = base.result.trips.find(
        (trip) => trip.direction === 'to_school' && trip.lineId.startsWith('cb-'),
      )!.schoolIds[0]!
      const whatIfRequest: PlanRequest = {
        ...watchedPlan,
        name: 'line riders, later',
        basePlanId: baseId,
        settings: { ...watchedPlan.settings, timeShifts: [{ schoolId, shiftMin: 20 }] },
      }
      const started = await call('POST', '/api/plans', 'bureau', whatIfRequest)
      expect(started.status).toBe(202)
      const whatIf = await untilEnded(started.body.id)
      expect(whatIf).toMatchObject({ status: 'done', error: null, inputs: whatIfRequest })
      const result = whatIf.result as PlanResult
      const replanned = result.replanned!
      expect(replanned).toMatchObject({ mode: 'partial', reason: null })
      expect(replanned.groups.length).toBeGreaterThan(0)
      expect(replanned.reusedGroups).toBeGreaterThan(0)
      for (const group of replanned.groups) expect(group).toMatchObject({ schoolId, direction: 'to_school' })
      // The lines of the groups kept call at the same stops, and every pupil is served or listed.
      // A morning group's key holds its bell: the moved school's mornings have new keys.
      const movedLine = (id: string) => id.startsWith(`cb-${schoolId}-am`)
      const customLines = (plan: PlanResult) =>
        plan.lines
          .filter((line) => line.kind === 'custom_bus' && !movedLine(line.id))
          .map((line) => [line.id, line.stopIds.join(' ')])
      expect(customLines(result)).toEqual(customLines(base.result))
      const served = new Set(result.trips.flatMap((trip) => trip.stops.flatMap((stop) => stop.board)))
      expect(served.size + result.unserved.length).toBe(result.metrics.pupils)
      expect(result.metrics.parts.reduce((sum, part) => sum + part.buses, 0)).toBe(result.metrics.buses)

      // A base stored before plans kept their workings: planned in full, and said so.
      const olderId = '44444444-4444-4444-8444-444444444444'
      await store.db.query(
        `INSERT INTO plans (id, created_at, created_by, status, inputs, result)
         SELECT $2, created_at, created_by, status, inputs, result FROM plans WHERE id = $1`,
        [baseId, olderId],
      )
      const older = await call('POST', '/api/plans', 'bureau', { ...whatIfRequest, basePlanId: olderId })
      const full = (await untilEnded(older.body.id)).result as PlanResult
      expect(full.replanned).toMatchObject({ mode: 'full', reason: 'base_without_workings', reusedGroups: 0 })
    },
    planTimeoutMs,
  )

  it(
    'queues a second plan behind the first and cancels either, the running one’s thread too',
    async () => {
      const first = (await call('POST', '/api/plans', 'bureau', { settings: { searchTimeLimitMs: 60_000 } }))
        .body
      const second = (await call('POST', '/api/plans', 'bureau', smallPlan())).body
      expect((await planStatus(second.id)).progress).toEqual({ phase: 'queued', fraction: 0 })
      expect(await call('POST', `/api/plans/${second.id}/cancel`, 'bureau')).toMatchObject({
        status: 200,
        body: { status: 'cancelled' },
      })
      await waitFor(
        async () => (await planStatus(first.id)).progress?.phase,
        (phase) => phase !== 'queued',
        'the first plan’s progress',
      )
      expect(await call('POST', `/api/plans/${first.id}/cancel`, 'bureau')).toMatchObject({ status: 200 })
      for (const id of [first.id, second.id])
        expect(await planStatus(id)).toMatchObject({ status: 'cancelled', progress: null, result: null })
      expect((await call('POST', `/api/plans/${first.id}/cancel`, 'bureau')).status).toBe(409)
      expect((await call('GET', `/api/plans/${first.id}/geojson`, 'bureau')).status).toBe(409)

      // The thread is gone: the next plan starts at once and ends.
      const third = (await call('POST', '/api/plans', 'bureau', smallPlan())).body
      expect((await untilEnded(third.id)).status).toBe('done')
    },
    planTimeoutMs,
  )

  it('marks a plan a stopped server left running as failed', async () => {
    const id = '11111111-1111-4111-8111-111111111111'
    await store.db.query(
      `INSERT INTO plans (id, created_by, status, inputs) VALUES ($1, 'bureau-1', 'running', '{}'::jsonb)`,
      [id],
    )
    expect(await planner.failAbandoned()).toEqual([id])
    expect(await planStatus(id)).toMatchObject({
      status: 'failed',
      error: 'the server stopped while the plan ran',
    })
  })

  it('fails only the running plans whose runner the store has not seen for a minute', async () => {
    /** A plan as another process left it, its runner last seen that many seconds ago by the store. */
    const insertPlan = (id: string, status: string, runner: string | null, seenSecondsAgo: number | null) =>
      store.db.query(
        `INSERT INTO plans (id, created_by, status, inputs, runner, runner_seen_at)
         VALUES ($1, 'bureau-1', $2, '{}'::jsonb, $3, now() - $4::double precision * interval '1 second')`,
        [id, status, runner, seenSecondsAgo],
      )
    const plans = {
      seenJustNow: '22222222-2222-4222-8222-000000000001',
      seenWithinTheMinute: '22222222-2222-4222-8222-000000000002',
      unseenForLonger: '22222222-2222-4222-8222-000000000003',
      unseenForAnHour: '22222222-2222-4222-8222-000000000004',
      beforeRunners: '22222222-2222-4222-8222-000000000005',
      endedLongAgo: '22222222-2222-4222-8222-000000000006',
    }
    await insertPlan(plans.seenJustNow, 'running', 'planner@host-a:1:aaaa', 0)
    await insertPlan(plans.seenWithinTheMinute, 'running', 'planner@host-a:1:aaaa', 50)
    await insertPlan(plans.unseenForLonger, 'running', 'planner@host-b:2:bbbb', 70)
    await insertPlan(plans.unseenForAnHour, 'running', 'planner@host-b:2:bbbb', 3600)
    await insertPlan(plans.beforeRunners, 'running', null, null)
    await insertPlan(plans.endedLongAgo, 'done', 'planner@host-b:2:bbbb', 3600)

    expect((await planner.failAbandoned()).sort()).toEqual(
      [plans.unseenForLonger, plans.unseenForAnHour, plans.beforeRunners].sort(),
    )
    for (const id of [plans.unseenForLonger, plans.unseenForAnHour, plans.beforeRunners])
      expect(await planStatus(id)).toMatchObject({
        status: 'failed',
        error: 'the server stopped while the plan ran',
      })
    expect(await planStatus(plans.seenJustNow)).toMatchObject({ status: 'running' })
    expect(await planStatus(plans.seenWithinTheMinute)).toMatchObject({ status: 'running' })
    expect(await planStatus(plans.endedLongAgo)).toMatchObject({ status: 'done' })
    expect(await planner.failAbandoned()).toEqual([])
    // Left as they are, they would be the next test's abandoned plans.
    await store.db.query(`UPDATE plans SET status = 'cancelled' WHERE id = ANY ($1::uuid[])`, [
      [plans.seenJustNow, plans.seenWithinTheMinute],
    ])
  })
  describe('the runner, with workers the test plays', () => {
    /** Workers that do only what the test tells them, and remember being terminated. */
    const fakeWorkers = () => {
      const started: (EventEmitter & { terminated: boolean; say(message: PlanWorkerMessage): void })[] = []
      const start: StartPlanWorker = () => {
        const worker = Object.assign(new EventEmitter(), {
          terminated: false,
          say: (message: PlanWorkerMessage) => worker.emit('message', message),
          terminate: async () => {
            worker.terminated = true
            return 1
          },
        })
        started.push(worker)
        return worker
      }
      return { started, start }
    }
    const runnerWith = (start: StartPlanWorker, timeLimitMs = planTimeoutMs) =>
      createPlanRunner({ db: store.db, clock, log, timeLimitMs, routing, startWorker: start })
    const statusOf = async (id: string) => (await planStatus(id)) as { status: string; error: string | null }

    it('fails a plan whose worker reports an error or dies, and starts the next', async () => {
      const workers = fakeWorkers()
      const runner = runnerWith(workers.start)
      const first = await runner.submit(smallPlan(), 'bureau-1')
      const second = await runner.submit(smallPlan(), 'bureau-1')
      expect(workers.started).toHaveLength(1)
      workers.started[0]!.say({ kind: 'failed', message: 'no road near school x' })
      await waitFor(
        () => statusOf(first.id),
        (plan) => plan.status !== 'running',
        'the first plan',
      )
      expect(await statusOf(first.id)).toMatchObject({ status: 'failed', error: 'no road near school x' })
      expect(workers.started).toHaveLength(2)
      expect(workers.started[0]!.terminated).toBe(true)
      workers.started[1]!.emit('error', new Error('out of memory'))
      await waitFor(
        () => statusOf(second.id),
        (plan) => plan.status !== 'running',
        'the second plan',
      )
      expect((await statusOf(second.id)).error).toBe('the planner stopped: out of memory')
    })

    it('keeps what a plan ran on when it then fails, and stores no basis before the worker tells it', async () => {
      const workers = fakeWorkers()
      const runner = runnerWith(workers.start)
      const { id } = await runner.submit(smallPlan(), 'bureau-1')
      expect((await planStatus(id)).basis).toBeNull()
      const basis: PlanBasis = {
        settings: { ...defaultPlanSettings, searchTimeLimitMs: 200 },
        inputSha256: 'a'.repeat(64),
        roads: { source: 'test roads', ways: 1, sha256: 'b'.repeat(64), router: 'embedded' },
        counts: { pupils: 3, schools: 1, hubs: 0, busTypes: 2, todayTrips: 1 },
      }
      workers.started[0]!.say({ kind: 'basis', basis })
      workers.started[0]!.say({ kind: 'failed', message: 'no road near school x' })
      await waitFor(
        () => statusOf(id),
        (plan) => plan.status !== 'running',
        'the plan',
      )
      expect(await planStatus(id)).toMatchObject({ status: 'failed', inputs: smallPlan(), basis })
    })

    it('fails a plan that outlives the time limit, and terminates its worker', async () => {
      const workers = fakeWorkers()
      const runner = runnerWith(workers.start, 50)
      const { id } = await runner.submit(smallPlan(), 'bureau-1')
      workers.started[0]!.say({ kind: 'progress', progress: { phase: 'routes', fraction: 0.3 } })
      expect(runner.progressOf(id)).toEqual({ phase: 'routes', fraction: 0.3 })
      await waitFor(
        () => statusOf(id),
        (plan) => plan.status !== 'running',
        'the plan',
      )
      expect((await statusOf(id)).error).toBe('the plan took longer than 50 ms')
      expect(workers.started[0]!.terminated).toBe(true)
      expect(runner.progressOf(id)).toBeUndefined()
    })

    it('keeps the plans of a runner still running them, and fails those of one gone quiet', async () => {
      const workers = fakeWorkers()
      // Another process: its own connection where the store has several.
      const other = backend.shared ? await store.reopen() : store.db
      let refreshes = 0
      const counted: Queryable = {
        query: <R extends Row>(sql: string, params?: readonly unknown[]) => {
          if (sql.includes('SET runner_seen_at')) refreshes++
          return other.query<R>(sql, params)
        },
        exec: (sql) => other.exec(sql),
        copyFrom: (sql, text) => other.copyFrom(sql, text),
      }
      const here = runnerWith(workers.start)
      const alive = createPlanRunner({
        db: counted,
        clock,
        log,
        timeLimitMs: planTimeoutMs,
        routing,
        startWorker: workers.start,
        runnerId: 'planner@alive:1:test',
        seenEveryMs: 50,
      })
      // Refreshes only after an hour: within the test, it is a process that died.
      const dead = createPlanRunner({
        db: other,
        clock,
        log,
        timeLimitMs: planTimeoutMs,
        routing,
        startWorker: workers.start,
        runnerId: 'planner@dead:2:test',
        seenEveryMs: 3_600_000,
      })
      const seen = (ids: string[]) =>
        store.db.query<{ id: string; status: string; runner: string; ageS: number }>(
          `SELECT id, status, runner, extract(epoch FROM now() - runner_seen_at)::float8 AS "ageS"
           FROM plans WHERE id = ANY ($1::uuid[]) ORDER BY id`,
          [ids],
        )
      const setSeen = (ids: string[], secondsAgo: number) =>
        store.db.query(
          `UPDATE plans SET runner_seen_at = now() - $2::double precision * interval '1 second'
           WHERE id = ANY ($1::uuid[])`,
          [ids, secondsAgo],
        )

      // Its running plan and the one waiting behind it, seen when stored and every seenEveryMs after.
      const aliveIds = [
        (await alive.submit(smallPlan(), 'bureau-1')).id,
        (await alive.submit(smallPlan(), 'bureau-1')).id,
      ]
      for (const row of await seen(aliveIds))
        expect(row).toMatchObject({ status: 'running', runner: 'planner@alive:1:test' })
      expect((await seen(aliveIds)).every((row) => row.ageS < 5)).toBe(true)
      await setSeen(aliveIds, 3600)
      await waitFor(
        () => seen(aliveIds),
        (rows) => rows.every((row) => row.ageS < 5),
        'the running runner’s plans, seen again',
      )
      expect(await here.failAbandoned()).toEqual([])

      const deadIds = [
        (await dead.submit(smallPlan(), 'bureau-1')).id,
        (await dead.submit(smallPlan(), 'bureau-1')).id,
      ]
      expect(await here.failAbandoned()).toEqual([])
      await setSeen(deadIds, 55)
      expect(await here.failAbandoned()).toEqual([])
      await setSeen(deadIds, 65)
      // A runner never takes its own plans for abandoned.
      expect(await dead.failAbandoned()).toEqual([])
      expect((await here.failAbandoned()).sort()).toEqual([...deadIds].sort())
      for (const id of deadIds)
        expect(await statusOf(id)).toMatchObject({
          status: 'failed',
          error: 'the server stopped while the plan ran',
        })
      for (const row of await seen(aliveIds)) expect(row.status).toBe('running')

      // Stopped, the runner ends its plans and no longer tells the store anything.
      await alive.stop()
      await dead.stop()
      for (const row of await seen(aliveIds)) expect(row.status).toBe('failed')
      const afterStop = refreshes
      expect(afterStop).toBeGreaterThan(0)
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(refreshes).toBe(afterStop)
    })

    it('fails the running and the waiting plans when the server stops', async () => {
      const workers = fakeWorkers()
      const runner = runnerWith(workers.start)
      const running = await runner.submit(smallPlan(), 'bureau-1')
      const waiting = await runner.submit(smallPlan(), 'bureau-1')
      await runner.stop()
      expect(await statusOf(running.id)).toMatchObject({
        status: 'failed',
        error: 'the server stopped while the plan ran',
      })
      expect(await statusOf(waiting.id)).toMatchObject({
        status: 'failed',
        error: 'the server stopped before the plan started',
      })
      expect(workers.started).toHaveLength(1)
      expect(workers.started[0]!.terminated).toBe(true)
    })
  })
})
