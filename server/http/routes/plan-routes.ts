import { Hono } from 'hono'
import { z } from 'zod'
import { countHomesByCell } from '../../../geo/planner/home-density.js'
import { planToGeoJson } from '../../../geo/planner/plan-geojson.js'
import { assertRole } from '../../core/auth/access-policy.js'
import { toShanghaiTime } from '../../core/clock/shanghai-time.js'
import { AppError } from '../../core/errors/app-error.js'
import { createPlanQueries, type StoredPlan } from '../../core/store/plan-queries.js'
import { listRequestSchools, planRequestSchema, type PlanRequest } from '../../core/planning/plan-request.js'
import { zipFiles } from '../zip-files.js'
import type { ApiDeps } from '../api-deps.js'
import type { AuthenticatedEnv } from '../authenticate.js'
import { describeOperations } from '../openapi/api-operation.js'
import { parseInput } from '../parse-input.js'
import { readJsonBody } from '../read-request.js'

/** A density cell with fewer homes than this is left out, so that no home can be picked out. */
const minHomesPerCell = 3
/** A plan request names up to a few hundred schools, shifts and windows: well under this. */
const planRequestMaxBytes = 256 * 1024
const planId = z.object({ id: z.uuid({ message: 'expected a plan id (UUID)' }) })
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) })
const densityQuery = z.object({ cellM: z.coerce.number().int().min(100).max(5000).default(500) })

export const planOperations = describeOperations([
  {
    method: 'post',
    path: '/api/plans',
    summary: 'Asks for a line plan, run in its own worker thread',
    description:
      "Answers at once with the plan's id; `GET /api/plans/{id}` follows its progress. A what-if names " +
      'its base plan (`basePlanId`, a done plan of the same pupils): it keeps the base’s stops, travel ' +
      'table and the routes of every ride group whose times did not move, routes only those whose ' +
      'times moved, and says so in its result’s `replanned`.',
    callers: ['bureau'],
    body: planRequestSchema,
    responses: { 202: '`{id, status: "running"}`' },
    errors: ['conflict', 'unavailable'],
  },
  {
    method: 'get',
    path: '/api/plans',
    summary: 'The plans asked for, newest first, with the progress of those running',
    callers: ['bureau'],
    query: listQuery,
    responses: { 200: '`{plans}`' },
  },
  {
    method: 'get',
    path: '/api/plans/:id',
    summary: 'One plan: its request, basis, progress, and its result or error',
    callers: ['bureau'],
    params: planId,
    responses: { 200: '`{plan}`' },
    errors: ['not_found'],
  },
  {
    method: 'post',
    path: '/api/plans/:id/cancel',
    summary: 'Cancels a running plan',
    callers: ['bureau'],
    params: planId,
    responses: { 200: '`{id, status: "cancelled"}`' },
    errors: ['not_found', 'conflict', 'unavailable'],
  },
  {
    method: 'get',
    path: '/api/plans/:id/geojson',
    summary: "A done plan's stops and lines as GeoJSON",
    callers: ['bureau'],
    params: planId,
    responses: { 200: { description: 'a FeatureCollection', type: 'application/geo+json' } },
    errors: ['not_found', 'conflict'],
  },
  {
    method: 'get',
    path: '/api/plans/:id/gtfs.zip',
    summary: "A done plan's lines as a GTFS feed",
    callers: ['bureau'],
    params: planId,
    responses: { 200: { description: 'the GTFS files, zipped', type: 'application/zip' } },
    errors: ['not_found', 'conflict'],
  },
  {
    method: 'get',
    path: '/api/planner/density',
    summary: 'Where riders live, as counts per square cell',
    description: 'Cells of fewer than three homes are left out: no home or name is ever shown.',
    callers: ['bureau'],
    query: densityQuery,
    responses: { 200: 'the cells with their counts' },
  },
  {
    method: 'get',
    path: '/api/planner/today',
    summary: "Today's service of the lines, to set beside a plan",
    callers: ['bureau'],
    responses: { 200: '`{date, buses, riders, routes}`' },
  },
])

/**
 * The bureau's line planner: plans asked for, watched, cancelled and downloaded, and the map of
 * where riders live (counted per cell, never one home or one name). Only the bureau plans.
 */
