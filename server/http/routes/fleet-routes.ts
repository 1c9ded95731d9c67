import { Hono } from 'hono'
import { z } from 'zod'
import { assertAllowed, assertRole } from '../../core/auth/access-policy.js'
import { fromShanghaiTime, toShanghaiTime } from '../../core/clock/shanghai-time.js'
import { readFleetState, type ReadLiveEta } from '../../core/fleet/read-fleet-state.js'
import { createEventQueries } from '../../core/store/event-queries.js'
import { createFleetStateQueries } from '../../core/store/fleet-state-queries.js'
import type { ApiDeps } from '../api-deps.js'
import type { AuthenticatedEnv } from '../authenticate.js'
import { describeOperations } from '../openapi/api-operation.js'
import { readPathId } from '../read-request.js'

/** A bus's events of one day: every stop call of every trip fits, with its alarms. */
const dayEventsLimit = 2000

/** The part of the live channel's snapshot the fleet state reads: the trip and its ETA. */
const liveSnapshotSchema = z.object({
  tripId: z.string().nullable().optional(),
  eta: z
    .object({
      status: z.string(),
      nextSeq: z.number().nullable(),
      stops: z.array(z.object({ seq: z.number(), etaTs: z.string().nullable(), passed: z.boolean() })),
    })
    .nullable(),
})

export const fleetOperations = describeOperations([
  {
    method: 'get',
    path: '/api/fleet/state',
    summary: 'The fleet as the console shows it: every bus with its state, trip, crew and equipment',
    description:
      'The bureau sees every bus, a school the buses serving it. Each bus has its `state`: `on_time`, ' +
      '`late` (its running trip 5 minutes or more behind the timetable, by the live ETA of its next call ' +
      'or else by its stop events), `off_route` (off its approved path and not back yet), `silent` (no ' +
      'report for longer than the silence rule, 120 s, during a trip; or with its engine on), `parked` ' +
      '(no trip running, its engine off or standing) or `deadhead` (driving with no trip running). ' +
      'With it: the newest position, the running trip with its next call and pupils on board (by the ' +
      "attendant's scans), driver and attendant, device health (GPS, speed limiter, video recorder, " +
      "power), the compliance register's standing and the count of open alarm cases.",
    callers: ['bureau', 'school'],
    responses: {
      200: '`{now, date, rules, buses, counts, towns, schools}`; `counts` by state',
    },
  },
  {
    method: 'get',
    path: '/api/fleet/buses/:busId/day',
    summary: "A bus's day so far: its events and alarms since midnight in Cixi, oldest first",
    description:
      "The track of the same day is `GET /api/buses/{busId}/positions` with the answer's `from` and `to`.",
    callers: ['bureau', 'school'],
    responses: { 200: '`{busId, date, from, to, events}`' },
    errors: ['forbidden'],
  },
  {
    method: 'get',
    path: '/api/fleet/assignees',
    summary: 'The active staff accounts an alarm case may be assigned to',
    description:
      "A bureau account takes any case; a school's account only a case of its school that is not critical.",
    callers: ['bureau'],
    responses: { 200: '`{assignees}`: username, displayName, role, schoolId' },
  },
])

/**
 * The bureau's fleet console: the fleet state (server/core/fleet), one bus's day, and whom an
 * alarm case may go to. The bureau sees the whole fleet, a school the buses serving it.
 */
export function fleetRoutes({ db, access, clock, liveSnapshot }: ApiDeps) {
  const events = createEventQueries(db)
  const queries = createFleetStateQueries(db)
  const liveEta: ReadLiveEta | undefined = liveSnapshot
    ? async (busId) => {
        const parsed = liveSnapshotSchema.safeParse(await liveSnapshot(busId))
        return parsed.success ? { tripId: parsed.data.tripId ?? null, eta: parsed.data.eta } : null
      }
    : undefined

  return new Hono<AuthenticatedEnv>()
    .get('/fleet/state', async (c) => {
      const principal = c.get('principal')
      assertRole(principal, ['bureau', 'school'])
      const state = await readFleetState({
        db,
        clock,
        busIds: await access.visibleBusIds(principal),
        liveEta,
      })
      return c.json(state)
    })
    .get('/fleet/buses/:busId/day', async (c) => {
      const principal = c.get('principal')
      assertRole(principal, ['bureau', 'school'])
      const busId = readPathId(c, 'busId')
      await assertAllowed(access.canSeeBus(principal, busId), `bus ${busId}`)
      const now = clock.now()
      const date = toShanghaiTime(now).date
      const from = fromShanghaiTime(date, '00:00:00')
      const windows = await access.historyWindows(principal, { from, to: now }, busId)
      const newestFirst = await events.listEvents({ busIds: [busId], windows, limit: dayEventsLimit })
      return c.json({ busId, date, from, to: now, events: newestFirst.reverse() })
    })
    .get('/fleet/assignees', async (c) => {
      assertRole(c.get('principal'), ['bureau'])
      return c.json({ assignees: await queries.listAssignees() })
    })
}
