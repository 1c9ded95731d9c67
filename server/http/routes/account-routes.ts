import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { assertRole } from '../../core/auth/access-policy.js'
import { createAccountAdministration } from '../../core/auth/administer-accounts.js'
import { auditActions, type Acting } from '../../core/auth/audit-log.js'
import { roles, type Principal } from '../../core/auth/principal.js'
import type { SessionOwner, SessionSummary } from '../../core/auth/sessions.js'
import { createStaffSignIn } from '../../core/auth/sign-in-staff.js'
import { AppError } from '../../core/errors/app-error.js'
import type { Queryable } from '../../core/store/database.js'
import type { ApiDeps } from '../api-deps.js'
import type { AuthenticatedEnv } from '../authenticate.js'
import { idSchema, instantSchema } from '../input-schemas.js'
import { describeOperations } from '../openapi/api-operation.js'
import { parseInput } from '../parse-input.js'
import { readJsonBody, readPathId, smallBodyMaxBytes } from '../read-request.js'
import { requestOrigin } from '../request-origin.js'

const passwordBody = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(1).max(1024),
})
const roleSchema = z.enum(['bureau', 'school'])
const displayNameSchema = z.string().trim().min(1).max(100)
const newAccountBody = z.object({
  username: z.string().min(1).max(64),
  displayName: displayNameSchema,
  role: roleSchema,
  schoolCode: idSchema.nullable().optional(),
  admin: z.boolean().optional(),
})
const accountChangeBody = z
  .object({
    displayName: displayNameSchema.optional(),
    role: roleSchema.optional(),
    schoolCode: idSchema.nullable().optional(),
    admin: z.boolean().optional(),
    disabled: z.boolean().optional(),
  })
  .strict()
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')
const ownerSchema = z
  .string()
  .regex(/^(account|guardian|staff|bus):.+$/, {
    message: 'expected account:ID, guardian:ID, staff:ID or bus:ID',
  })
  .transform((text): SessionOwner => {
    const [kind, ...rest] = text.split(':')
    const id = rest.join(':')
    return kind === 'account'
      ? { accountId: id }
      : kind === 'guardian'
        ? { guardianId: id }
        : kind === 'staff'
          ? { staffId: id }
          : { busId: id }
  })
const sessionsQuery = z.object({
  kind: z.enum(['staff', 'guardian', 'attendant', 'device', 'issued']).optional(),
  owner: ownerSchema.optional(),
  includeEnded: flag.default(false),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
})
const ownerQuery = z.object({ owner: ownerSchema })
const revokeBody = z.object({ reason: z.string().trim().min(1).max(200) })
const auditQuery = z.object({
  from: instantSchema.optional(),
  to: instantSchema.optional(),
  action: z.enum(auditActions).optional(),
  actor: z.string().min(1).max(200).optional(),
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
})

