import type { AuditLog } from '../../server/core/auth/audit-log.js'
import type { Sessions } from '../../server/core/auth/sessions.js'
import {
  listTerminalCredentials,
  rotateTerminalCredential,
} from '../../server/core/auth/terminal-credentials.js'
import type { Clock } from '../../server/core/clock/clock.js'
import type { Queryable } from '../../server/core/store/database.js'

/** Who the simulator's credential rotations are recorded as. */
export const simulatorActor = 'simulator'

/**
 * The JT/T 808 auth codes of the simulated terminals, kept in memory only. A bus that already has a
 * credential gets a new one, as the bureau installs one in a terminal: the store keeps only the
 * hash of the old one, so nobody can read it back. A bus without one gets none here: its terminal
 * registers (0x0100) and keeps the code the gateway answers with.
 */
export async function installSimulatedTerminalCodes(options: {
  db: Queryable
  sessions: Sessions
  audit: AuditLog
  clock: Clock
  busIds: readonly string[]
}): Promise<Map<string, string>> {
  const wanted = new Set(options.busIds)
  const credentialed = (await listTerminalCredentials(options.db, options.clock)).filter(
    (summary) => wanted.has(summary.busId) && summary.sessionId !== null,
  )
  const codes = new Map<string, string>()
  for (const { busId } of credentialed) {
    const credential = await rotateTerminalCredential({
      sessions: options.sessions,
      db: options.db,
      busId,
      actor: simulatorActor,
    })
    await options.audit.record({
      actor: simulatorActor,
      action: 'credential_rotated',
      target: busId,
      detail: { expiresAt: credential.expiresAt.toISOString(), by: 'simulated JT/T 808 terminal' },
    })
    codes.set(busId, credential.password)
  }
  return codes
}
