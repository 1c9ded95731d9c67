import { Hono } from 'hono'
import { z } from 'zod'
import { assertAllowed } from '../../core/auth/access-policy.js'
import { roles } from '../../core/auth/principal.js'
import { AppError } from '../../core/errors/app-error.js'
import { toShanghaiTime } from '../../core/clock/shanghai-time.js'
import { createFleetQueries } from '../../core/store/fleet-queries.js'
import { createTripQueries } from '../../core/store/trip-queries.js'
import { createTripRunQueries } from '../../core/store/trip-run-queries.js'
import type { ApiDeps } from '../api-deps.js'
import type { AuthenticatedEnv } from '../authenticate.js'
import { instantSchema } from '../input-schemas.js'
import { describeOperations } from '../openapi/api-operation.js'
import { parseInput } from '../parse-input.js'
import { readPathId } from '../read-request.js'

const trackQuery = z
  .object({
    from: instantSchema,
    to: instantSchema,
    limit: z.coerce.number().int().min(1).max(10_000).default(3600),
  })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: 'must be after from', path: ['to'] })

export const busOperations = describeOperations([
  {
    method: 'get',
    path: '/api/buses',
    summary: 'The buses the caller may see',
    description: 'A parent sees a bus only while it runs a trip carrying their child.',
    callers: roles,
    responses: { 200: '`{buses}`: plate, kind, seats, depot and terminal of each' },
  },
  {
    method: 'get',
    path: '/api/buses/:busId',
    summary: 'One bus and its newest position',
    callers: roles,
    responses: { 200: '`{bus, position}`; `position` is null before its first report' },
    errors: ['forbidden', 'not_found'],
  },
  {
    method: 'get',
    path: '/api/buses/:busId/today',
    summary: "The bus's trips today: upcoming, running or ended",
    description: "The attendant's day, on Cixi time (Asia/Shanghai).",
    callers: roles,
    responses: { 200: '`{busId, plate, date, trips}`; each trip has `state` and, once ended, `ended`' },
    errors: ['forbidden', 'not_found'],
  },
  {
    method: 'get',
    path: '/api/buses/:busId/live',
    summary: 'The newest position and ETA of a bus, as the live channel last sent them',
    callers: roles,
    responses: { 200: '`{busId, position, tripId, eta}`' },
    errors: ['forbidden'],
  },
  {
    method: 'get',
    path: '/api/buses/:busId/positions',
    summary: "A bus's track between two times",
    description:
      "Only the stretches of the past the caller's scope covers: a parent's today on their child's trips.",
    callers: roles,
    query: trackQuery,
    responses: { 200: '`{busId, positions}` in time order, at most `limit`' },
    errors: ['forbidden'],
  },
])

/** An attendant opens the trip a little before its first stop, and may end it a little after its last. */
const runningLeadMin = 15
const runningGraceMin = 30
const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))

export function busRoutes({ db, access, clock, liveSnapshot }: ApiDeps) {
  const fleet = createFleetQueries(db)
  const trips = createTripQueries(db)
  const runs = createTripRunQueries(db)
  return new Hono<AuthenticatedEnv>()
    .get('/', async (c) => {
      const buses = await fleet.listBuses(await access.visibleBusIds(c.get('principal')))
      return c.json({ buses })
    })
    .get('/:busId', async (c) => {
      const busId = readPathId(c, 'busId')
      await assertAllowed(access.canSeeBus(c.get('principal'), busId), `bus ${busId}`)
      const bus = await fleet.getBus(busId)
      if (!bus) throw new AppError('not_found', `no bus ${busId}`)
      return c.json({ bus, position: (await fleet.latestPosition(busId)) ?? null })
    })
    .get('/:busId/today', async (c) => {
      // The attendant's day: the bus's trips, which one runs now, which are over.
      const busId = readPathId(c, 'busId')
      await assertAllowed(access.canSeeBus(c.get('principal'), busId), `bus ${busId}`)
      const bus = await fleet.getBus(busId)
      if (!bus) throw new AppError('not_found', `no bus ${busId}`)
      const now = clock.now()
      const local = toShanghaiTime(now)
      const day = await trips.busDay(busId, local.isoWeekday)
      const ended = new Map(
        (
          await runs.runsOn(
            day.map((t) => t.tripId),
            local.date,
          )
        ).map((r) => [r.tripId, r]),
      )
      const nowMin = minutesOf(local.time)
      return c.json({
        busId,
        plate: bus.plate,
        date: local.date,
        trips: day.map((trip) => {
          const run = ended.get(trip.tripId) ?? null
          const state = run
            ? 'ended'
            : nowMin < minutesOf(trip.startTime) - runningLeadMin
              ? 'upcoming'
              : nowMin <= minutesOf(trip.endTime) + runningGraceMin
                ? 'running'
                : 'ended'
          return { ...trip, state, ended: run }
        }),
      })
    })
    .get('/:busId/live', async (c) => {
      const busId = readPathId(c, 'busId')
      await assertAllowed(access.canSeeBus(c.get('principal'), busId), `bus ${busId}`)
      if (liveSnapshot) return c.json(await liveSnapshot(busId))
      return c.json({ busId, position: (await fleet.latestPosition(busId)) ?? null, tripId: null, eta: null })
    })
    .get('/:busId/positions', async (c) => {
      const busId = readPathId(c, 'busId')
      const principal = c.get('principal')
      await assertAllowed(access.canSeeBus(principal, busId), `bus ${busId}`)
      const query = parseInput(trackQuery, c.req.query(), 'query')
      const range = { from: new Date(query.from), to: new Date(query.to) }
      const positions = await fleet.track(busId, {
        windows: await access.historyWindows(principal, range, busId),
        limit: query.limit,
      })
      return c.json({ busId, positions })
    })
}
