import type { Clock } from '../../server/clock/clock.js'
import type { Logger } from '../../server/log/logger.js'
import type { Database } from '../../server/store/database.js'
import { deadLetterReasons, type DeadLetterReason } from './dead-letter-reasons.js'
import type { JumpFilter } from './jump-filter.js'
import { parseTelemetryTopic } from '../../server/broker/telemetry-topics.js'
import type { MqttSubscriber, ReceivedMessage } from './mqtt-subscriber.js'
import { validateTelemetry, type ServiceArea, type ValidationLimits } from './validate-telemetry.js'
import { writeTelemetryBatch, type TelemetryBatch } from './write-telemetry-batch.js'

export interface IngestTuning {
  /** A batch is written once it holds this many messages… */
  maxBatchMessages: number
  /** …or once its oldest message has waited this long. */
  maxBatchDelayMs: number
  /** Above this many messages not yet stored, stop reading from the broker. */
  highWaterMessages: number
  /** Read again once the backlog is down to this. */
  lowWaterMessages: number
  retryMinMs: number
  retryMaxMs: number
}

export const defaultIngestTuning: IngestTuning = {
  maxBatchMessages: 5000,
  maxBatchDelayMs: 50,
  highWaterMessages: 50_000,
  lowWaterMessages: 10_000,
  retryMinMs: 100,
  retryMaxMs: 5000,
}

export interface IngestStats {
  received: number
  positionsStored: number
  limiterStatesStored: number
  duplicates: number
  deadLetters: Record<DeadLetterReason, number>
  batches: number
  failedWrites: number
  backlog: number
  paused: boolean
  /** A batch is being written again after the store refused it. */
  retrying: boolean
  lastCommitMs: number | null
}

/** What was stored by one commit, in arrival order: for the live path and derived events. */
export type CommittedBatch = Pick<TelemetryBatch, 'positions' | 'limiterStates'>

export interface IngestWorker {
  /** Connects and starts consuming; resolves once subscribed. */
  start(): Promise<void>
  /** Stops reading, stores and acknowledges everything received, then disconnects. */
  stop(): Promise<void>
  stats(): IngestStats
  isConnected(): boolean
}

/** The buses that may report, cached; refreshed when a batch meets one it does not know. */
export interface FleetView {
  has(busId: string): boolean
  refresh(): Promise<void>
}

const fleetRefreshGapMs = 1000

/**
 * The telemetry ingest loop. A message is acknowledged to the broker only after the transaction
 * holding its row (or its dead letter) commits, in the order the broker sent it; `(bus, ts)` makes a
 * redelivered report a no-op. While the store is down, batches are retried and nothing is
 * acknowledged; the backlog is bounded by pausing the connection, so the broker holds the rest.
 */
