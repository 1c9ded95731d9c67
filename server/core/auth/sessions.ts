import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Clock } from '../clock/clock.js'
import { AppError } from '../errors/app-error.js'
import type { Queryable } from '../store/database.js'
import { principalSchema, type Principal } from './principal.js'

/**
 * What a session lets its holder be. Staff, guardians, attendants and terminals are looked up again
 * on every use, so a changed role, a pupil taken off a guardian or an attendant moved to another bus
 * counts at once; an `issued` session (the command line's, a test's) carries its principal whole.
 */
export type SessionGrant =
  | { kind: 'staff'; accountId: string }
  | { kind: 'guardian'; guardianId: string }
  | { kind: 'attendant'; staffId: string }
  | {
      kind: 'device'
      busId: string
      /** The broker's hash of the token (Mosquitto's password file), made once the token exists. */
      brokerHash?: (token: string) => string
    }
  | { kind: 'issued'; principal: Principal }

export type SessionKind = SessionGrant['kind']

export interface IssueOptions {
  ttlS: number
  /** Sliding sessions (a guardian's phone): each use pushes the expiry to `renewS` from then. */
  renewS?: number
  /** What the holder is, as people will recognise it in a list (a phone's browser, a terminal). */
  label?: string
  ip?: string
}

export interface IssuedSession {
  id: string
  /** Given once to the holder; the store keeps only its hash. */
  token: string
  expiresAt: Date
}

export interface VerifiedSession {
  sessionId: string
  kind: SessionKind
  principal: Principal
  /** Until the session expires unless used again (sliding sessions are renewed by use). */
  validForMs: number
}

export interface SessionSummary {
  id: string
  kind: SessionKind
  label: string | null
  subject: string
  createdAt: Date
  lastUsedAt: Date
  expiresAt: Date
  revokedAt: Date | null
  revokedBy: string | null
  revokeReason: string | null
}

export type SessionOwner =
  { accountId: string } | { guardianId: string } | { staffId: string } | { busId: string }

const tokenPrefix = 's1.'
/** A used session's last use is written at most this often, renewing a sliding one. */
const touchEveryMs = 5 * 60_000

/** A session token is `s1.<id>.<secret>`; anything else is not one. */
export function isSessionToken(token: string | undefined): token is string {
  return token?.startsWith(tokenPrefix) === true
}

/** The id of a session token, without checking it: to find the sockets a revoked session opened. */
export function sessionIdOf(token: string | undefined): string | undefined {
  if (!isSessionToken(token)) return undefined
  return token.slice(tokenPrefix.length).split('.')[0] || undefined
}

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex')

/** Random text for ids, secrets and codes: base64url, so it travels in URLs and headers unchanged. */
export const randomText = (bytes: number) => randomBytes(bytes).toString('base64url')

type SessionRow = {
  id: string
  kind: SessionKind
  secret_hash: string
  account_id: string | null
  guardian_id: string | null
  staff_id: string | null
  bus_id: string | null
  principal: unknown
  last_used_at: Date
  expires_at: Date
  renew_s: number | null
  revoked_at: Date | null
}

const ownerColumn = (owner: SessionOwner): [string, string] =>
  'accountId' in owner
    ? ['account_id', owner.accountId]
    : 'guardianId' in owner
      ? ['guardian_id', owner.guardianId]
      : 'staffId' in owner
        ? ['staff_id', owner.staffId]
        : ['bus_id', owner.busId]

/**
 * Sessions kept in the store: each has an id that can be ended, and takes effect again on every
 * use (DESIGN §4). Only a hash of the secret is kept, so a copy of the store opens nothing.
 */
