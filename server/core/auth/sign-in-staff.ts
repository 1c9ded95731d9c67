import { AppError } from '../errors/app-error.js'
import {
  accountOfSession,
  findAccountRow,
  normaliseUsername,
  principalOfAccount,
  storePassword,
  toAccount,
  type AccountParts,
  type AccountRow,
  type AccountStore,
} from './account-queries.js'
import type { Acting } from './audit-log.js'
import { assertPasswordPolicy, hashOfNobody, passwordMaxLength, verifyPassword } from './passwords.js'
import type { Principal } from './principal.js'
import { userAgentLabel } from './user-agent-label.js'

/** Where a sign-in came from. */
export interface SignInOrigin {
  ip: string | null
  userAgent: string | null
}

export interface SignInRequest {
  username: string
  password: string
  /** Replaces a one-time password (or the current one) in the same request. */
  newPassword?: string
}

export interface SignedIn {
  token: string
  expiresAt: Date
  sessionId: string
  principal: Principal
  mustChangePassword: false
}

/** After this many wrong passwords in a row the account rests for `lockMs`. */
export const maxFailedAttempts = 5
export const lockMs = 15 * 60_000
/** A working day and a bit; fixed, so a forgotten browser does not stay signed in for good. */
export const staffSessionTtlS = 12 * 3600

const wrongCredentials = 'wrong username or password'

const lockedError = (until: Date) =>
  new AppError(
    'account_locked',
    `too many wrong passwords: the account is locked until ${until.toISOString()}`,
  )

const isLocked = (row: AccountRow, now: Date) => row.locked_until !== null && row.locked_until > now

/** Counts a wrong password; the fifth in a row locks the account and starts the count again. */
async function countFailure(
  store: AccountStore,
  id: string,
): Promise<{ attempts: number; lockedUntil: Date | null }> {
  const now = store.clock.now()
  const [row] = await store.db.query<{ failed_attempts: number; locked_until: Date | null }>(
    `UPDATE staff_accounts SET
       failed_attempts = CASE WHEN failed_attempts + 1 >= $2 THEN 0 ELSE failed_attempts + 1 END,
       locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN $3::timestamptz ELSE locked_until END
     WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $4)
     RETURNING failed_attempts, locked_until`,
    [id, maxFailedAttempts, new Date(now.getTime() + lockMs), now],
  )
  if (!row) {
    // Locked meanwhile by another attempt: the lock stands as it is.
    const [locked] = await store.db.query<{ locked_until: Date }>(
      'SELECT locked_until FROM staff_accounts WHERE id = $1',
      [id],
    )
    return { attempts: maxFailedAttempts, lockedUntil: locked?.locked_until ?? null }
  }
  const lockedNow = row.locked_until !== null && row.locked_until > now
  return {
    attempts: lockedNow ? maxFailedAttempts : row.failed_attempts,
    lockedUntil: lockedNow ? row.locked_until : null,
  }
}

const clearFailures = (store: AccountStore, id: string) =>
  store.db.query('UPDATE staff_accounts SET failed_attempts = 0, locked_until = NULL WHERE id = $1', [id])

/**
 * A wrong password, at sign-in or when changing it: counted and audited, and the fifth in a row
 * throws `account_locked`. Below the lock the caller refuses in its own words.
 */
async function countWrongPassword(
  parts: AccountParts,
  row: AccountRow,
  by: Acting,
  reason: 'wrong_password' | 'wrong_current_password',
): Promise<void> {
  const failure = await countFailure(parts, row.id)
  await parts.audit.record({
    ...by,
    action: 'sign_in_failed',
    target: row.username,
    detail: { reason, attempt: failure.attempts },
  })
  if (failure.lockedUntil) {
    await parts.audit.record({
      ...by,
      action: 'account_locked',
      target: row.username,
      detail: { attempts: maxFailedAttempts, lockedUntil: failure.lockedUntil.toISOString() },
    })
    throw lockedError(failure.lockedUntil)
  }
}

/** The new password a person chose, checked against the policy and the one it replaces. */
function assertNewPassword(newPassword: string, current: string, username: string, field: string) {
  assertPasswordPolicy(newPassword, username, field)
  if (newPassword === current) {
    throw new AppError('bad_request', `${field}: the new password must differ from the current one`, {
      field,
      reason: 'password_unchanged',
    })
  }
}

/**
 * Staff signing in with a password (argon2id) that locks after repeated failures, each sign-in a
 * session that can be ended; changing one's own password; signing out. Every sign-in, failure and
 * lock is written to the audit log.
 */
