import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { stringify } from 'csv-stringify/sync'
import type { AuditLog } from '../core/auth/audit-log.js'
import type { Sessions } from '../core/auth/sessions.js'
import { randomText } from '../core/auth/sessions.js'
import {
  isTerminalBusId,
  platformBrokerUsers,
  type PlatformBrokerUser,
  listTerminalCredentials,
  readTerminalBrokerHashes,
  rotateTerminalCredential,
  type TerminalCredential,
} from '../core/auth/terminal-credentials.js'
import { defaultMaxPacketBytes } from '../core/broker/embedded-broker.js'
import { hashMosquittoPassword } from '../core/broker/mosquitto-password-hash.js'
import type { Clock } from '../core/clock/clock.js'
import type { Queryable } from '../core/store/database.js'

/** Each platform user's MQTT_URL goes in its own file, for the process that connects as it. */
export const platformEnvFiles: Record<PlatformBrokerUser, string> = {
  ingest: 'platform.env',
  simulator: 'simulator.env',
}

export interface BrokerListener {
  port: number
  /** The address Mosquitto listens on; all of the machine's when undefined (terminals come from outside). */
  bind?: string
  /** The host the platform's processes reach the broker at, in their MQTT_URL. */
  platformHost: string
}

export interface BrokerConfigSummary {
  dir: string
  files: string[]
  /** Buses whose current credential is in the password file. */
  terminals: number
  /** Credentials issued by this run (`--issue-missing`), listed in terminals.csv. */
  issued: number
  /** Buses with no credential for Mosquitto, left out. */
  missing: string[]
  /** Buses whose id cannot be an MQTT user name and topic, left out. */
  unusable: string[]
  /** Whether the platform users' passwords are new (first run, or asked for). */
  newPlatformPasswords: boolean
}

/**
 * Writes what Mosquitto needs to take the platform's terminals and processes into `dir`: the
 * password file (each bus's current credential, the platform users), the ACL (a terminal writes
 * only its own bus's topics and reads nothing; the ingest reads and the simulator writes every
 * bus's), mosquitto.conf, the platform users' MQTT_URL files and, with `issueMissing`, a credential
 * for each bus that has none, listed once in terminals.csv for installing on the terminals.
 *
 * The platform users keep the passwords of an earlier run in `dir`, so regenerating after a
 * rotation does not lock out the running ingest; `renewPlatformPasswords` replaces them. Every file
 * is written beside its place and renamed over it, secrets readable by their owner only.
 */
