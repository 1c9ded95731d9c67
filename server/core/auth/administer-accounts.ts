import { AppError } from '../errors/app-error.js'
import type { Queryable } from '../store/database.js'
import {
  findAccountRow,
  listAccounts,
  mustFindAccountRow,
  normaliseUsername,
  storePassword,
  toAccount,
  type AccountParts,
  type StaffAccount,
  type StaffRole,
} from './account-queries.js'
import type { Acting } from './audit-log.js'
import { generatePassword, hashPassword } from './passwords.js'
import { randomText } from './sessions.js'

export interface NewAccount {
  username: string
  displayName: string
  role: StaffRole
  /** The school's code, for a school account. */
  schoolCode?: string | null
  admin?: boolean
}

export interface AccountChange {
  displayName?: string
  role?: StaffRole
  schoolCode?: string | null
  admin?: boolean
  disabled?: boolean
}

/** The fields of an account an administrator sets, to compare before and after a change. */
type AccountSettings = {
  displayName: string
  role: StaffRole
  schoolId: string | null
  admin: boolean
  disabled: boolean
}

const usernamePattern = /^[a-z0-9][a-z0-9._-]{1,63}$/

const settingsOf = (a: StaffAccount): AccountSettings => ({
  displayName: a.displayName,
  role: a.role,
  schoolId: a.schoolId,
  admin: a.admin,
  disabled: a.disabledAt !== null,
})

function assertDisplayName(displayName: string) {
  if (!displayName)
    throw new AppError('bad_request', 'body.displayName: required', {
      field: 'body.displayName',
      reason: 'display_name_required',
    })
}

function assertAdminIsBureau(admin: boolean | undefined, role: StaffRole) {
  if (admin && role !== 'bureau') {
    throw new AppError('bad_request', 'body.admin: only a bureau account can be an administrator', {
      field: 'body.admin',
      reason: 'admin_outside_bureau',
    })
  }
}

async function schoolIdOf(db: Queryable, code: string | null | undefined, field: string): Promise<string> {
  if (!code)
    throw new AppError('bad_request', `${field}: a school account needs its school's code`, {
      field,
      reason: 'school_code_required',
    })
  const [school] = await db.query<{ id: string }>('SELECT id FROM schools WHERE id = $1', [code])
  if (!school)
    throw new AppError('bad_request', `${field}: no school with the code ${code}`, {
      field,
      reason: 'unknown_school_code',
    })
  return school.id
}

/** The school a changed account answers for: looked up when named or newly needed, else kept. */
async function schoolIdAfterChange(
  db: Queryable,
  before: StaffAccount,
  patch: AccountChange,
): Promise<string | null> {
  if ((patch.role ?? before.role) !== 'school') return null
  return patch.schoolCode !== undefined || before.schoolId === null
    ? schoolIdOf(db, patch.schoolCode, 'body.schoolCode')
    : before.schoolId
}

/** The settings a change asks for, checked against each other and against who asks. */
function wantedSettings(
  before: StaffAccount,
  patch: AccountChange,
  schoolId: string | null,
  by: Acting,
): AccountSettings {
  const role = patch.role ?? before.role
  if (role !== 'school' && patch.schoolCode) {
    throw new AppError('bad_request', 'body.schoolCode: a bureau account belongs to no school', {
      field: 'body.schoolCode',
      reason: 'school_for_bureau_account',
    })
  }
  const admin = patch.admin ?? (role === 'bureau' ? before.admin : false)
  assertAdminIsBureau(admin, role)
  const displayName = patch.displayName?.trim() ?? before.displayName
  assertDisplayName(displayName)
  const disabled = patch.disabled ?? before.disabledAt !== null
  if (disabled && before.disabledAt === null && before.username === by.actor) {
    throw new AppError('conflict', 'an administrator cannot disable their own account', {
      reason: 'own_account',
    })
  }
  return { displayName, role, schoolId, admin, disabled }
}

const changedKeys = (was: AccountSettings, wanted: AccountSettings) =>
  (Object.keys(wanted) as (keyof AccountSettings)[]).filter((key) => wanted[key] !== was[key])

const pickSettings = (settings: AccountSettings, keys: (keyof AccountSettings)[]) =>
  Object.fromEntries(keys.map((key) => [key, settings[key]]))

/** Refuses a change that would leave nobody able to manage accounts. */
async function assertAnotherAdmin(db: Queryable, id: string) {
  const [other] = await db.query(
    `SELECT id FROM staff_accounts WHERE is_admin AND disabled_at IS NULL AND id <> $1 LIMIT 1`,
    [id],
  )
  if (!other)
    throw new AppError('conflict', 'this is the last active administrator: make another one first', {
      reason: 'last_administrator',
    })
}

/**
 * The bureau's and the schools' staff accounts as administrators keep them: created with a one-time
 * password, changed, disabled, a lost password reset. Every change is written to the audit log.
 */
