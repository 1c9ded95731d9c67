import { Hono } from 'hono'
import { z } from 'zod'
import { acknowledgeAlarmEvent } from '../../core/alarms/acknowledge-alarm-event.js'
import { mayWorkAlarmCase } from '../../core/alarms/alarm-case-rules.js'
import { canReadAlarmCase, createAlarmCaseWork } from '../../core/alarms/work-alarm-case.js'
import { assertAllowed, assertRole } from '../../core/auth/access-policy.js'
import { AppError } from '../../core/errors/app-error.js'
import { createAlarmCaseQueries } from '../../core/store/alarm-case-queries.js'
import { createEventQueries } from '../../core/store/event-queries.js'
import type { ApiDeps } from '../api-deps.js'
import type { AuthenticatedEnv } from '../authenticate.js'
import { idSchema, instantSchema, serviceDateSchema } from '../input-schemas.js'
import { parseInput } from '../parse-input.js'
import { describeOperations } from '../openapi/api-operation.js'
import { readJsonBody, smallBodyMaxBytes } from '../read-request.js'
import { actingOf } from './alarm-case-routes.js'

const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback)

const eventsQuery = z.object({
  kind: idSchema.optional(),
  from: instantSchema.optional(),
  to: instantSchema.optional(),
  limit: limit(1000, 200),
})

/** Events and alarms (scoped to the buses the caller may see) and dead letters (bureau). */
const eventKey = z.object({ busId: idSchema, kind: idSchema, ts: instantSchema })
const ridershipQuery = z
  .object({
    from: serviceDateSchema,
    to: serviceDateSchema,
    schoolId: idSchema.optional(),
  })
  .refine((q) => q.from <= q.to, { message: 'must not be before from', path: ['to'] })

const deadLettersQuery = z.object({ reason: idSchema.optional(), limit: limit(1000, 100) })

export const oversightOperations = describeOperations([
  {
    method: 'get',
    path: '/api/events',
    summary: 'Events and alarms of the buses the caller may see, newest first',
    description:
      'Over-speed, limiter off, terminal silent, stop arrivals, child left on bus. The last 24 hours by default.',
    callers: ['bureau', 'school', 'attendant'],
    query: eventsQuery,
    responses: { 200: '`{events}`' },
  },
  {
    method: 'get',
    path: '/api/dead-letters',
    summary: 'Telemetry reports the ingest refused, with the reason',
    callers: ['bureau'],
    query: deadLettersQuery,
    responses: { 200: '`{deadLetters}`' },
  },
  {
    method: 'post',
    path: '/api/events/acknowledge',
    summary: 'Acknowledges an alarm, named by bus, kind and time',
    description:
      "Every screen of the bus's staff clears it at once. Acknowledging a terminal's SOS also confirms it " +
      "to the terminal (0x8203), which then clears it and ends the event. The alarm's case in the inbox " +
      'is acknowledged with it where the caller may work the case (the bureau; a school, unless the case ' +
      'is critical); otherwise it stays open for the bureau.',
    callers: ['bureau', 'school', 'attendant'],
    body: eventKey,
    responses: {
      200: '`{event, alarm}` as acknowledged; `alarm` is its case, null for an event that is no alarm',
    },
    errors: ['not_found'],
  },
  {
    method: 'get',
    path: '/api/ridership',
    summary: 'Boardings per day, trip and school between two service days',
    description: 'A school sees its own, whatever `schoolId` says.',
    callers: ['bureau', 'school'],
    query: ridershipQuery,
    responses: { 200: '`{ridership}`' },
  },
  {
    method: 'get',
    path: '/api/ingest/stats',
    summary: "The ingest's counters in this process, and the dead letters by reason",
    callers: ['bureau'],
    responses: { 200: '`{process, deadLettersByReason}`; `process` is null where no ingest runs' },
  },
])

export function oversightRoutes({
  db,
  access,
  clock,
  audit,
  trustProxy,
  ingestStats,
  publishEvent,
  publishAlarmCase,
}: ApiDeps) {
  const events = createEventQueries(db)
  const cases = createAlarmCaseQueries(db)
  const work = createAlarmCaseWork({ db, clock })
  return new Hono<AuthenticatedEnv>()
    .get('/events', async (c) => {
      const principal = c.get('principal')
      assertRole(principal, ['bureau', 'school', 'attendant'])
      const query = parseInput(eventsQuery, c.req.query(), 'query')
      const to = query.to ? new Date(query.to) : clock.now()
      const from = query.from ? new Date(query.from) : new Date(to.getTime() - 24 * 3600 * 1000)
      const busIds = await access.visibleBusIds(principal)
      const windows = await access.historyWindows(principal, { from, to })
      return c.json({
        events: await events.listEvents({ busIds, kind: query.kind, windows, limit: query.limit }),
      })
    })
    .get('/dead-letters', async (c) => {
      assertRole(c.get('principal'), ['bureau'])
      const query = parseInput(deadLettersQuery, c.req.query(), 'query')
      return c.json({ deadLetters: await events.listDeadLetters(query) })
    })
    .post('/events/acknowledge', async (c) => {
      const principal = c.get('principal')
      assertRole(principal, ['bureau', 'school', 'attendant'])
      const key = await readJsonBody(c, eventKey, smallBodyMaxBytes)
      await assertAllowed(access.canSeeBus(principal, key.busId), `bus ${key.busId}`)
      const ts = new Date(key.ts)
      const acting = actingOf(c, trustProxy)
      const { event } = await acknowledgeAlarmEvent({ db, clock, audit }, { ...key, ts }, acting)
      if (!event) throw new AppError('not_found', `no ${key.kind} event of bus ${key.busId} at ${key.ts}`)
      publishEvent?.(event)
      let alarm = (await cases.findCaseOfEvent({ ...key, ts })) ?? null
      // The case follows where the caller may work it; an attendant's tap, or a school's on a
      // critical alarm, clears the screens but leaves the case (and its escalation) to the bureau.
      if (
        alarm?.state === 'open' &&
        canReadAlarmCase(principal, alarm) &&
        mayWorkAlarmCase(principal.role, alarm.severity, 'acknowledge').allowed
      ) {
        const worked = await work
          .perform(alarm.id, { kind: 'acknowledge' }, principal, acting)
          .catch((error: unknown) => {
            // Closed meanwhile by someone else: the event's acknowledgement stands on its own.
            if (error instanceof AppError && error.reason === 'alarm_closed') return undefined
            throw error
          })
        if (worked?.change) publishAlarmCase?.(worked.change)
        alarm = worked?.alarm ?? alarm
      }
      return c.json({ event, alarm })
    })
    .get('/ridership', async (c) => {
      const principal = c.get('principal')
      assertRole(principal, ['bureau', 'school'])
      const query = parseInput(ridershipQuery, c.req.query(), 'query')
      const schoolId = principal.role === 'school' ? principal.schoolId : query.schoolId
      return c.json({ ridership: await events.ridership({ ...query, schoolId }) })
    })
    .get('/ingest/stats', async (c) => {
      assertRole(c.get('principal'), ['bureau'])
      return c.json({
        process: ingestStats?.() ?? null,
        deadLettersByReason: await events.countDeadLettersByReason(),
      })
    })
}