export async function writeBrokerConfig(options: {
  db: Queryable
  sessions: Sessions
  clock: Clock
  audit?: AuditLog
  /** Who issues missing credentials, for the audit log. */
  actor: string
  dir: string
  listener: BrokerListener
  issueMissing?: boolean
  renewPlatformPasswords?: boolean
  /** The user Mosquitto runs as; the files it reads are handed to it when it is not this process's. */
  brokerUser?: { name: string; uid: number; gid: number }
}): Promise<BrokerConfigSummary> {
  const dir = path.resolve(options.dir)
  const csvFile = path.join(dir, 'terminals.csv')
  if (options.issueMissing && (await exists(csvFile))) {
    throw new Error(
      `${csvFile} from an earlier run is still there: install those credentials on their terminals and ` +
        'delete it, then run this again',
    )
  }
  await fs.mkdir(dir, { recursive: true, mode: 0o700 })

  const buses = await listTerminalCredentials(options.db, options.clock)
  const unusable = buses.map((b) => b.busId).filter((id) => !isTerminalBusId(id))
  const hashes = new Map(
    (await readTerminalBrokerHashes(options.db, options.clock)).map((t) => [t.busId, t.brokerHash]),
  )
  const issued: (TerminalCredential & { plate: string; terminalNo: string | null })[] = []
  const missing: string[] = []
  for (const bus of buses) {
    if (unusable.includes(bus.busId) || hashes.has(bus.busId)) continue
    if (!options.issueMissing) {
      missing.push(bus.busId)
      continue
    }
    const credential = await rotateTerminalCredential({
      sessions: options.sessions,
      db: options.db,
      busId: bus.busId,
      actor: options.actor,
    })
    await options.audit?.record({
      actor: options.actor,
      action: 'credential_rotated',
      target: bus.busId,
      detail: { expiresAt: credential.expiresAt.toISOString(), by: 'broker:config --issue-missing' },
    })
    issued.push({ ...credential, plate: bus.plate, terminalNo: bus.terminalNo })
  }
  // Read again: what was issued above is in the store with its hash now.
  const terminals = (await readTerminalBrokerHashes(options.db, options.clock)).filter(
    (t) => !unusable.includes(t.busId),
  )

  const earlier = options.renewPlatformPasswords ? undefined : await readPlatformPasswords(dir)
  const passwords = earlier ?? { ingest: randomText(24), simulator: randomText(24) }

  const files: { name: string; text: string; mode: number; forBroker: boolean }[] = [
    { name: 'passwd', text: renderPasswordFile(terminals, passwords), mode: 0o600, forBroker: true },
    { name: 'acl', text: renderAclFile(terminals.map((t) => t.busId)), mode: 0o600, forBroker: true },
    {
      name: 'mosquitto.conf',
      text: renderMosquittoConf({ dir, listener: options.listener, brokerUser: options.brokerUser?.name }),
      mode: 0o644,
      forBroker: true,
    },
    ...platformBrokerUsers.map((user) => ({
      name: platformEnvFiles[user],
      text: renderPlatformEnv(user, passwords[user], options.listener),
      mode: 0o600,
      forBroker: false,
    })),
  ]
  // The new passwords are nowhere else: their list is written first.
  if (issued.length > 0) {
    files.unshift({ name: 'terminals.csv', text: renderTerminalsCsv(issued), mode: 0o600, forBroker: false })
  }
  const owner = options.brokerUser?.uid === process.getuid?.() ? undefined : options.brokerUser
  for (const file of files) {
    await writeFileAtomically(
      path.join(dir, file.name),
      file.text,
      file.mode,
      file.forBroker ? owner : undefined,
    )
  }
  // Mosquitto must reach its files, and write its persistence file, in the folder.
  if (owner) await fs.chown(dir, owner.uid, owner.gid)

  return {
    dir,
    files: files.map((f) => path.join(dir, f.name)),
    terminals: terminals.length,
    issued: issued.length,
    missing,
    unusable,
    newPlatformPasswords: earlier === undefined,
  }
}

/** `user:hash` lines, as `mosquitto_passwd` writes them. */
export function renderPasswordFile(
  terminals: readonly { busId: string; brokerHash: string }[],
  passwords: Record<PlatformBrokerUser, string>,
): string {
  const lines = [
    ...terminals.map((t) => `${t.busId}:${t.brokerHash}`),
    ...platformBrokerUsers.map((user) => `${user}:${hashMosquittoPassword(passwords[user])}`),
  ]
  return `${lines.join('\n')}\n`
}

/**
 * A terminal may publish its own bus's telemetry and read nothing (Mosquitto's ACL file lets any
 * SUBSCRIBE through but delivers nothing a user may not read). Only the platform reads.
 */
export function renderAclFile(busIds: readonly string[]): string {
  const blocks = [
    '# Written by npm run broker:config: each terminal publishes only its own bus and reads nothing.',
    ...busIds.map((busId) => `user ${busId}\ntopic write bus/${busId}/#`),
    'user ingest\ntopic read bus/#',
    'user simulator\ntopic write bus/#',
  ]
  return `${blocks.join('\n\n')}\n`
}