export function createAccountAdministration(parts: AccountParts) {
  const { db, clock, sessions, audit } = parts

  const accounts = {
    list: (): Promise<StaffAccount[]> => listAccounts(parts),

    async get(id: string): Promise<StaffAccount | undefined> {
      const row = await findAccountRow(parts, 'id', id)
      return row && toAccount(row)
    },

    async findByUsername(username: string): Promise<StaffAccount | undefined> {
      const row = await findAccountRow(parts, 'username', normaliseUsername(username))
      return row && toAccount(row)
    },

    /** A new account with a one-time password, to be changed at the first sign-in. */
    async create(
      account: NewAccount,
      by: Acting,
    ): Promise<{ account: StaffAccount; oneTimePassword: string }> {
      const username = normaliseUsername(account.username)
      if (!usernamePattern.test(username)) {
        throw new AppError(
          'bad_request',
          'body.username: 2 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit',
          { field: 'body.username', reason: 'username_format' },
        )
      }
      const displayName = account.displayName.trim()
      assertDisplayName(displayName)
      assertAdminIsBureau(account.admin, account.role)
      const schoolId =
        account.role === 'school' ? await schoolIdOf(db, account.schoolCode, 'body.schoolCode') : null
      const oneTimePassword = generatePassword()
      const id = randomText(12)
      const inserted = await db.query(
        `INSERT INTO staff_accounts (id, username, display_name, role, school_id, is_admin, password_hash,
           must_change_password, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, true, $8, $8)
         ON CONFLICT (username) DO NOTHING RETURNING id`,
        [
          id,
          username,
          displayName,
          account.role,
          schoolId,
          Boolean(account.admin),
          await hashPassword(oneTimePassword),
          clock.now(),
        ],
      )
      if (inserted.length === 0) {
        throw new AppError('conflict', `body.username: ${username} is taken`, {
          field: 'body.username',
          reason: 'username_taken',
        })
      }
      const created = toAccount(await mustFindAccountRow(parts, id))
      await audit.record({
        ...by,
        action: 'account_created',
        target: username,
        detail: { accountId: id, ...settingsOf(created) },
      })
      return { account: created, oneTimePassword }
    },

    /**
     * Changes what an administrator sets; a role, school or admin change counts at the account's next
     * request, since sessions derive it again on every use. Disabling ends the account's sessions.
     */
    async change(
      id: string,
      patch: AccountChange,
      by: Acting,
    ): Promise<{ before: StaffAccount; after: StaffAccount }> {
      const before = toAccount(await mustFindAccountRow(parts, id))
      const wanted = wantedSettings(before, patch, await schoolIdAfterChange(db, before, patch), by)
      const was = settingsOf(before)
      const changed = changedKeys(was, wanted)
      if (changed.length === 0) return { before, after: before }
      const newlyDisabled = wanted.disabled && before.disabledAt === null
      if (before.admin && before.disabledAt === null && (!wanted.admin || wanted.disabled)) {
        await assertAnotherAdmin(db, id)
      }

      await db.query(
        `UPDATE staff_accounts SET display_name = $2, role = $3, school_id = $4, is_admin = $5,
           disabled_at = CASE WHEN $6::boolean THEN coalesce(disabled_at, $7::timestamptz) ELSE NULL END,
           updated_at = $7
         WHERE id = $1`,
        [id, wanted.displayName, wanted.role, wanted.schoolId, wanted.admin, wanted.disabled, clock.now()],
      )
      const ended = newlyDisabled
        ? await sessions.revokeAllOf({ accountId: id }, { actor: by.actor, reason: 'account disabled' })
        : []
      const after = toAccount(await mustFindAccountRow(parts, id))
      await audit.record({
        ...by,
        action: 'account_changed',
        target: before.username,
        detail: {
          accountId: id,
          before: pickSettings(was, changed),
          after: pickSettings(settingsOf(after), changed),
          ...(ended.length ? { sessionsEnded: ended.length } : {}),
        },
      })
      return { before, after }
    },

    disable: (id: string, by: Acting) => accounts.change(id, { disabled: true }, by),
    enable: (id: string, by: Acting) => accounts.change(id, { disabled: false }, by),

    /**
     * A new one-time password for a person who lost theirs: shown once to the administrator, changed
     * at the next sign-in. The account's sessions end, and a lock is lifted.
     */
    async resetPassword(id: string, by: Acting): Promise<{ account: StaffAccount; oneTimePassword: string }> {
      const before = await mustFindAccountRow(parts, id)
      const oneTimePassword = generatePassword()
      await storePassword(parts, id, oneTimePassword, true)
      const ended = await sessions.revokeAllOf(
        { accountId: id },
        { actor: by.actor, reason: 'password reset' },
      )
      await audit.record({
        ...by,
        action: 'password_reset',
        target: before.username,
        detail: { accountId: id, sessionsEnded: ended.length },
      })
      return { account: toAccount(await mustFindAccountRow(parts, id)), oneTimePassword }
    },
  }
  return accounts
}

export type AccountAdministration = ReturnType<typeof createAccountAdministration>
