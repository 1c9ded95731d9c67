import type { Clock } from '../clock/clock.js'
import type { Queryable } from '../store/database.js'

/** What the audit log records: who came in or tried to, who let whom in or out, who read or took what. */
export const auditActions = [
  'sign_in',
  'sign_in_failed',
  'account_locked',
  'sign_out',
  'password_changed',
  'password_reset',
  'account_created',
  'account_changed',
  'enrolment_issued',
  'enrolment_sent',
  'enrolled',
  'enrolment_failed',
  'pairing_issued',
  'paired',
  'pairing_failed',
  'session_revoked',
  'credential_rotated',
  'terminal_command',
  'alarm_kind_changed',
  'score_rules_changed',
  'score_removal_lifted',
  'pupil_data_read',
  'export',
] as const
export type AuditAction = (typeof auditActions)[number]

export interface AuditEntry {
  /** Who: an account's username, a guardian's or attendant's id, `anonymous` before sign-in. */
  actor: string
  actorRole?: string | null
  action: AuditAction
  /** What it was done to: an account, a session, a pupil, a register. */
  target?: string | null
  detail?: Record<string, unknown>
  /** From where. */
  ip?: string | null
  userAgent?: string | null
}

/** Who does it, from where: what the audit log records beside each change (spread into an entry). */
export type Acting = Pick<AuditEntry, 'actor' | 'actorRole' | 'ip' | 'userAgent'>

export interface AuditRecord extends Required<Omit<AuditEntry, 'detail'>> {
  id: number
  at: Date
  detail: Record<string, unknown>
}

/** A year, as the bureau keeps its records of access to minors' data. */
export const auditRetentionDays = 365

/** The audit trail in the store: written as things happen, read by the bureau, kept a year. */
export function createAuditLog(options: { db: Queryable; clock: Clock }) {
  const { db, clock } = options
  return {
    async record(entry: AuditEntry): Promise<void> {
      await db.query(
        `INSERT INTO audit_log (at, actor, actor_role, action, target, detail, ip, user_agent)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          clock.now(),
          entry.actor,
          entry.actorRole ?? null,
          entry.action,
          entry.target ?? null,
          JSON.stringify(entry.detail ?? {}),
          entry.ip ?? null,
          entry.userAgent?.slice(0, 300) ?? null,
        ],
      )
    },

    /** Newest first, `limit` at a time, older than `beforeId` for the next page. */
    async list(filter: {
      from?: Date
      to?: Date
      action?: AuditAction
      actor?: string
      beforeId?: number
      limit: number
    }): Promise<AuditRecord[]> {
      const where: string[] = []
      const params: unknown[] = []
      const add = (sql: string, value: unknown) => {
        params.push(value)
        where.push(sql.replace('?', `$${params.length}`))
      }
      if (filter.from) add('at >= ?', filter.from)
      if (filter.to) add('at < ?', filter.to)
      if (filter.action) add('action = ?', filter.action)
      if (filter.actor) add('actor = ?', filter.actor)
      if (filter.beforeId !== undefined) add('id < ?', filter.beforeId)
      params.push(filter.limit)
      const rows = await db.query<{
        id: number
        at: Date
        actor: string
        actor_role: string | null
        action: AuditAction
        target: string | null
        detail: Record<string, unknown>
        ip: string | null
        user_agent: string | null
      }>(
        `SELECT id, at, actor, actor_role, action, target, detail, ip, user_agent FROM audit_log
          ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
        params,
      )
      return rows.map((r) => ({
        id: r.id,
        at: r.at,
        actor: r.actor,
        actorRole: r.actor_role,
        action: r.action,
        target: r.target,
        detail: r.detail,
        ip: r.ip,
        userAgent: r.user_agent,
      }))
    },

    /** Drops what is older than the retention; returns how many entries went. */
    async expire(retentionDays = auditRetentionDays): Promise<number> {
      const before = new Date(clock.now().getTime() - retentionDays * 86_400_000)
      const rows = await db.query('DELETE FROM audit_log WHERE at < $1 RETURNING id', [before])
      return rows.length
    },
  }
}

export type AuditLog = ReturnType<typeof createAuditLog>
