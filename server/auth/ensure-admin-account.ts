import { createAccountAdministration } from '../core/auth/administer-accounts.js'
import { createAuditLog } from '../core/auth/audit-log.js'
import { createSessions } from '../core/auth/sessions.js'
import type { Clock } from '../core/clock/clock.js'
import type { Database } from '../core/store/database.js'

export const firstAdminUsername = 'admin'
const platform = { actor: 'platform', actorRole: 'service' }

export interface FirstAdmin {
  username: string
  /** The password to sign in with once, or null when it was used (the account chose its own). */
  oneTimePassword: string | null
}

/**
 * Makes sure somebody can sign in to manage the platform. A store with no administrator gets the
 * account `admin` with a one-time password. Until that account has signed in (its password still
 * the one-time one, no session ever given), every start gives it a fresh one-time password, so the
 * newest start-links file always holds one that works and an older copy of the file opens nothing.
 * Returns undefined when administrators exist and `admin` is not one of them.
 */
export async function ensureAdminAccount(deps: {
  db: Database
  clock: Clock
}): Promise<FirstAdmin | undefined> {
  const { db, clock } = deps
  const accounts = createAccountAdministration({
    db,
    clock,
    sessions: createSessions({ db, clock }),
    audit: createAuditLog({ db, clock }),
  })
  const existing = await accounts.findByUsername(firstAdminUsername)
  if (!existing) {
    const [anyAdmin] = await db.query(
      `SELECT id FROM staff_accounts WHERE is_admin AND disabled_at IS NULL LIMIT 1`,
    )
    if (anyAdmin) return undefined
    const created = await accounts.create(
      { username: firstAdminUsername, displayName: 'Administrator', role: 'bureau', admin: true },
      platform,
    )
    return { username: firstAdminUsername, oneTimePassword: created.oneTimePassword }
  }
  if (!existing.admin) return undefined
  const [session] = await db.query('SELECT id FROM auth_sessions WHERE account_id = $1 LIMIT 1', [
    existing.id,
  ])
  if (!existing.mustChangePassword || session || existing.disabledAt) {
    return { username: firstAdminUsername, oneTimePassword: null }
  }
  const reset = await accounts.resetPassword(existing.id, platform)
  return { username: firstAdminUsername, oneTimePassword: reset.oneTimePassword }
}
