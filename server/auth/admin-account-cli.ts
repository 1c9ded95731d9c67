import { normaliseUsername } from '../core/auth/account-queries.js'
import { createAccountAdministration } from '../core/auth/administer-accounts.js'
import { createAuditLog } from '../core/auth/audit-log.js'
import { createSessions } from '../core/auth/sessions.js'
import { configuredClock } from '../core/clock/demo-clock.js'
import { loadConfigOrExit } from '../core/config/load-config.js'
import { AppError } from '../core/errors/app-error.js'
import { readCommandLine } from '../core/cli/command-line.js'
import { migrateDatabase } from '../core/store/migrate-database.js'
import { openDatabase } from '../core/store/open-database.js'

/**
 * `npm run accounts:admin -- --username NAME [--display-name TEXT]`: makes NAME an administrator of the
 * bureau with a new one-time password, printed once, to be changed at the first sign-in. A new account
 * is created; an existing bureau account is made an administrator, enabled and unlocked, and its
 * sessions end. For the first administrator, or when every administrator is locked out. The embedded
 * store belongs to one process: beside a running `npm start` on it, this needs DATABASE_URL.
 */
const commandLine = readCommandLine({
  usage: `usage: npm run accounts:admin -- --username NAME [--display-name TEXT]

  --username NAME       the bureau's administrator account to create, or to reset when it exists
  --display-name TEXT   the name shown for the account (default: NAME)

Prints a one-time password, to be changed at the first sign-in. Works on the store of DATABASE_URL,
or the embedded one in DATA_DIR when no running platform holds it.`,
  options: {
    username: { type: 'string' },
    'display-name': { type: 'string' },
  },
})
const { values } = commandLine
const username = normaliseUsername(
  commandLine.required('username', 'the administrator account to create or reset, e.g. --username admin'),
)
const config = loadConfigOrExit(process.env)
const clock = configuredClock(config)
const by = { actor: 'command line', actorRole: 'service' }

let db: Awaited<ReturnType<typeof openDatabase>>
try {
  db = await openDatabase(config)
} catch (error) {
  console.error(`the accounts are in the store: ${(error as Error).message}`)
  process.exit(1)
}
try {
  await migrateDatabase(db)
  const accounts = createAccountAdministration({
    db,
    clock,
    sessions: createSessions({ db, clock }),
    audit: createAuditLog({ db, clock }),
  })
  const existing = await accounts.findByUsername(username)
  let oneTimePassword: string
  if (!existing) {
    const created = await accounts.create(
      { username, displayName: values['display-name'] ?? username, role: 'bureau', admin: true },
      by,
    )
    oneTimePassword = created.oneTimePassword
    console.log(`created the bureau administrator ${username}`)
  } else {
    if (existing.role !== 'bureau') {
      console.error(`${username} is a school's account: choose another username for an administrator`)
      process.exit(1)
    }
    await accounts.change(
      existing.id,
      {
        admin: true,
        disabled: false,
        ...(values['display-name'] ? { displayName: values['display-name'] } : {}),
      },
      by,
    )
    oneTimePassword = (await accounts.resetPassword(existing.id, by)).oneTimePassword
    console.log(
      `reset the password of ${username}${existing.admin ? '' : ', now an administrator of the bureau'}`,
    )
  }
  console.log(`one-time password: ${oneTimePassword}`)
  console.log(
    `Sign in at http://${config.HOST}:${config.PORT}/sign-in and choose a new password; this one works once.`,
  )
} catch (error) {
  if (!(error instanceof AppError)) throw error
  console.error(error.message)
  process.exitCode = 1
} finally {
  await db.close()
}