export function createStaffSignIn(parts: AccountParts) {
  const { db, clock, sessions, audit } = parts

  return {
    /**
     * A staff sign-in: a session of 12 hours. A wrong username and a wrong password get the same
     * answer in about the same time; five wrong passwords in a row lock the account for 15 minutes
     * (attempts while locked are refused without extending it); a one-time password must be replaced
     * in the same request (`newPassword`) before a session is given.
     */
    async signIn(request: SignInRequest, origin: SignInOrigin): Promise<SignedIn> {
      const username = normaliseUsername(request.username).slice(0, 64)
      const row = await findAccountRow(parts, 'username', username)
      const password = request.password.slice(0, passwordMaxLength)
      const by: Acting = {
        actor: username || 'anonymous',
        actorRole: row?.role ?? null,
        ip: origin.ip,
        userAgent: origin.userAgent,
      }
      if (!row) {
        await verifyPassword(await hashOfNobody(), password)
        await audit.record({ ...by, action: 'sign_in_failed', detail: { reason: 'unknown_username' } })
        throw new AppError('unauthenticated', wrongCredentials, { reason: 'wrong_credentials' })
      }
      if (isLocked(row, clock.now())) {
        await audit.record({
          ...by,
          action: 'sign_in_failed',
          target: username,
          detail: { reason: 'locked', lockedUntil: row.locked_until!.toISOString() },
        })
        throw lockedError(row.locked_until!)
      }
      if (!(await verifyPassword(row.password_hash, password))) {
        await countWrongPassword(parts, row, by, 'wrong_password')
        throw new AppError('unauthenticated', wrongCredentials, { reason: 'wrong_credentials' })
      }
      if (row.disabled_at) {
        await audit.record({
          ...by,
          action: 'sign_in_failed',
          target: username,
          detail: { reason: 'disabled' },
        })
        throw new AppError('forbidden', 'this account is disabled: ask an administrator', {
          reason: 'account_disabled',
        })
      }
      if (request.newPassword === undefined) {
        await clearFailures(parts, row.id)
        if (row.must_change_password) {
          throw new AppError(
            'conflict',
            'body.newPassword: choose a new password to replace the one-time password',
            { field: 'body.newPassword', reason: 'password_change_required' },
          )
        }
      } else {
        assertNewPassword(request.newPassword, password, username, 'body.newPassword')
        await storePassword(parts, row.id, request.newPassword, false)
        await audit.record({
          ...by,
          action: 'password_changed',
          target: username,
          detail: { accountId: row.id, atSignIn: true, oneTimePassword: row.must_change_password },
        })
      }
      const issued = await sessions.issue(
        { kind: 'staff', accountId: row.id },
        { ttlS: staffSessionTtlS, label: userAgentLabel(origin.userAgent), ip: origin.ip ?? undefined },
      )
      await audit.record({
        ...by,
        action: 'sign_in',
        target: username,
        detail: { accountId: row.id, sessionId: issued.id },
      })
      return {
        token: issued.token,
        expiresAt: issued.expiresAt,
        sessionId: issued.id,
        principal: principalOfAccount(toAccount(row)),
        mustChangePassword: false,
      }
    },

    /**
     * A signed-in person changes their own password. The current one is checked (a wrong one counts
     * towards the lock, as at sign-in); the account's other sessions end, the one in use stays.
     */
    async changePassword(
      change: { accountId: string; currentPassword: string; newPassword: string; keepSessionId?: string },
      origin: SignInOrigin,
    ): Promise<void> {
      const row = await findAccountRow(parts, 'id', change.accountId)
      if (!row || row.disabled_at) throw new AppError('unauthenticated', 'this account is disabled')
      const by: Acting = {
        actor: row.username,
        actorRole: row.role,
        ip: origin.ip,
        userAgent: origin.userAgent,
      }
      if (isLocked(row, clock.now())) throw lockedError(row.locked_until!)
      if (!(await verifyPassword(row.password_hash, change.currentPassword.slice(0, passwordMaxLength)))) {
        await countWrongPassword(parts, row, by, 'wrong_current_password')
        throw new AppError('bad_request', 'body.currentPassword: the current password is wrong', {
          field: 'body.currentPassword',
          reason: 'wrong_current_password',
        })
      }
      assertNewPassword(change.newPassword, change.currentPassword, row.username, 'body.newPassword')
      await storePassword(parts, row.id, change.newPassword, false)
      const open = await sessions.list({ owner: { accountId: row.id } })
      let ended = 0
      for (const session of open) {
        if (session.id === change.keepSessionId) continue
        if (await sessions.revoke(session.id, { actor: row.username, reason: 'password changed' })) ended++
      }
      await audit.record({
        ...by,
        action: 'password_changed',
        target: row.username,
        detail: { accountId: row.id, sessionsEnded: ended },
      })
    },

    /** Ends the caller's own session. */
    async signOut(sessionId: string, by: Acting): Promise<boolean> {
      const ended = await sessions.revoke(sessionId, { actor: by.actor, reason: 'signed out' })
      if (ended) await audit.record({ ...by, action: 'sign_out', target: by.actor, detail: { sessionId } })
      return ended
    },

    /** The account a staff session belongs to, if it is one. */
    accountOfSession: (sessionId: string) => accountOfSession(db, sessionId),
  }
}

export type StaffSignIn = ReturnType<typeof createStaffSignIn>