export const accountOperations = describeOperations([
  {
    method: 'post',
    path: '/api/access/sign-out',
    summary: "Ends the caller's session",
    callers: roles,
    responses: { 200: '`{ended}`: false when the token was no session to end' },
  },
  {
    method: 'post',
    path: '/api/access/password',
    summary: "Changes a signed-in staff member's password",
    description: "Every other session of the account ends; the caller's own stays.",
    callers: ['bureau', 'school'],
    body: passwordBody,
    responses: { 200: '`{changed: true}`' },
  },
  {
    method: 'get',
    path: '/api/accounts',
    summary: "The staff's accounts",
    callers: ['bureau'],
    adminOnly: true,
    responses: { 200: '`{accounts}`' },
  },
  {
    method: 'post',
    path: '/api/accounts',
    summary: 'Makes an account with a one-time password, to be changed at the first sign-in',
    callers: ['bureau'],
    adminOnly: true,
    body: newAccountBody,
    responses: { 201: '`{account, oneTimePassword}`: the password is shown this once' },
    errors: ['conflict'],
  },
  {
    method: 'patch',
    path: '/api/accounts/:id',
    summary: "Changes an account's name, role, school, administrator flag or whether it is disabled",
    description: 'Disabling an account ends its sessions.',
    callers: ['bureau'],
    adminOnly: true,
    body: accountChangeBody,
    responses: { 200: 'the account as changed' },
    errors: ['not_found', 'conflict'],
  },
  {
    method: 'post',
    path: '/api/accounts/:id/reset-password',
    summary: 'Gives an account a new one-time password and ends its sessions',
    callers: ['bureau'],
    adminOnly: true,
    responses: { 200: 'the account and its `oneTimePassword`, shown this once' },
    errors: ['not_found'],
  },
  {
    method: 'get',
    path: '/api/sessions',
    summary: 'The sessions held by staff, phones and terminals',
    description: 'Who holds each in words people know, and `owner` to end all of theirs at once.',
    callers: ['bureau'],
    query: sessionsQuery,
    responses: { 200: '`{sessions}`' },
  },
  {
    method: 'delete',
    path: '/api/sessions/:id',
    summary: 'Ends one session, saying why',
    callers: ['bureau'],
    adminOnly: true,
    body: revokeBody,
    responses: { 200: '`{ended}`: false when it had ended already' },
    errors: ['not_found'],
  },
  {
    method: 'delete',
    path: '/api/sessions',
    summary: 'Ends every session of one owner: an account, a guardian, an attendant or a bus',
    callers: ['bureau'],
    adminOnly: true,
    query: ownerQuery,
    body: revokeBody,
    responses: { 200: '`{ended}`: the ids of the sessions ended' },
  },
  {
    method: 'get',
    path: '/api/audit',
    summary: 'The audit log, newest first: sign-ins, sessions, reads and exports of personal data',
    description: "Page with `before`: the answer's `nextBefore`, null on the last page.",
    callers: ['bureau'],
    query: auditQuery,
    responses: { 200: '`{entries, nextBefore}`' },
  },
])

/** Managing accounts, sessions and terminal credentials: the bureau's administrators only. */
function assertAdmin(principal: Principal) {
  if (principal.role !== 'bureau' || !principal.admin) {
    throw new AppError('forbidden', 'only an administrator of the bureau may do this')
  }
}

const ownerText = (owner: SessionOwner) =>
  'accountId' in owner
    ? `account:${owner.accountId}`
    : 'guardianId' in owner
      ? `guardian:${owner.guardianId}`
      : 'staffId' in owner
        ? `staff:${owner.staffId}`
        : `bus:${owner.busId}`

const ownerPrefix: Partial<Record<SessionSummary['kind'], string>> = {
  staff: 'account',
  guardian: 'guardian',
  attendant: 'staff',
  device: 'bus',
}

/**
 * Sessions as the bureau lists them: who holds each in words people know (an account's username, an
 * attendant's name, a bus's plate) and the owner to end all of theirs at once. Guardians stay as
 * their ids: a list of sessions is no place for families' names.
 */
async function describeSessions(db: Queryable, sessions: SessionSummary[]) {
  const idsOf = (kind: SessionSummary['kind']) => [
    ...new Set(sessions.filter((s) => s.kind === kind).map((s) => s.subject)),
  ]
  const [accounts, attendants, buses] = await Promise.all([
    db.query<{ id: string; name: string }>(
      `SELECT id, username || ' (' || display_name || ')' AS name FROM staff_accounts WHERE id = ANY($1)`,
      [idsOf('staff')],
    ),
    db.query<{ id: string; name: string }>('SELECT id, name FROM staff WHERE id = ANY($1)', [
      idsOf('attendant'),
    ]),
    db.query<{ id: string; name: string }>('SELECT id, plate AS name FROM buses WHERE id = ANY($1)', [
      idsOf('device'),
    ]),
  ])
  const names = new Map<string, string>()
  for (const [kind, rows] of [
    ['staff', accounts],
    ['attendant', attendants],
    ['device', buses],
  ] as const)
    for (const row of rows) names.set(`${kind}:${row.id}`, row.name)
  return sessions.map((session) => {
    const prefix = ownerPrefix[session.kind]
    return {
      ...session,
      subjectName: names.get(`${session.kind}:${session.subject}`) ?? session.subject,
      owner: prefix ? `${prefix}:${session.subject}` : null,
    }
  })
}

/**
 * Signing out and changing one's password, for every signed-in staff member; accounts and sessions
 * for the bureau's administrators; the audit log for the bureau.
 */