export function planRoutes({ db, clock, planner }: ApiDeps) {
  const plans = createPlanQueries(db)

  const donePlan = async (id: string) => {
    const plan = await storedPlan(id)
    if (plan.status !== 'done' || !plan.outcome || !('plan' in plan.outcome))
      throw new AppError('conflict', `plan ${id} is ${plan.status}, not done`)
    return { ...plan, outcome: plan.outcome }
  }
  const storedPlan = async (id: string): Promise<StoredPlan> => {
    const plan = await plans.findPlan(id)
    if (!plan) throw new AppError('not_found', `no plan ${id}`)
    return plan
  }
  /** A shift or scope on a school the store does not know would be ignored by the planner. */
  const assertKnownSchools = async (request: PlanRequest) => {
    const named = listRequestSchools(request)
    if (named.length === 0) return
    const known = await plans.findSchoolIds(named.map(({ schoolId }) => schoolId))
    const unknown = named.find(({ schoolId }) => !known.has(schoolId))
    if (unknown)
      throw new AppError('bad_request', `body.${unknown.field}: no school ${unknown.schoolId}`, {
        field: `body.${unknown.field}`,
      })
  }
  /**
   * A what-if's base must be a done plan of the same pupils. Every bureau account may read every
   * plan, so being the bureau is being allowed to build on it.
   */
  const assertUsableBase = async (request: PlanRequest) => {
    if (!request.basePlanId) return
    const field = 'body.basePlanId'
    const base = await plans.findPlan(request.basePlanId)
    if (!base) throw new AppError('bad_request', `${field}: no plan ${request.basePlanId}`, { field })
    if (base.status !== 'done')
      throw new AppError('conflict', `${field}: plan ${base.id} is ${base.status}, not done`, { field })
    if (scopeKey(base.inputs.pupilScope) !== scopeKey(request.pupilScope))
      throw new AppError('bad_request', 'body.pupilScope: a what-if plans the pupils of its base plan', {
        field: 'body.pupilScope',
      })
  }
  const runner = () => {
    if (!planner) throw new AppError('unavailable', 'this server does not run plans')
    return planner
  }

  return new Hono<AuthenticatedEnv>()
    .post('/plans', async (c) => {
      assertRole(c.get('principal'), ['bureau'])
      const request = await readJsonBody(c, planRequestSchema, planRequestMaxBytes)
      await assertKnownSchools(request)
      await assertUsableBase(request)
      return c.json(await runner().submit(request, c.get('principal').sub), 202)
    })
    .get('/plans', async (c) => {
      assertRole(c.get('principal'), ['bureau'])
      const query = parseInput(listQuery, c.req.query(), 'query')
      const rows = await plans.listPlans(query.limit)
      return c.json({ plans: rows.map((row) => ({ ...row, progress: planner?.progressOf(row.id) ?? null })) })
    })
    .get('/plans/:id', async (c) => {
      assertRole(c.get('principal'), ['bureau'])
      const { id } = parseInput(planId, c.req.param(), 'params')
      const { outcome, ...plan } = await storedPlan(id)
      return c.json({
        plan: {
          ...plan,
          progress: planner?.progressOf(id) ?? null,
          result: outcome && 'plan' in outcome ? outcome.plan : null,
          error: outcome && 'error' in outcome ? outcome.error : null,
        },
      })
    })
    .post('/plans/:id/cancel', async (c) => {
      assertRole(c.get('principal'), ['bureau'])
      const { id } = parseInput(planId, c.req.param(), 'params')
      const plan = await storedPlan(id)
      if (plan.status !== 'running') throw new AppError('conflict', `plan ${id} is ${plan.status} already`)
      if (!(await runner().cancel(id))) throw new AppError('conflict', `plan ${id} runs on another server`)
      return c.json({ id, status: 'cancelled' })
    })
    .get('/plans/:id/geojson', async (c) => {
      assertRole(c.get('principal'), ['bureau'])
      const { id } = parseInput(planId, c.req.param(), 'params')
      const plan = await donePlan(id)
      c.header('Content-Type', 'application/geo+json')
      c.header('Content-Disposition', `attachment; filename="plan-${id}.geojson"`)
      return c.body(JSON.stringify(planToGeoJson(plan.outcome.plan)))
    })
    .get('/plans/:id/gtfs.zip', async (c) => {
      assertRole(c.get('principal'), ['bureau'])
      const { id } = parseInput(planId, c.req.param(), 'params')
      const plan = await donePlan(id)
      const files = Object.entries(plan.outcome.gtfs).map(([name, content]) => ({ name, content }))
      const zip = zipFiles(files, { modified: new Date(plan.createdAt) })
      c.header('Content-Type', 'application/zip')
      c.header('Content-Disposition', `attachment; filename="plan-${id}-gtfs.zip"`)
      return c.body(new Uint8Array(zip))
    })
    .get('/planner/density', async (c) => {
      assertRole(c.get('principal'), ['bureau'])
      const { cellM } = parseInput(densityQuery, c.req.query(), 'query')
      return c.json(countHomesByCell(await plans.riderHomes(), { cellM, minCount: minHomesPerCell }))
    })
    .get('/planner/today', async (c) => {
      assertRole(c.get('principal'), ['bureau'])
      const local = toShanghaiTime(clock.now())
      return c.json({ date: local.date, ...(await plans.todayService(local.isoWeekday)) })
    })
}

/** A pupil scope as a comparable key, the schools in any order; none for a request stored without one. */
function scopeKey(scope: PlanRequest['pupilScope'] | undefined): string {
  if (!scope) return ''
  return scope.kind === 'schools' ? `schools:${[...scope.schoolIds].sort().join(',')}` : scope.kind
}
