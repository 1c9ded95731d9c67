import { readCommandLine } from '../core/cli/command-line.js'
import { configuredClock } from '../core/clock/demo-clock.js'
import { loadConfigOrExit } from '../core/config/load-config.js'
import { createSessions, type SessionGrant } from '../core/auth/sessions.js'
import { listPrincipals, principalRegisters } from './principals-from-registers.js'
import type { Role } from '../core/auth/principal.js'
import { readRegisters } from '../core/registers/read-registers.js'
import { migrateDatabase } from '../core/store/migrate-database.js'
import { openDatabase } from '../core/store/open-database.js'

/**
 * `npm run tokens [-- --role parent] [--limit 5] [--json]`: access tokens for the people and terminals
 * of the registers in the configured store, each a session the bureau can end, so a person can try
 * each role without an account. The embedded store belongs to one process: beside a running `npm start` on it, this
 * needs DATABASE_URL.
 */
const roles: Role[] = ['bureau', 'school', 'attendant', 'parent', 'device']
const commandLine = readCommandLine({
  usage: `usage: npm run tokens -- [--role ROLE] [--limit N] [--json]

  --role ROLE   only this role: ${roles.join(', ')} (default: every role)
  --limit N     sessions per role, the first N people or terminals of the registers (default 3)
  --json        one JSON object a line: {label, principal, token}

Each token is a session of TOKEN_TTL_S seconds the bureau can end on the access page. Reads the
store of DATABASE_URL, or the embedded one in DATA_DIR when no running platform holds it.`,
  options: {
    role: { type: 'string' },
    limit: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
  },
})
const { values } = commandLine
const limit = commandLine.number('limit', { whole: true, min: 1 })
if (values.role !== undefined && !roles.includes(values.role as Role))
  commandLine.refuse(`--role: expected one of ${roles.join(', ')}, got ${JSON.stringify(values.role)}`)
const config = loadConfigOrExit(process.env)

/**
 * Each person gets a session in the store, listed and ended like any other; each terminal a
 * credential of its own (a device session), its MQTT password on the embedded broker.
 */
let db: Awaited<ReturnType<typeof openDatabase>>
try {
  db = await openDatabase(config)
} catch (error) {
  console.error(`the tokens are for the people in the store's registers: ${(error as Error).message}`)
  process.exit(1)
}
try {
  await migrateDatabase(db)
  const sessions = createSessions({ db, clock: configuredClock(config) })
  const all = listPrincipals(await readRegisters(db, { registers: principalRegisters }))
  const base = `http://${config.HOST}:${config.PORT}`
  for (const role of values.role ? [values.role as Role] : roles) {
    const chosen = all.filter((p) => p.principal.role === role).slice(0, limit)
    if (!values.json)
      console.log(`\n${role} (${all.filter((p) => p.principal.role === role).length} in the registers)`)
    for (const { label, principal } of chosen) {
      const grant: SessionGrant =
        principal.role === 'device'
          ? { kind: 'device', busId: principal.busId }
          : { kind: 'issued', principal }
      const { token } = await sessions.issue(grant, { ttlS: config.TOKEN_TTL_S, label: 'npm run tokens' })
      if (values.json) {
        console.log(JSON.stringify({ label, principal, token }))
      } else {
        console.log(`  ${label}\n    ${token}`)
      }
    }
  }
  if (!values.json) {
    console.log(`
Try one:  curl -H "Authorization: Bearer <token>" ${base}/api/buses
A device token is the MQTT password of that bus's terminal on the embedded broker (port ${config.MQTT_PORT}).
Each is a session the bureau can end on the access page; they last ${config.TOKEN_TTL_S} s (TOKEN_TTL_S).`)
  }
} finally {
  await db.close()
}
