import { execFileSync } from 'node:child_process'
import { stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createAuditLog } from '../core/auth/audit-log.js'
import { createSessions } from '../core/auth/sessions.js'
import { readCommandLine } from '../core/cli/command-line.js'
import { configuredClock } from '../core/clock/demo-clock.js'
import { loadConfigOrExit } from '../core/config/load-config.js'
import { createLogger } from '../core/log/logger.js'
import { migrateDatabase } from '../core/store/migrate-database.js'
import { openDatabase } from '../core/store/open-database.js'
import { platformEnvFiles, writeBrokerConfig } from './write-broker-config.js'

/**
 * `npm run broker:config -- --out DIR`: Mosquitto's password file, ACL and configuration for the
 * terminals' credentials in the configured store, and the MQTT_URL files of the platform's own
 * processes. Prints where they are and what they hold, never a secret. The embedded store belongs
 * to one process: beside a running `npm start` on it, this needs DATABASE_URL.
 */
const commandLine = readCommandLine({
  usage: `usage: npm run broker:config -- --out DIR [--issue-missing] [--port 1883] [--bind ADDRESS]
         [--platform-host 127.0.0.1] [--broker-user NAME] [--new-platform-passwords]

  --out DIR                  where to write Mosquitto's files and the platform's MQTT_URL files
  --issue-missing            a credential for each bus without one, listed once in terminals.csv
  --port N                   the port Mosquitto listens on (default 1883)
  --bind ADDRESS             the address it listens on (default: every address)
  --platform-host HOST       where the platform's processes reach the broker (default 127.0.0.1)
  --broker-user NAME         the user Mosquitto runs as, given the files (default: mosquitto when
                             run as root, else you)
  --new-platform-passwords   new passwords for the platform's own processes`,
  options: {
    out: { type: 'string' },
    'issue-missing': { type: 'boolean', default: false },
    port: { type: 'string', default: '1883' },
    bind: { type: 'string' },
    'platform-host': { type: 'string', default: '127.0.0.1' },
    'broker-user': { type: 'string' },
    'new-platform-passwords': { type: 'boolean', default: false },
  },
})
const { values } = commandLine
const out = commandLine.required('out', 'the folder to write the broker’s files into')
const port = commandLine.number('port', { whole: true, min: 1, max: 65535 })
// Started as root, Mosquitto drops to its own user: by default the files are handed to it, so that
// it can read them and the broker does not keep running as root.
const brokerUser =
  values['broker-user'] !== undefined
    ? lookUpUser(values['broker-user'])
    : os.userInfo().uid === 0 && findUser('mosquitto')
      ? lookUpUser('mosquitto')
      : currentUser()

const config = loadConfigOrExit(process.env)
const log = createLogger({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL })
const clock = configuredClock(config)
let db: Awaited<ReturnType<typeof openDatabase>>
try {
  db = await openDatabase(config)
} catch (error) {
  console.error(`the credentials are read from the configured store: ${(error as Error).message}`)
  process.exit(1)
}
try {
  await migrateDatabase(db, { log })
  const summary = await writeBrokerConfig({
    db,
    sessions: createSessions({ db, clock }),
    audit: createAuditLog({ db, clock }),
    clock,
    actor: `command line (${process.env.USER ?? os.userInfo().username})`,
    dir: out,
    listener: { port, bind: values.bind, platformHost: values['platform-host'] },
    issueMissing: values['issue-missing'],
    renewPlatformPasswords: values['new-platform-passwords'],
    brokerUser,
  })
  const file = (name: string) => path.join(summary.dir, name)
  const closedFolder = await firstClosedAncestor(summary.dir, brokerUser)
  if (closedFolder) {
    console.warn(
      `warning: ${brokerUser.name} cannot enter ${closedFolder}, so Mosquitto cannot read its files: ` +
        'choose a folder it can reach, e.g. under /etc/mosquitto',
    )
  }
  const lines = [
    `Mosquitto configuration written to ${summary.dir}:`,
    `  passwd, acl       ${summary.terminals} terminals, and the platform users ingest and simulator` +
      (summary.newPlatformPasswords ? ' (new passwords)' : ' (their passwords kept)'),
    `  mosquitto.conf    listener ${values.bind ?? 'on every address'} port ${port}, anonymous clients refused`,
    `  ${platformEnvFiles.ingest.padEnd(17)} MQTT_URL of the platform's ingest (npm start, npm run worker:ingest)`,
    `  ${platformEnvFiles.simulator.padEnd(17)} MQTT_URL of the simulator (npm run simulate)`,
  ]
  if (summary.issued > 0) {
    lines.push(
      `  terminals.csv     ${summary.issued} new terminal credentials, listed only here: install them, then delete the file`,
    )
  }
  if (summary.missing.length > 0) {
    lines.push(
      `${summary.missing.length} buses have no credential yet (${abbreviate(summary.missing)}): ` +
        'rotate theirs as a bureau administrator, or run this again with --issue-missing',
    )
  }
  if (summary.unusable.length > 0) {
    lines.push(
      `${summary.unusable.length} buses are left out: their ids cannot name an MQTT user and topic ` +
        `(${abbreviate(summary.unusable)})`,
    )
  }
  lines.push(
    '',
    `Start the broker:   mosquitto -c ${file('mosquitto.conf')}   (it runs as ${brokerUser.name})`,
    `Start the platform: set -a; . ${file(platformEnvFiles.ingest)}; set +a; PARTS=api,live,ingest,events,alarms,planner npm start`,
    'After a rotation, run this again and send mosquitto SIGHUP (kill -HUP <pid>) to reload.',
  )
  console.log(lines.join('\n'))
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error))
  process.exitCode = 1
} finally {
  await db.close()
}

function currentUser() {
  const user = os.userInfo()
  return { name: user.username, uid: user.uid, gid: user.gid }
}

/** A user's `passwd` entry: `getent` knows every source of users, not only /etc/passwd. */
function findUser(name: string): string | undefined {
  try {
    return execFileSync('getent', ['passwd', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  } catch {
    return undefined
  }
}

/** The broker's own user, to hand it its files. */
function lookUpUser(name: string) {
  const entry = findUser(name)
  if (!entry) {
    console.error(`--broker-user: no user ${JSON.stringify(name)} on this machine`)
    process.exit(2)
  }
  const [, , uid, gid] = entry.split(':')
  const user = { name, uid: Number(uid), gid: Number(gid) }
  if (user.uid !== os.userInfo().uid && os.userInfo().uid !== 0) {
    console.error(`--broker-user ${name}: only root can hand the files to another user`)
    process.exit(2)
  }
  return user
}

/** The first folder above `dir` that `user` may not pass through, if any. */
async function firstClosedAncestor(dir: string, user: { uid: number; gid: number }) {
  if (user.uid === 0) return undefined
  for (let folder = path.dirname(dir); ; folder = path.dirname(folder)) {
    const { mode, uid, gid } = await stat(folder)
    const bit = uid === user.uid ? 0o100 : gid === user.gid ? 0o010 : 0o001
    if ((mode & bit) === 0) return folder
    if (folder === path.dirname(folder)) return undefined
  }
}

function abbreviate(ids: readonly string[]): string {
  return ids.length <= 5 ? ids.join(', ') : `${ids.slice(0, 5).join(', ')}, …`
}
