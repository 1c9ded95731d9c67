import type { Clock } from '../clock/clock.js'
import { AppError } from '../errors/app-error.js'
import type { Queryable } from '../store/database.js'
import type { AuditLog } from './audit-log.js'
import { hashPassword } from './passwords.js'
import type { Principal } from './principal.js'
import type { Sessions } from './sessions.js'

export type StaffRole = 'bureau' | 'school'

export interface StaffAccount {
  id: string
  username: string
  displayName: string
  role: StaffRole
  /** The school (its code) a school account answers for; null for the bureau. */
  schoolId: string | null
  /** A bureau administrator manages accounts, sessions and terminal credentials. */
  admin: boolean
  mustChangePassword: boolean
  lockedUntil: Date | null
  disabledAt: Date | null
  createdAt: Date
  updatedAt: Date
  lastSignInAt: Date | null
  openSessions: number
}

/** Where accounts are kept, and the clock that dates their changes and counts open sessions. */
export interface AccountStore {
  db: Queryable
  clock: Clock
}

/** What signing in and administering accounts work with: the store, sessions and the audit log. */
export interface AccountParts extends AccountStore {
  sessions: Sessions
  audit: AuditLog
}

export type AccountRow = {
  id: string
  username: string
  display_name: string
  role: StaffRole
  school_id: string | null
  is_admin: boolean
  password_hash: string
  must_change_password: boolean
  failed_attempts: number
  locked_until: Date | null
  disabled_at: Date | null
  created_at: Date
  updated_at: Date
  last_sign_in_at: Date | null
  open_sessions: number
}

const accountColumns = `a.id, a.username, a.display_name, a.role, a.school_id, a.is_admin, a.password_hash,
  a.must_change_password, a.failed_attempts, a.locked_until, a.disabled_at, a.created_at, a.updated_at,
  (SELECT max(s.created_at) FROM auth_sessions s WHERE s.account_id = a.id AND s.kind = 'staff') AS last_sign_in_at,
  (SELECT count(*) FROM auth_sessions s WHERE s.account_id = a.id AND s.revoked_at IS NULL AND s.expires_at > $1)::int
    AS open_sessions`

export const toAccount = (row: AccountRow): StaffAccount => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  role: row.role,
  schoolId: row.school_id,
  admin: row.is_admin,
  mustChangePassword: row.must_change_password,
  lockedUntil: row.locked_until,
  disabledAt: row.disabled_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  lastSignInAt: row.last_sign_in_at,
  openSessions: Number(row.open_sessions),
})

/** What a staff account may do, as a session of it carries it (sessions.ts derives the same). */
export function principalOfAccount(
  account: Pick<StaffAccount, 'username' | 'role' | 'schoolId' | 'admin'>,
): Principal {
  return account.role === 'school'
    ? { role: 'school', sub: account.username, schoolId: account.schoolId! }
    : { role: 'bureau', sub: account.username, ...(account.admin ? { admin: true as const } : {}) }
}

/** The username as stored: trimmed and lower-cased, so `Li.Wei` and `li.wei` are one account. */
export const normaliseUsername = (username: string) => username.trim().toLowerCase()

export async function findAccountRow(
  store: AccountStore,
  column: 'id' | 'username',
  value: string,
): Promise<AccountRow | undefined> {
  const [row] = await store.db.query<AccountRow>(
    `SELECT ${accountColumns} FROM staff_accounts a WHERE a.${column} = $2`,
    [store.clock.now(), value],
  )
  return row
}

export async function mustFindAccountRow(store: AccountStore, id: string): Promise<AccountRow> {
  const row = await findAccountRow(store, 'id', id)
  if (!row) throw new AppError('not_found', `no account ${id}`)
  return row
}

export async function listAccounts(store: AccountStore): Promise<StaffAccount[]> {
  const rows = await store.db.query<AccountRow>(
    `SELECT ${accountColumns} FROM staff_accounts a ORDER BY a.username`,
    [store.clock.now()],
  )
  return rows.map(toAccount)
}

/** A new password hashed and stored; it lifts a lock and starts the failure count again. */
export async function storePassword(store: AccountStore, id: string, password: string, mustChange: boolean) {
  await store.db.query(
    `UPDATE staff_accounts SET password_hash = $2, must_change_password = $3, failed_attempts = 0,
       locked_until = NULL, updated_at = $4 WHERE id = $1`,
    [id, await hashPassword(password), mustChange, store.clock.now()],
  )
}

/** The account a staff session belongs to, if it is one. */
export async function accountOfSession(db: Queryable, sessionId: string): Promise<string | undefined> {
  const [row] = await db.query<{ account_id: string | null }>(
    `SELECT account_id FROM auth_sessions WHERE id = $1 AND kind = 'staff'`,
    [sessionId],
  )
  return row?.account_id ?? undefined
}
