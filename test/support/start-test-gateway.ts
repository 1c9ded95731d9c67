import { createAuditLog } from '../../server/core/auth/audit-log.js'
import { createSessions } from '../../server/core/auth/sessions.js'
import { systemClock } from '../../server/core/clock/clock.js'
import type { Logger } from '../../server/core/log/logger.js'
import type { Database } from '../../server/core/store/database.js'
import type { IngestTuning } from '../../workers/ingest/ingest-worker.js'
import { startIngestFrom } from '../../workers/ingest/start-ingest.js'
import type { Jt808GatewayLimits } from '../../workers/jt808/gateway-limits.js'
import { createJt808Gateway } from '../../workers/jt808/jt808-gateway.js'
import { createTerminalAccess } from '../../workers/jt808/terminal-access.js'

/**
 * A JT/T 808 gateway on a free port with the ingest worker it feeds, on `db` and the system clock,
 * as the jt808 part wires them, with the limits and tuning a test shortens (and the commands it sends).
 */
export async function startTestGateway(
  db: Database,
  options: {
    log: Logger
    limits?: Partial<Jt808GatewayLimits>
    tuning?: Partial<IngestTuning>
    /** The bureau's commands the gateway sends; none without. */
    commands?: Parameters<typeof createJt808Gateway>[0]['commands']
  },
) {
  const { log } = options
  let gateway: ReturnType<typeof createJt808Gateway> | undefined
  const ingest = await startIngestFrom({
    db,
    clock: systemClock,
    log,
    tuning: options.tuning,
    connect: (onMessage) =>
      (gateway = createJt808Gateway({
        host: '127.0.0.1',
        port: 0,
        access: createTerminalAccess({
          db,
          sessions: createSessions({ db, clock: systemClock }),
          audit: createAuditLog({ db, clock: systemClock }),
          clock: systemClock,
        }),
        onMessage,
        clock: systemClock,
        log,
        limits: options.limits,
        commands: options.commands,
      })),
  })
  return { gateway: gateway!, ingest, port: gateway!.address()!.port }
}