export function createIngestWorker(options: {
  db: Database
  connect(onMessage: (message: ReceivedMessage) => void): MqttSubscriber
  fleet: FleetView
  area: ServiceArea
  jumps: JumpFilter
  clock: Clock
  log: Logger
  tuning?: Partial<IngestTuning>
  limits?: ValidationLimits
  onCommitted?(batch: CommittedBatch): void
  sleep?: (ms: number) => Promise<void>
}): IngestWorker {
  const tuning = { ...defaultIngestTuning, ...options.tuning }
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const { log } = options
  const backlog: ReceivedMessage[] = []
  let lastFleetRefresh = 0
  const stats: IngestStats = {
    received: 0,
    positionsStored: 0,
    limiterStatesStored: 0,
    duplicates: 0,
    deadLetters: Object.fromEntries(deadLetterReasons.map((r) => [r, 0])) as Record<DeadLetterReason, number>,
    batches: 0,
    failedWrites: 0,
    backlog: 0,
    paused: false,
    retrying: false,
    lastCommitMs: null,
  }
  let flushTimer: NodeJS.Timeout | undefined
  let flushing: Promise<void> | undefined
  let stopping = false

  const onMessage = (message: ReceivedMessage) => {
    stats.received++
    backlog.push(message)
    if (backlog.length >= tuning.highWaterMessages && !stats.paused) {
      stats.paused = true
      subscriber.pause()
    }
    if (backlog.length >= tuning.maxBatchMessages) scheduleFlush(0)
    else scheduleFlush(tuning.maxBatchDelayMs)
  }

  const subscriber = options.connect(onMessage)

  const scheduleFlush = (delayMs: number) => {
    if (flushing) return
    if (delayMs === 0) {
      clearTimeout(flushTimer)
      flushTimer = undefined
      flushing = flushAll().finally(() => {
        flushing = undefined
        if (backlog.length > 0)
          scheduleFlush(backlog.length >= tuning.maxBatchMessages ? 0 : tuning.maxBatchDelayMs)
      })
    } else if (!flushTimer) {
      flushTimer = setTimeout(() => {
        flushTimer = undefined
        scheduleFlush(0)
      }, delayMs)
    }
  }

  const flushAll = async () => {
    while (backlog.length > 0) {
      const taken = backlog.slice(0, tuning.maxBatchMessages)
      await writeWithRetry(taken)
      backlog.splice(0, taken.length)
      for (const message of taken) message.ack()
      if (stats.paused && backlog.length <= tuning.lowWaterMessages) {
        stats.paused = false
        subscriber.resume()
      }
      if (backlog.length < tuning.maxBatchMessages && !stopping) return
    }
  }

  /** Validation happens per batch, in arrival order, so the fleet can be refreshed first. */
  const validateBatch = async (taken: ReceivedMessage[]): Promise<TelemetryBatch> => {
    const unknown = taken.some((m) => {
      const busId = parseTelemetryTopic(m.topic)?.busId
      return busId !== undefined && !options.fleet.has(busId)
    })
    if (unknown && Date.now() - lastFleetRefresh > fleetRefreshGapMs) {
      lastFleetRefresh = Date.now()
      await options.fleet
        .refresh()
        .catch((error: unknown) => log.warn('could not refresh the fleet', { error: String(error) }))
    }
    const batch: TelemetryBatch = { positions: [], limiterStates: [], deadLetters: [] }
    const now = options.clock.now()
    for (const message of taken) {
      let outcome = validateTelemetry(message.topic, message.payload, {
        knownBus: (busId) => options.fleet.has(busId),
        area: options.area,
        now,
        limits: options.limits,
      })
      if (outcome.kind === 'gps') {
        const jump = options.jumps.check(outcome.row)
        if (jump) outcome = { kind: 'rejected', reason: 'impossible_jump', detail: jump }
      }
      if (outcome.kind === 'gps') batch.positions.push(outcome.row)
      else if (outcome.kind === 'limiter') batch.limiterStates.push(outcome.row)
      else
        batch.deadLetters.push({
          topic: message.topic,
          payload: message.payload,
          reason: outcome.reason,
          detail: outcome.detail,
        })
    }
    return batch
  }

  const writeWithRetry = async (taken: ReceivedMessage[]) => {
    const batch = await validateBatch(taken)
    let delay = tuning.retryMinMs
    for (;;) {
      const started = performance.now()
      try {
        const result = await options.db.transaction((tx) =>
          writeTelemetryBatch(tx, batch, options.clock.now()),
        )
        stats.lastCommitMs = performance.now() - started
        stats.retrying = false
        stats.batches++
        stats.positionsStored += result.positionsStored
        stats.limiterStatesStored += result.limiterStatesStored
        stats.duplicates += result.duplicates
        for (const dead of batch.deadLetters) stats.deadLetters[dead.reason]++
        options.onCommitted?.({ positions: batch.positions, limiterStates: batch.limiterStates })
        return
      } catch (error) {
        stats.failedWrites++
        stats.retrying = true
        log.warn(`storing ${taken.length} messages failed; retrying in ${delay} ms`, {
          error: error instanceof Error ? error.message : String(error),
        })
        await sleep(delay)
        delay = Math.min(delay * 2, tuning.retryMaxMs)
      }
    }
  }

  return {
    start: () => subscriber.start(),
    async stop() {
      stopping = true
      subscriber.pause()
      clearTimeout(flushTimer)
      flushTimer = undefined
      while (flushing || backlog.length > 0) {
        if (flushing) await flushing
        else scheduleFlush(0)
      }
      await subscriber.close()
    },
    stats: () => ({ ...stats, deadLetters: { ...stats.deadLetters }, backlog: backlog.length }),
    isConnected: () => subscriber.isConnected(),
  }
}
