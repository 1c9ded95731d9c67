import { createTerminalCommandQueries } from '../core/jt808/terminal-commands.js'
import { startIngestFrom } from '../../workers/ingest/start-ingest.js'
import { createJt808Gateway, type Jt808Gateway } from '../../workers/jt808/jt808-gateway.js'
import { createTerminalAccess } from '../../workers/jt808/terminal-access.js'
import type { StartPart } from './running-part.js'

/**
 * The jt808 part: the JT/T 808 gateway on JT808_PORT, feeding an ingest worker of its own, which
 * validates and stores as the broker's ingest does (and wakes this process's events and live parts
 * on commit). Terminals answer to the store alone: no broker is needed. The bureau's commands to
 * terminals come through the store too, so the API may run in another process.
 */
export const startJt808Part: StartPart<'jt808'> = async (context) => {
  const { config, db, clock } = context
  const log = context.log.child('jt808')
  const access = createTerminalAccess({ db, sessions: context.tokens.sessions, audit: context.audit, clock })
  let created: Jt808Gateway | undefined
  const ingest = await startIngestFrom({
    db,
    clock,
    log,
    connect: (onMessage) =>
      (created = createJt808Gateway({
        host: config.HOST,
        port: config.JT808_PORT,
        access,
        onMessage,
        clock,
        log,
        commands: createTerminalCommandQueries(db, clock),
      })),
    onCommitted: () => context.commits.notify(),
  })
  const gateway = created!
  context.addSessionHolder(gateway)
  const url = `tcp://${config.HOST}:${gateway.address()!.port}`
  log.info(`JT/T 808 gateway on ${url} for the terminals of ${ingest.fleetSize()} buses`)
  context.addHealthCheck('jt808', async () => {
    const stats = gateway.stats()
    const retrying = ingest.worker.stats().retrying
    return {
      ok: stats.listening && !retrying,
      detail: `${retrying ? 'retrying a batch, ' : ''}${stats.authenticated} of ${stats.connections} terminals authenticated`,
    }
  })
  return {
    url,
    stats: () => ({ ...gateway.stats(), ingest: ingest.worker.stats() }),
    stop: () => ingest.stop(),
  }
}
