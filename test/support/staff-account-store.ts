import { createAccountAdministration } from '../../server/core/auth/administer-accounts.js'
import { createAuditLog } from '../../server/core/auth/audit-log.js'
import { createSessions } from '../../server/core/auth/sessions.js'
import { createStaffSignIn } from '../../server/core/auth/sign-in-staff.js'
import { migrateDatabase } from '../../server/core/store/migrate-database.js'
import { openPgliteDatabase } from '../../server/core/store/pglite-database.js'
import { settableClock } from './test-platform-parts.js'
import { useTestStore } from './use-test-store.js'

/** The administrator the account tests act as. */
export const rootAdmin = { actor: 'root-admin', actorRole: 'bureau' }
/** Where the account tests sign in from. */
export const officeBrowser = {
  ip: '192.0.2.7',
  userAgent: 'Mozilla/5.0 (Windows NT 10.0) Chrome/126.0 Safari/537.36',
}
export const chosenPassword = 'correct horse battery'

/**
 * A store with one school (S1) and the staff account parts over it, on a clock the test moves, with
 * what the account tests read back: the audit trail of a target.
 */
export async function openStaffAccountStore(start: Date) {
  const db = await openPgliteDatabase()
  await migrateDatabase(db)
  await db.exec(`
INSERT INTO towns (id, kind, name_zh, lat, lon) VALUES ('t', 'town', '镇', 30.18, 121.5);
INSERT INTO schools (id, town_id, name_zh, kind, lat, lon) VALUES ('S1', 't', '一小', 'primary', 30.18, 121.5);`)
  const clock = settableClock(start)
  const parts = { db, clock, sessions: createSessions({ db, clock }), audit: createAuditLog({ db, clock }) }
  const accounts = createAccountAdministration(parts)
  const staff = createStaffSignIn(parts)

  /** An account that has chosen its own password. */
  async function readyAccount(username: string, password = chosenPassword) {
    const { account, oneTimePassword } = await accounts.create(
      { username, displayName: username, role: 'bureau' },
      rootAdmin,
    )
    await staff.signIn({ username, password: oneTimePassword, newPassword: password }, officeBrowser)
    return account
  }

  /** The audit entries about `target`, oldest first, each its action beside its detail. */
  const auditTrail = async (target: string) =>
    (
      await db.query<{ action: string; detail: Record<string, unknown> }>(
        'SELECT action, detail FROM audit_log WHERE target = $1 ORDER BY id',
        [target],
      )
    ).map((r): Record<string, unknown> => ({ action: r.action, ...r.detail }))

  return {
    ...parts,
    accounts,
    staff,
    readyAccount,
    auditTrail,
    advance: (ms: number) => clock.set(new Date(clock.now().getTime() + ms)),
  }
}

export type StaffAccountStore = Awaited<ReturnType<typeof openStaffAccountStore>>

/** The store for the tests of one file; read it inside a test. */
export const useStaffAccountStore = (start: Date) => useTestStore(() => openStaffAccountStore(start))
