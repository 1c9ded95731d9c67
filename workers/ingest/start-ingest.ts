import type { Clock } from '../../server/core/clock/clock.js'
import type { Logger } from '../../server/core/log/logger.js'
import type { Database } from '../../server/core/store/database.js'
import type { MqttPassword } from '../../server/core/broker/mqtt-password.js'
import type { CommittedBatch } from '../../server/core/broker/telemetry-rows.js'
import type { ReceivedMessage, TelemetrySource } from '../../server/core/broker/telemetry-source.js'
import { ingestSubscription } from '../../server/core/broker/telemetry-topics.js'
import {
  createTelemetryContextQueries,
  type Bounds,
} from '../../server/core/store/telemetry-context-queries.js'
import { createIngestWorker, type IngestTuning, type IngestWorker } from './ingest-worker.js'
import { createJumpFilter } from './jump-filter.js'
import { createMqttSubscriber } from './mqtt-subscriber.js'

/** Margin around the places we serve: buses reach depots, garages and detours outside the towns. */
const serviceMarginKm = 15
const fleetRefreshMs = 60_000

export interface RunningIngest {
  worker: IngestWorker
  stop(): Promise<void>
}

/**
 * Wires an ingest worker to a broker and a store. On the embedded broker (MQTT 3.1.1, no shared
 * subscriptions) one worker takes the plain topics; on a real broker workers share them.
 */
export async function startIngest(options: {
  db: Database
  mqttUrl: string
  /**
   * The MQTT password: on the embedded broker a provider of fresh service tokens whose `sub` is
   * `clientId`, asked again at each reconnection; none where MQTT_URL carries credentials.
   */
  password?: MqttPassword
  embeddedBroker: boolean
  /**
   * Must stay the same across restarts of one worker: the broker keeps the worker's session, with
   * what it had not acknowledged, under this id.
   */
  clientId: string
  /** Workers in one group share the telemetry on a real broker. */
  shareGroup?: string
  clock: Clock
  log: Logger
  tuning?: Partial<IngestTuning>
  onCommitted?(batch: CommittedBatch): void
}): Promise<RunningIngest> {
  const shareGroup = options.embeddedBroker ? undefined : (options.shareGroup ?? 'ingest')
  const ingest = await startIngestFrom({
    ...options,
    connect: (onMessage) =>
      createMqttSubscriber({
        url: options.mqttUrl,
        clientId: options.clientId,
        password: options.password,
        topics: [ingestSubscription('gps', { shareGroup }), ingestSubscription('limiter', { shareGroup })],
        protocolVersion: options.embeddedBroker ? 4 : 5,
        onMessage,
        log: options.log,
      }),
  })
  options.log.info(
    `ingest: subscribed to the telemetry of ${ingest.fleetSize()} buses${shareGroup ? ` in share group ${shareGroup}` : ''}`,
  )
  return ingest
}

/**
 * An ingest worker on any telemetry source (the broker, the JT/T 808 gateway), with what every
 * worker needs: the fleet and the area it serves, refreshed from the store, and the jump filter.
 * Resolves once the source delivers.
 */
export async function startIngestFrom(options: {
  db: Database
  connect(onMessage: (message: ReceivedMessage) => void): TelemetrySource
  clock: Clock
  log: Logger
  tuning?: Partial<IngestTuning>
  onCommitted?(batch: CommittedBatch): void
}): Promise<RunningIngest & { fleetSize(): number }> {
  const context = createTelemetryContextQueries(options.db)
  let fleet = new Set<string>()
  const area = { minLat: 0, maxLat: 0, minLon: 0, maxLon: 0 }
  const refreshFleet = async () => {
    const [ids, bounds] = await Promise.all([context.busIds(), context.placesBounds()])
    fleet = new Set(ids)
    if (bounds) Object.assign(area, widen(bounds, serviceMarginKm))
  }
  await refreshFleet()
  const refresh = setInterval(() => {
    refreshFleet().catch((error: unknown) =>
      options.log.warn('could not refresh the fleet', { error: String(error) }),
    )
  }, fleetRefreshMs)
  refresh.unref()

  const worker = createIngestWorker({
    db: options.db,
    connect: options.connect,
    fleet: { has: (busId) => fleet.has(busId), refresh: refreshFleet },
    area,
    jumps: createJumpFilter(),
    clock: options.clock,
    log: options.log,
    tuning: options.tuning,
    onCommitted: options.onCommitted,
  })
  try {
    await worker.start()
  } catch (error) {
    clearInterval(refresh)
    throw error
  }
  return {
    worker,
    fleetSize: () => fleet.size,
    async stop() {
      clearInterval(refresh)
      await worker.stop()
    },
  }
}

function widen(bounds: Bounds, marginKm: number): Bounds {
  const dLat = marginKm / 111.2
  const dLon = marginKm / (111.2 * Math.cos(((bounds.minLat + bounds.maxLat) / 2) * (Math.PI / 180)))
  return {
    minLat: bounds.minLat - dLat,
    maxLat: bounds.maxLat + dLat,
    minLon: bounds.minLon - dLon,
    maxLon: bounds.maxLon + dLon,
  }
}
