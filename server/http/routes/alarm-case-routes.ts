import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AlarmCase } from '../../core/alarms/alarm-case.js'
import { alarmCaseStates, alarmOutcomes, alarmSeverities } from '../../core/alarms/alarm-case.js'
import { alarmCaseReaders, type AlarmCaseCommand } from '../../core/alarms/alarm-case-rules.js'
import { canReadAlarmCase, createAlarmCaseWork } from '../../core/alarms/work-alarm-case.js'
import { assertRole } from '../../core/auth/access-policy.js'
import type { Acting } from '../../core/auth/audit-log.js'
import { AppError } from '../../core/errors/app-error.js'
import { createAlarmCaseQueries } from '../../core/store/alarm-case-queries.js'
import { createTripQueries } from '../../core/store/trip-queries.js'
import type { ApiDeps } from '../api-deps.js'
import { auditPersonalData } from '../audit-personal-reads.js'
import type { AuthenticatedEnv } from '../authenticate.js'
import { idSchema, instantSchema } from '../input-schemas.js'
import { describeOperations } from '../openapi/api-operation.js'
import { parseInput } from '../parse-input.js'
import { readJsonBody, smallBodyMaxBytes } from '../read-request.js'
import { requestOrigin } from '../request-origin.js'

/** The speed trace runs from a minute before the episode to a minute after its end… */
const traceMarginMs = 60_000
/** …over at most this long of it (an episode still going is traced up to now)… */
const traceMaxSpanMs = 30 * 60_000
/** …and at most this many fixes (a report a second over 30 minutes, with its margins, fits). */
const traceMaxPoints = 2000
/** An event that names no place is placed at the bus's fix nearest its time, this close. */
const nearestFixWithinS = 600

const commaList = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((text) => text.split(',').filter((item) => item.length > 0))
    .pipe(z.array(z.enum(values)).min(1))

const alarmsQuery = z
  .object({
    state: commaList(alarmCaseStates).optional(),
    severity: commaList(alarmSeverities).optional(),
    kind: z
      .string()
      .transform((text) => text.split(',').filter((item) => item.length > 0))
      .pipe(z.array(idSchema).min(1).max(50))
      .optional(),
    busId: idSchema.optional(),
    schoolId: idSchema.optional(),
    from: instantSchema.optional(),
    to: instantSchema.optional(),
    beforeId: z.coerce.number().int().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    message: 'must be after from',
    path: ['to'],
  })

const alarmIdParam = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,14}$/, { message: 'expected an alarm id (a whole number)' })
    .transform(Number),
})
const kindParam = z.object({
  kind: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, {
    message: 'expected an event kind: lower-case letters, digits and _',
  }),
})
const alarmKindBody = z
  .object({
    severity: z.enum(alarmSeverities),
    escalateAfterMin: z.number().int().min(1).max(1440).nullable().optional(),
  })
  .strict()
  .refine((body) => (body.severity === 'critical') === (body.escalateAfterMin != null), {
    message: 'a critical kind escalates after 1 to 1440 minutes; a major or minor one never does',
    path: ['escalateAfterMin'],
  })
const noteText = z.string().trim().min(1).max(2000)
const assignBody = z.object({ assignee: z.string().trim().min(1).max(64) })
const noteBody = z.object({ text: noteText })
const closeBody = z.object({ outcome: z.enum(alarmOutcomes), text: noteText })

const caseResponse = '`{alarm}` as it is now'
const caseErrors = ['not_found', 'conflict'] as const