export function renderMosquittoConf(options: {
  dir: string
  listener: BrokerListener
  brokerUser?: string
}): string {
  const { listener } = options
  return `# Written by npm run broker:config; run it again rather than editing this file.
# Start: mosquitto -c ${path.join(options.dir, 'mosquitto.conf')}
# After a rotation, run broker:config again and send mosquitto SIGHUP: it reloads the password and
# ACL files and drops connections whose password no longer matches.
listener ${listener.port}${listener.bind ? ` ${listener.bind}` : ''}
allow_anonymous false
password_file ${path.join(options.dir, 'passwd')}
acl_file ${path.join(options.dir, 'acl')}
${options.brokerUser ? `# Started as root, Mosquitto runs as this user, who owns the files it reads.\nuser ${options.brokerUser}\n` : ''}# The ingest's session, with what it has not acknowledged, outlives a restart of the broker.
persistence true
persistence_location ${options.dir}${path.sep}
# A worker that is down, or a database outage, leaves telemetry queued for the worker's session:
# the default of 1000 queued messages would drop the rest.
max_queued_messages 1000000
max_queued_bytes 0
# A report is a few hundred bytes: a client sending a larger packet than this is disconnected before
# the broker buffers it (the embedded broker sets the same limit).
max_packet_size ${defaultMaxPacketBytes}
log_dest stderr
`
}

export function renderPlatformEnv(
  user: PlatformBrokerUser,
  password: string,
  listener: BrokerListener,
): string {
  const url = `mqtt://${user}:${encodeURIComponent(password)}@${hostForUrl(listener.platformHost)}:${listener.port}`
  const comment =
    user === 'ingest'
      ? [
          '# The platform (npm start, npm run worker:ingest) takes telemetry from Mosquitto as `ingest`,',
          '# which may only read it: leave the simulator out of PARTS there; it runs with simulator.env.',
        ]
      : ['# The simulator (npm run simulate, or PARTS=simulator) publishes as `simulator`.']
  return `# Written by npm run broker:config. Keep it to the platform's processes.\n${comment.join('\n')}\nMQTT_URL=${url}\n`
}

/** Each new credential once, for installing on its terminal. */
export function renderTerminalsCsv(
  issued: readonly (TerminalCredential & { plate: string; terminalNo: string | null })[],
): string {
  return stringify(
    issued.map((c) => [
      c.busId,
      c.plate,
      c.terminalNo ?? '',
      c.username,
      c.password,
      c.clientId,
      c.expiresAt.toISOString(),
    ]),
    {
      header: true,
      columns: ['bus_id', 'plate', 'terminal_no', 'username', 'password', 'client_id', 'expires_at'],
    },
  )
}

/** The platform users' passwords of an earlier run in `dir`, when both are there. */
async function readPlatformPasswords(dir: string): Promise<Record<PlatformBrokerUser, string> | undefined> {
  const found: Partial<Record<PlatformBrokerUser, string>> = {}
  for (const user of platformBrokerUsers) {
    const text = await fs.readFile(path.join(dir, platformEnvFiles[user]), 'utf8').catch(() => undefined)
    const line = text?.split('\n').find((l) => l.startsWith('MQTT_URL='))
    if (!line) return undefined
    try {
      const url = new URL(line.slice('MQTT_URL='.length).trim())
      if (decodeURIComponent(url.username) !== user || !url.password) return undefined
      found[user] = decodeURIComponent(url.password)
    } catch {
      return undefined
    }
  }
  return found as Record<PlatformBrokerUser, string>
}

async function writeFileAtomically(
  file: string,
  text: string,
  mode: number,
  owner: { uid: number; gid: number } | undefined,
): Promise<void> {
  const draft = `${file}.${randomBytes(6).toString('hex')}`
  try {
    await fs.writeFile(draft, text, { mode, flag: 'wx' })
    if (owner) await fs.chown(draft, owner.uid, owner.gid)
    await fs.rename(draft, file)
  } catch (error) {
    await fs.rm(draft, { force: true })
    throw error
  }
}

const exists = (file: string) =>
  fs.access(file).then(
    () => true,
    () => false,
  )

const hostForUrl = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host)