export function createSessions(options: { db: Queryable; clock: Clock }) {
  const { db, clock } = options
  const refuse = (message: string) => new AppError('unauthenticated', message)

  async function principalOf(row: SessionRow): Promise<Principal> {
    switch (row.kind) {
      case 'issued': {
        const parsed = principalSchema.safeParse(row.principal)
        if (!parsed.success) throw refuse('the session carries no valid scope')
        return parsed.data
      }
      case 'device':
        return { role: 'device', sub: `terminal-${row.bus_id}`, busId: row.bus_id! }
      case 'staff': {
        const [account] = await db.query<{
          username: string
          role: 'bureau' | 'school'
          school_id: string | null
          is_admin: boolean
          disabled_at: Date | null
        }>('SELECT username, role, school_id, is_admin, disabled_at FROM staff_accounts WHERE id = $1', [
          row.account_id,
        ])
        if (!account || account.disabled_at) throw refuse('this account is disabled')
        return account.role === 'school'
          ? { role: 'school', sub: account.username, schoolId: account.school_id! }
          : { role: 'bureau', sub: account.username, ...(account.is_admin ? { admin: true } : {}) }
      }
      case 'guardian': {
        const pupils = await db.query<{ pupil_id: string }>(
          'SELECT pupil_id FROM pupil_guardians WHERE guardian_id = $1 ORDER BY pupil_id',
          [row.guardian_id],
        )
        if (pupils.length === 0) throw refuse('this phone is no longer enrolled for any pupil')
        return { role: 'parent', sub: row.guardian_id!, pupilIds: pupils.map((p) => p.pupil_id) }
      }
      case 'attendant': {
        const [staff] = await db.query<{ bus_id: string | null }>(
          `SELECT bus_id FROM staff WHERE id = $1 AND role = 'attendant'`,
          [row.staff_id],
        )
        if (!staff?.bus_id) throw refuse('this attendant has no bus in the registers')
        return { role: 'attendant', sub: row.staff_id!, busId: staff.bus_id }
      }
    }
  }

  function parseToken(token: string | undefined): { id: string; secret: string } | AppError {
    if (!token) return refuse('an access token is required')
    const [id, secret, ...rest] = isSessionToken(token) ? token.slice(tokenPrefix.length).split('.') : []
    if (!id || !secret || rest.length > 0) return refuse('the access token is invalid')
    return { id, secret }
  }

  /** One session's checks against its row; the new expiry when its use is to be written. */
  async function checkSession(
    row: SessionRow | undefined,
    secret: string,
    now: Date,
  ): Promise<{ verified: VerifiedSession; touchedExpiresAt?: Date }> {
    const expected = Buffer.from(row?.secret_hash ?? '', 'hex')
    const given = Buffer.from(hashSecret(secret), 'hex')
    if (!row || expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw refuse('the access token is invalid')
    }
    if (row.revoked_at) throw refuse('this session has been ended')
    if (row.expires_at <= now) throw refuse('the session has expired')
    const principal = await principalOf(row)
    const touch = now.getTime() - row.last_used_at.getTime() >= touchEveryMs
    const expiresAt =
      touch && row.renew_s !== null ? new Date(now.getTime() + row.renew_s * 1000) : row.expires_at
    const verified = {
      sessionId: row.id,
      kind: row.kind,
      principal,
      validForMs: expiresAt.getTime() - now.getTime(),
    }
    return touch ? { verified, touchedExpiresAt: expiresAt } : { verified }
  }

  /**
   * verify for many tokens at once, each answered on its own (a session, or the 401 AppError it
   * gets), with one read and at most one write whatever their number: after a gateway restarts,
   * thousands of terminals authenticate in the same second.
   */
  async function verifyMany(
    tokens: readonly (string | undefined)[],
  ): Promise<(VerifiedSession | AppError)[]> {
    const parsed = tokens.map(parseToken)
    const ids = [...new Set(parsed.flatMap((p) => (p instanceof AppError ? [] : [p.id])))]
    const rows =
      ids.length === 0
        ? []
        : await db.query<SessionRow>(
            `SELECT id, kind, secret_hash, account_id, guardian_id, staff_id, bus_id, principal,
                    last_used_at, expires_at, renew_s, revoked_at
               FROM auth_sessions WHERE id = ANY($1::text[])`,
            [ids],
          )
    const byId = new Map(rows.map((row) => [row.id, row]))
    const now = clock.now()
    const touched = new Map<string, Date>()
    const outcomes = await Promise.all(
      parsed.map(async (token) => {
        if (token instanceof AppError) return token
        try {
          const { verified, touchedExpiresAt } = await checkSession(byId.get(token.id), token.secret, now)
          if (touchedExpiresAt) touched.set(token.id, touchedExpiresAt)
          return verified
        } catch (error) {
          if (error instanceof AppError) return error
          throw error
        }
      }),
    )
    if (touched.size > 0) {
      await db.query(
        `UPDATE auth_sessions s SET last_used_at = $2, expires_at = t.expires_at
           FROM unnest($1::text[], $3::timestamptz[]) AS t (id, expires_at) WHERE s.id = t.id`,
        [[...touched.keys()], now, [...touched.values()]],
      )
    }
    return outcomes
  }

  const sessions = {
    async issue(grant: SessionGrant, issue: IssueOptions): Promise<IssuedSession> {
      const id = randomText(16)
      const secret = randomText(32)
      const token = `${tokenPrefix}${id}.${secret}`
      const now = clock.now()
      const expiresAt = new Date(now.getTime() + issue.ttlS * 1000)
      await db.query(
        `INSERT INTO auth_sessions (id, kind, secret_hash, account_id, guardian_id, staff_id, bus_id,
           principal, broker_hash, label, created_at, created_ip, last_used_at, expires_at, renew_s)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $11, $13, $14)`,
        [
          id,
          grant.kind,
          hashSecret(secret),
          grant.kind === 'staff' ? grant.accountId : null,
          grant.kind === 'guardian' ? grant.guardianId : null,
          grant.kind === 'attendant' ? grant.staffId : null,
          grant.kind === 'device' ? grant.busId : null,
          grant.kind === 'issued' ? JSON.stringify(grant.principal) : null,
          grant.kind === 'device' ? (grant.brokerHash?.(token) ?? null) : null,
          issue.label ?? null,
          now,
          issue.ip ?? null,
          expiresAt,
          issue.renewS ?? null,
        ],
      )
      return { id, token, expiresAt }
    },

    /** Rejects with a 401 AppError for a missing, unknown, altered, ended or expired session. */
    async verify(token: string | undefined): Promise<VerifiedSession> {
      const [outcome] = await verifyMany([token])
      if (outcome instanceof AppError) throw outcome
      return outcome!
    },

    verifyMany,

    /** Ends one session; false when there was none to end. */
    async revoke(id: string, by: { actor: string; reason: string }): Promise<boolean> {
      const rows = await db.query(
        `UPDATE auth_sessions SET revoked_at = $2, revoked_by = $3, revoke_reason = $4
          WHERE id = $1 AND revoked_at IS NULL RETURNING id`,
        [id, clock.now(), by.actor, by.reason],
      )
      return rows.length > 0
    },

    /** Ends every open session of one account, guardian, attendant or terminal; returns their ids. */
    async revokeAllOf(owner: SessionOwner, by: { actor: string; reason: string }): Promise<string[]> {
      const [column, value] = ownerColumn(owner)
      const rows = await db.query<{ id: string }>(
        `UPDATE auth_sessions SET revoked_at = $2, revoked_by = $3, revoke_reason = $4
          WHERE ${column} = $1 AND revoked_at IS NULL RETURNING id`,
        [value, clock.now(), by.actor, by.reason],
      )
      return rows.map((r) => r.id)
    },

    /** Which of `ids` may no longer be used: ended, expired or gone. One query, whatever their number. */
    async endedAmong(ids: readonly string[]): Promise<string[]> {
      if (ids.length === 0) return []
      const live = await db.query<{ id: string }>(
        'SELECT id FROM auth_sessions WHERE id = ANY($1) AND revoked_at IS NULL AND expires_at > $2',
        [ids, clock.now()],
      )
      const open = new Set(live.map((r) => r.id))
      return ids.filter((id) => !open.has(id))
    },

    /** Sessions ended at or after `since`, oldest first: what open connections must drop. */
    async revokedSince(since: Date): Promise<{ id: string; revokedAt: Date }[]> {
      const rows = await db.query<{ id: string; revoked_at: Date }>(
        `SELECT id, revoked_at FROM auth_sessions WHERE revoked_at >= $1 ORDER BY revoked_at`,
        [since],
      )
      return rows.map((r) => ({ id: r.id, revokedAt: r.revoked_at }))
    },

    /** The sessions of one owner, or of a kind, newest first; ended ones too when asked. */
    async list(filter: {
      owner?: SessionOwner
      kind?: SessionKind
      includeEnded?: boolean
      limit?: number
    }): Promise<SessionSummary[]> {
      const where: string[] = []
      const params: unknown[] = []
      if (filter.owner) {
        const [column, value] = ownerColumn(filter.owner)
        params.push(value)
        where.push(`${column} = $${params.length}`)
      }
      if (filter.kind) {
        params.push(filter.kind)
        where.push(`kind = $${params.length}`)
      }
      if (!filter.includeEnded) {
        params.push(clock.now())
        where.push(`revoked_at IS NULL AND expires_at > $${params.length}`)
      }
      params.push(filter.limit ?? 200)
      const rows = await db.query<{
        id: string
        kind: SessionKind
        label: string | null
        subject: string
        created_at: Date
        last_used_at: Date
        expires_at: Date
        revoked_at: Date | null
        revoked_by: string | null
        revoke_reason: string | null
      }>(
        `SELECT id, kind, label,
                coalesce(account_id, guardian_id, staff_id, bus_id, principal->>'sub') AS subject,
                created_at, last_used_at, expires_at, revoked_at, revoked_by, revoke_reason
           FROM auth_sessions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY created_at DESC LIMIT $${params.length}`,
        params,
      )
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        label: r.label,
        subject: r.subject,
        createdAt: r.created_at,
        lastUsedAt: r.last_used_at,
        expiresAt: r.expires_at,
        revokedAt: r.revoked_at,
        revokedBy: r.revoked_by,
        revokeReason: r.revoke_reason,
      }))
    },

    /** Forgets sessions that ended or expired before `before`: the audit log keeps their story. */
    async purgeEndedBefore(before: Date): Promise<number> {
      const rows = await db.query(
        `DELETE FROM auth_sessions WHERE expires_at < $1 OR revoked_at < $1 RETURNING id`,
        [before],
      )
      return rows.length
    },
  }
  return sessions
}

export type Sessions = ReturnType<typeof createSessions>