export const alarmCaseOperations = describeOperations([
  {
    method: 'get',
    path: '/api/alarms',
    summary: 'The alarm inbox: cases of alarms and violations, newest first',
    description:
      'Every alarm event (a kind in `GET /api/alarm-kinds`) opens one case. The bureau sees every case, a ' +
      'school those of its buses (whatever `schoolId` says). `state`, `severity` and `kind` take ' +
      'comma-separated lists; `from` and `to` bound the alarm’s own time. Pages of `limit`: pass ' +
      '`nextBeforeId` as `beforeId` for the next. Cases opened or changed are also sent live as ' +
      '`alarm_case` `{change, alarm, note?}` to the bureau and the schools a case concerns.',
    callers: alarmCaseReaders,
    query: alarmsQuery,
    responses: { 200: '`{alarms, nextBeforeId}`; `nextBeforeId` is null on the last page' },
  },
  {
    method: 'get',
    path: '/api/alarms/:id',
    summary: 'One alarm case with its evidence, history and notes',
    description:
      "The evidence: the event and its details, where it happened, the bus's speed trace from a minute " +
      'before to a minute after the episode (at most 30 minutes of it), its trip with the stops, and the ' +
      "bus's driver, attendant and police contact (一车一员一警). Reading a case that names pupils (a child " +
      'left on the bus) is kept in the audit log.',
    callers: alarmCaseReaders,
    params: alarmIdParam,
    responses: {
      200: '`{alarm, evidence: {event, where, speedTrace, trip, bus, contacts}, history, notes}`',
    },
    errors: ['not_found'],
  },
  {
    method: 'post',
    path: '/api/alarms/:id/acknowledge',
    summary: 'Acknowledges an alarm case',
    description:
      'Acknowledging again changes nothing. The event is acknowledged with it, which confirms a ' +
      "terminal's SOS to the terminal (0x8203). A school acknowledges its buses' cases but not the critical " +
      'ones (`alarm_bureau_only`).',
    callers: alarmCaseReaders,
    params: alarmIdParam,
    responses: { 200: caseResponse },
    errors: caseErrors,
  },
  {
    method: 'post',
    path: '/api/alarms/:id/assign',
    summary: 'Assigns an alarm case to a staff account, acknowledging it if it was open',
    description:
      "`assignee` is an active staff account's username: of the bureau, or of a school the case concerns " +
      'when the case is not critical (else `assignee_not_eligible`).',
    callers: ['bureau'],
    params: alarmIdParam,
    body: assignBody,
    responses: { 200: caseResponse },
    errors: [...caseErrors, 'unprocessable'],
  },
  {
    method: 'post',
    path: '/api/alarms/:id/notes',
    summary: 'Adds a note to an alarm case',
    description: 'A closed case takes no more notes (`alarm_closed`).',
    callers: alarmCaseReaders,
    params: alarmIdParam,
    body: noteBody,
    responses: { 201: '`{alarm, note}`' },
    errors: caseErrors,
  },
  {
    method: 'post',
    path: '/api/alarms/:id/close',
    summary: 'Closes an alarm case with its outcome',
    description:
      'From any state but closed (`alarm_closed`); an open case is acknowledged as it closes. `outcome` is ' +
      'one of the fixed list, `text` says more.',
    callers: alarmCaseReaders,
    params: alarmIdParam,
    body: closeBody,
    responses: { 200: caseResponse },
    errors: caseErrors,
  },
  {
    method: 'get',
    path: '/api/alarm-kinds',
    summary: 'The alarm catalogue: which event kinds are alarms, how severe, and when they escalate',
    callers: ['bureau'],
    responses: { 200: '`{kinds}`: kind, severity, escalateAfterMin (critical kinds), updatedBy, updatedAt' },
  },
  {
    method: 'put',
    path: '/api/alarm-kinds/:kind',
    summary: 'Makes an event kind an alarm, or changes its severity or escalation',
    description:
      'A critical kind escalates a case nobody has acknowledged after `escalateAfterMin`. Cases already ' +
      'open keep theirs. Every change is kept in the audit log.',
    callers: ['bureau'],
    params: kindParam,
    body: alarmKindBody,
    responses: { 200: '`{kind}` as saved' },
  },
  {
    method: 'delete',
    path: '/api/alarm-kinds/:kind',
    summary: 'Takes an event kind out of the alarm catalogue',
    description: 'Its events open no more cases; cases already open stay. Kept in the audit log.',
    callers: ['bureau'],
    params: kindParam,
    responses: { 200: '`{removed}`: the entry as it was' },
    errors: ['not_found'],
  },
])

