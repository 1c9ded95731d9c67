import type { Clock } from '../clock/clock.js'
import { terminalClientId } from '../broker/broker-client-ids.js'
import { hashMosquittoPassword } from '../broker/mosquitto-password-hash.js'
import { parseTelemetryTopic, telemetryTopic } from '../broker/telemetry-topics.js'
import { AppError } from '../errors/app-error.js'
import type { Queryable } from '../store/database.js'
import type { Sessions } from './sessions.js'

/** A terminal is installed once and left in the bus: its credential lasts until it is rotated. */
export const terminalCredentialTtlS = 10 * 365 * 86_400

/** Given once, when issued: the store keeps only hashes of the password. */
export interface TerminalCredential {
  busId: string
  /** The MQTT user name on Mosquitto (the embedded broker goes by the password alone). */
  username: string
  /** The one client id the embedded broker lets this terminal connect with. */
  clientId: string
  password: string
  expiresAt: Date
}

export interface TerminalCredentialSummary {
  busId: string
  plate: string
  terminalNo: string | null
  /** The current credential's session, null for a bus that has none. */
  sessionId: string | null
  createdAt: Date | null
  lastUsedAt: Date | null
  expiresAt: Date | null
}

/** The MQTT users of the platform's own processes on Mosquitto: the ingest reads, the simulator writes. */
export const platformBrokerUsers = ['ingest', 'simulator'] as const
export type PlatformBrokerUser = (typeof platformBrokerUsers)[number]

/**
 * A bus id that can name an MQTT user and its topics: `bus/<busId>/…` must be a telemetry topic,
 * so no `/`, `+`, `#` or `:` (the password file's separator), and it must not be a platform user.
 */
export function isTerminalBusId(busId: string): boolean {
  return (
    parseTelemetryTopic(telemetryTopic(busId, 'gps'))?.busId === busId &&
    !(platformBrokerUsers as readonly string[]).includes(busId)
  )
}

/**
 * Gives a bus's terminal a new credential and ends the ones it had (reason `replaced`): the old
 * password is refused from then on, and open connections made with it are closed by the
 * ended-session watcher of the embedded broker, or by Mosquitto once `broker:config` has written
 * its files again and it has reloaded them. The password is a device session token: the embedded
 * broker checks it as such, and its Mosquitto hash is kept with the session for the password
 * file. The JT/T 808 gateway takes the same token as the terminal's authentication code, so a
 * terminal has one secret whichever way it reports.
 */
export async function rotateTerminalCredential(options: {
  sessions: Sessions
  db: Queryable
  busId: string
  actor: string
}): Promise<TerminalCredential> {
  const { sessions, db, busId } = options
  const [bus] = await db.query<{ id: string }>('SELECT id FROM buses WHERE id = $1', [busId])
  if (!bus) throw new AppError('not_found', `no bus ${busId} in the registers`)
  if (!isTerminalBusId(busId)) {
    throw new AppError(
      'unprocessable',
      `bus id ${busId} cannot name an MQTT user and topic: use 1 to 64 letters, digits, dashes or underscores`,
    )
  }
  await sessions.revokeAllOf({ busId }, { actor: options.actor, reason: 'replaced' })
  const issued = await sessions.issue(
    { kind: 'device', busId, brokerHash: (token) => hashMosquittoPassword(token) },
    { ttlS: terminalCredentialTtlS, label: 'terminal credential' },
  )
  return {
    busId,
    username: busId,
    clientId: terminalClientId(busId),
    password: issued.token,
    expiresAt: issued.expiresAt,
  }
}

/** Every bus with its current credential (the newest open one), without any secret. */
export async function listTerminalCredentials(
  db: Queryable,
  clock: Clock,
): Promise<TerminalCredentialSummary[]> {
  const rows = await db.query<{
    id: string
    plate: string
    terminal_no: string | null
    session_id: string | null
    created_at: Date | null
    last_used_at: Date | null
    expires_at: Date | null
  }>(
    `SELECT b.id, b.plate, b.terminal_no, s.id AS session_id, s.created_at, s.last_used_at, s.expires_at
       FROM buses b
       LEFT JOIN LATERAL (
         SELECT id, created_at, last_used_at, expires_at FROM auth_sessions
          WHERE bus_id = b.id AND kind = 'device' AND revoked_at IS NULL AND expires_at > $1
          ORDER BY created_at DESC, id LIMIT 1
       ) s ON true
      ORDER BY b.id`,
    [clock.now()],
  )
  return rows.map((r) => ({
    busId: r.id,
    plate: r.plate,
    terminalNo: r.terminal_no,
    sessionId: r.session_id,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
  }))
}

/**
 * The Mosquitto hash of each bus's current credential, for the password file: the newest open
 * device session that has one. Buses whose credential was issued without it have none here.
 */
export async function readTerminalBrokerHashes(
  db: Queryable,
  clock: Clock,
): Promise<{ busId: string; brokerHash: string }[]> {
  const rows = await db.query<{ bus_id: string; broker_hash: string }>(
    `SELECT DISTINCT ON (bus_id) bus_id, broker_hash FROM auth_sessions
      WHERE kind = 'device' AND broker_hash IS NOT NULL AND revoked_at IS NULL AND expires_at > $1
      ORDER BY bus_id, created_at DESC, id`,
    [clock.now()],
  )
  return rows.map((r) => ({ busId: r.bus_id, brokerHash: r.broker_hash }))
}
