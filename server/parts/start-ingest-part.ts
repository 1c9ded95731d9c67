import { startIngest } from '../../workers/ingest/start-ingest.js'
import type { StartPart } from './running-part.js'

/**
 * The ingest part: telemetry from the broker, validated and stored. The events and live parts read
 * what it commits from the store; in this process a commit also wakes them. Stopped before them, so
 * they still read what it committed last.
 */
export const startIngestPart: StartPart<'ingest'> = async (context) => {
  const { config, tokens, broker } = context
  if (!broker) throw new Error('the ingest part runs without a broker')
  const ingest = await startIngest({
    db: context.db,
    mqttUrl: broker.url,
    // Asked for at each connection: the embedded broker closes a connection when its token
    // expires, and the ingest's id is bound to the token's `sub`.
    password: broker.embedded
      ? () => tokens.issue({ role: 'service', sub: config.INGEST_CLIENT_ID })
      : undefined,
    embeddedBroker: broker.embedded,
    clientId: config.INGEST_CLIENT_ID,
    shareGroup: config.INGEST_SHARE_GROUP,
    clock: context.clock,
    log: context.log.child('ingest'),
    onCommitted: () => context.commits.notify(),
  })
  context.addHealthCheck('broker', async () => {
    const connected = ingest.worker.isConnected()
    return { ok: connected, detail: connected ? 'ingest connected' : 'ingest disconnected' }
  })
  context.addHealthCheck('ingest', async () => {
    const stats = ingest.worker.stats()
    return {
      ok: !stats.retrying,
      detail: `${stats.retrying ? 'retrying a batch, ' : ''}backlog ${stats.backlog}`,
    }
  })
  return { stats: () => ingest.worker.stats(), stop: () => ingest.stop() }
}