export function accountRoutes(deps: ApiDeps) {
  const { db, sessions, audit } = deps
  const accounts = createAccountAdministration(deps)
  const staff = createStaffSignIn(deps)
  const acting = (c: Context<AuthenticatedEnv>): Acting => {
    const principal = c.get('principal')
    const origin = requestOrigin(c, { trustProxy: deps.trustProxy })
    return { actor: principal.sub, actorRole: principal.role, ip: origin.ip, userAgent: origin.userAgent }
  }

  return new Hono<AuthenticatedEnv>()
    .post('/access/sign-out', async (c) => {
      const sessionId = c.get('sessionId')
      const ended = sessionId ? await staff.signOut(sessionId, acting(c)) : false
      return c.json({ ended })
    })
    .post('/access/password', async (c) => {
      const sessionId = c.get('sessionId')
      const accountId = sessionId ? await staff.accountOfSession(sessionId) : undefined
      if (!accountId)
        throw new AppError('forbidden', 'only a staff member signed in with a password can change it')
      const body = await readJsonBody(c, passwordBody, smallBodyMaxBytes)
      await staff.changePassword({ accountId, ...body, keepSessionId: sessionId }, requestOrigin(c, deps))
      return c.json({ changed: true })
    })
    .get('/accounts', async (c) => {
      assertAdmin(c.get('principal'))
      return c.json({ accounts: await accounts.list() })
    })
    .post('/accounts', async (c) => {
      assertAdmin(c.get('principal'))
      const body = await readJsonBody(c, newAccountBody, smallBodyMaxBytes)
      return c.json(await accounts.create(body, acting(c)), 201)
    })
    .patch('/accounts/:id', async (c) => {
      assertAdmin(c.get('principal'))
      const id = readPathId(c, 'id')
      const body = await readJsonBody(c, accountChangeBody, smallBodyMaxBytes)
      return c.json(await accounts.change(id, body, acting(c)))
    })
    .post('/accounts/:id/reset-password', async (c) => {
      assertAdmin(c.get('principal'))
      return c.json(await accounts.resetPassword(readPathId(c, 'id'), acting(c)))
    })
    .get('/sessions', async (c) => {
      assertRole(c.get('principal'), ['bureau'])
      const query = parseInput(sessionsQuery, c.req.query(), 'query')
      const listed = await sessions.list(query)
      return c.json({ sessions: await describeSessions(db, listed) })
    })
    .delete('/sessions/:id', async (c) => {
      assertAdmin(c.get('principal'))
      const id = readPathId(c, 'id')
      const { reason } = await readJsonBody(c, revokeBody, smallBodyMaxBytes)
      const [session] = await db.query<{ kind: string; subject: string }>(
        `SELECT kind, coalesce(account_id, guardian_id, staff_id, bus_id, principal->>'sub') AS subject
           FROM auth_sessions WHERE id = $1`,
        [id],
      )
      if (!session) throw new AppError('not_found', `no session ${id}`)
      const by = acting(c)
      const ended = await sessions.revoke(id, { actor: by.actor, reason })
      if (ended) {
        await audit.record({
          ...by,
          action: 'session_revoked',
          target: `session:${id}`,
          detail: { kind: session.kind, subject: session.subject, reason },
        })
      }
      return c.json({ ended })
    })
    .delete('/sessions', async (c) => {
      assertAdmin(c.get('principal'))
      const { owner } = parseInput(ownerQuery, c.req.query(), 'query')
      const { reason } = await readJsonBody(c, revokeBody, smallBodyMaxBytes)
      const by = acting(c)
      const ended = await sessions.revokeAllOf(owner, { actor: by.actor, reason })
      if (ended.length > 0) {
        await audit.record({
          ...by,
          action: 'session_revoked',
          target: ownerText(owner),
          detail: { sessionIds: ended, reason },
        })
      }
      return c.json({ ended })
    })
    .get('/audit', async (c) => {
      assertRole(c.get('principal'), ['bureau'])
      const query = parseInput(auditQuery, c.req.query(), 'query')
      const entries = await audit.list({
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        action: query.action,
        actor: query.actor,
        beforeId: query.before,
        limit: query.limit,
      })
      const last = entries.at(-1)
      return c.json({ entries, nextBefore: entries.length === query.limit && last ? last.id : null })
    })
}
