import type { Queryable } from '../store/database.js'
import type { RegisterName } from './register-records.js'

/**
 * Who changed or took what from the registers, and when. Kept without expiry: the bureau answers
 * for personal data of minors, and an export of it is a disclosure it must be able to account for.
 */
export interface RegisterChange {
  actor: string
  action: 'import' | 'edit' | 'remove' | 'export'
  register: RegisterName | null
  recordKey: string | null
  summary: Record<string, unknown>
  before?: unknown
  after?: unknown
}

export interface LoggedRegisterChange extends RegisterChange {
  id: number
  at: string
}

export async function logRegisterChange(db: Queryable, change: RegisterChange): Promise<void> {
  await db.query(
    `INSERT INTO register_changes (actor, action, register, record_key, summary, before, after)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb)`,
    [
      change.actor,
      change.action,
      change.register,
      change.recordKey,
      JSON.stringify(change.summary),
      change.before === undefined ? null : JSON.stringify(change.before),
      change.after === undefined ? null : JSON.stringify(change.after),
    ],
  )
}

/** The newest changes first, `limit` at a time; `beforeId` pages back. */
export async function listRegisterChanges(
  db: Queryable,
  options: { limit: number; beforeId?: number; register?: RegisterName; recordKey?: string },
): Promise<LoggedRegisterChange[]> {
  const rows = await db.query(
    `SELECT id::int AS id, at, actor, action, register, record_key AS "recordKey", summary, before, after
       FROM register_changes
      WHERE ($1::bigint IS NULL OR id < $1)
        AND ($2::text IS NULL OR register = $2)
        AND ($3::text IS NULL OR record_key = $3)
      ORDER BY id DESC
      LIMIT $4`,
    [options.beforeId ?? null, options.register ?? null, options.recordKey ?? null, options.limit],
  )
  return rows.map((row) => ({
    ...(row as unknown as LoggedRegisterChange),
    at: new Date(row.at as string | Date).toISOString(),
  }))
}