/** Who does it and from where, as the audit log and a case's history record it. */
export function actingOf(c: Context<AuthenticatedEnv>, trustProxy: boolean | undefined): Acting {
  const principal = c.get('principal')
  return { actor: principal.sub, actorRole: principal.role, ...requestOrigin(c, { trustProxy }) }
}

/**
 * The alarm inbox: the cases of every alarm and violation, worked from open to closed by the bureau
 * and, for their own buses' cases that are not critical, by the schools; and the catalogue of
 * which event kinds are alarms, which the bureau keeps.
 */
export function alarmCaseRoutes(deps: ApiDeps) {
  const { db, clock, audit, trustProxy, publishAlarmCase } = deps
  const cases = createAlarmCaseQueries(db)
  const trips = createTripQueries(db)
  const work = createAlarmCaseWork({ db, clock })

  const readCase = async (c: Context<AuthenticatedEnv>, id: number): Promise<AlarmCase> => {
    const alarm = await cases.getCase(id)
    if (!alarm) throw new AppError('not_found', `no alarm ${id}`)
    if (!canReadAlarmCase(c.get('principal'), alarm))
      throw new AppError('forbidden', `alarm ${id} is outside this token's scope`)
    return alarm
  }

  const perform = async (c: Context<AuthenticatedEnv>, id: number, command: AlarmCaseCommand) => {
    const result = await work.perform(id, command, c.get('principal'), actingOf(c, trustProxy))
    if (result.change) publishAlarmCase?.(result.change)
    return result
  }

  const evidenceOf = async (alarm: AlarmCase) => {
    const event = await cases.event({ busId: alarm.busId, kind: alarm.kind, ts: alarm.raisedAt })
    const details = event?.details ?? {}
    const startMs = alarm.raisedAt.getTime()
    const endMs = typeof details.endTs === 'string' ? Date.parse(details.endTs) : Number.NaN
    const lastMs = Number.isFinite(endMs) ? endMs : clock.now().getTime()
    const from = new Date(startMs - traceMarginMs)
    const to = new Date(Math.max(startMs, Math.min(lastMs, startMs + traceMaxSpanMs)) + traceMarginMs)
    const points = await cases.trace(alarm.busId, { from, to, limit: traceMaxPoints + 1 })
    const fix = alarm.where
      ? undefined
      : await cases.positionNear(alarm.busId, alarm.raisedAt, nearestFixWithinS)
    const where = alarm.where
      ? {
          ...alarm.where,
          ts: typeof details.peakTs === 'string' ? new Date(details.peakTs) : alarm.raisedAt,
          source: 'event' as const,
        }
      : fix
        ? { lat: fix.lat, lon: fix.lon, ts: fix.ts, speedKmh: fix.speedKmh, source: 'position' as const }
        : null
    const trip = event?.tripId ? await trips.getTrip(event.tripId) : undefined
    return {
      event: event ?? null,
      where,
      speedTrace: {
        from,
        to,
        points: points.slice(0, traceMaxPoints),
        truncated: points.length > traceMaxPoints,
      },
      trip: trip ? { ...trip, stops: await trips.tripStops(trip.id) } : null,
      bus: (await cases.bus(alarm.busId)) ?? null,
      contacts: await cases.busContacts(alarm.busId),
    }
  }

  const principalSchoolFilter = (c: Context<AuthenticatedEnv>, asked: string | undefined) => {
    const principal = c.get('principal')
    return principal.role === 'school' ? principal.schoolId : (asked ?? 'all')
  }

  return new Hono<AuthenticatedEnv>()
    .get('/alarms', async (c) => {
      assertRole(c.get('principal'), alarmCaseReaders)
      const query = parseInput(alarmsQuery, c.req.query(), 'query')
      const page = await cases.listCases({
        schoolId: principalSchoolFilter(c, query.schoolId),
        states: query.state,
        severities: query.severity,
        kinds: query.kind,
        busId: query.busId,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        beforeId: query.beforeId,
        limit: query.limit,
      })
      return c.json({ alarms: page.cases, nextBeforeId: page.nextBeforeId })
    })
    .get('/alarms/:id', async (c) => {
      assertRole(c.get('principal'), alarmCaseReaders)
      const { id } = parseInput(alarmIdParam, c.req.param(), 'params')
      const alarm = await readCase(c, id)
      const evidence = await evidenceOf(alarm)
      const pupils = evidence.event?.details.pupils
      if (Array.isArray(pupils) && pupils.length > 0) {
        await auditPersonalData(c, deps, {
          target: `alarm/${id}`,
          detail: { kind: alarm.kind, pupils: pupils.length },
        })
      }
      const [history, notes] = await Promise.all([cases.history(id), cases.notes(id)])
      return c.json({ alarm, evidence, history, notes })
    })
    .post('/alarms/:id/acknowledge', async (c) => {
      assertRole(c.get('principal'), alarmCaseReaders)
      const { id } = parseInput(alarmIdParam, c.req.param(), 'params')
      const { alarm } = await perform(c, id, { kind: 'acknowledge' })
      return c.json({ alarm })
    })
    .post('/alarms/:id/assign', async (c) => {
      assertRole(c.get('principal'), ['bureau'])
      const { id } = parseInput(alarmIdParam, c.req.param(), 'params')
      const { assignee } = await readJsonBody(c, assignBody, smallBodyMaxBytes)
      const { alarm } = await perform(c, id, { kind: 'assign', assignee })
      return c.json({ alarm })
    })
    .post('/alarms/:id/notes', async (c) => {
      assertRole(c.get('principal'), alarmCaseReaders)
      const { id } = parseInput(alarmIdParam, c.req.param(), 'params')
      const { text } = await readJsonBody(c, noteBody, smallBodyMaxBytes)
      const { alarm, change } = await perform(c, id, { kind: 'note', text })
      return c.json({ alarm, note: change?.note }, 201)
    })
    .post('/alarms/:id/close', async (c) => {
      assertRole(c.get('principal'), alarmCaseReaders)
      const { id } = parseInput(alarmIdParam, c.req.param(), 'params')
      const { outcome, text } = await readJsonBody(c, closeBody, smallBodyMaxBytes)
      const { alarm } = await perform(c, id, { kind: 'close', outcome, text })
      return c.json({ alarm })
    })
    .get('/alarm-kinds', async (c) => {
      assertRole(c.get('principal'), ['bureau'])
      return c.json({ kinds: await cases.listKinds() })
    })
    .put('/alarm-kinds/:kind', async (c) => {
      const principal = c.get('principal')
      assertRole(principal, ['bureau'])
      const { kind } = parseInput(kindParam, c.req.param(), 'params')
      const body = await readJsonBody(c, alarmKindBody, smallBodyMaxBytes)
      const before = await cases.getKind(kind)
      const after = await cases.saveKind({
        kind,
        severity: body.severity,
        escalateAfterMin: body.escalateAfterMin ?? null,
        updatedBy: principal.sub,
        updatedAt: clock.now(),
      })
      await audit.record({
        ...actingOf(c, trustProxy),
        action: 'alarm_kind_changed',
        target: `alarm-kind/${kind}`,
        detail: { before: before ? entryOf(before) : null, after: entryOf(after) },
      })
      return c.json({ kind: after })
    })
    .delete('/alarm-kinds/:kind', async (c) => {
      assertRole(c.get('principal'), ['bureau'])
      const { kind } = parseInput(kindParam, c.req.param(), 'params')
      const removed = await cases.removeKind(kind)
      if (!removed) throw new AppError('not_found', `${kind} is not in the alarm catalogue`)
      await audit.record({
        ...actingOf(c, trustProxy),
        action: 'alarm_kind_changed',
        target: `alarm-kind/${kind}`,
        detail: { before: entryOf(removed), after: null },
      })
      return c.json({ removed })
    })
}

/** What the audit log keeps of a catalogue entry: what it says, not who last said it. */
const entryOf = (entry: { severity: string; escalateAfterMin: number | null }) => ({
  severity: entry.severity,
  escalateAfterMin: entry.escalateAfterMin,
})
