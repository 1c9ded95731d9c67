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
  /** At most this many messages go into one transaction. */
  maxBatchMessages: number
  /**
   * After a commit that took D ms, the next starts no sooner than D × this later, unless a full
   * batch is waiting. The embedded store blocks the process while it commits, so nothing is read
   * meanwhile: committing back to back (0) made batches of a few dozen messages and halved what the
   * worker takes in. With 2, commits take at most a third of the time until a full batch waits.
   */
  commitPauseRatio: number
  /** Above this many messages not yet stored, stop reading from the broker. */
  highWaterMessages: number
  /** Read again once the backlog is down to this. */
  lowWaterMessages: number
  retryMinMs: number
  retryMaxMs: number
}

export const defaultIngestTuning: IngestTuning = {
  maxBatchMessages: 5000,
  commitPauseRatio: 2,
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
 *
 * Group commit: when the store is idle, what has arrived is written at once (at the end of the
 * event loop's turn, so that messages read together go together); what arrives during a commit and
 * the pause after it (see commitPauseRatio) forms the next batch. A lone report waits for no timer,
 * which is what the live map sees, and under load batches grow by themselves.
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
  /** Monotonic milliseconds, for how long commits take. */
  monotonicMs?: () => number
}): IngestWorker {
  const tuning = { ...defaultIngestTuning, ...options.tuning }
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const monotonicMs = options.monotonicMs ?? (() => performance.now())
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
  let flushing: Promise<void> | undefined
  let flushScheduled: { cancel(): void; paused: boolean } | undefined
  /** When the pause after the last commit ends. */
  let nextCommitAt = 0
  let stopping = false

  const onMessage = (message: ReceivedMessage) => {
    stats.received++
    backlog.push(message)
    if (backlog.length >= tuning.highWaterMessages && !stats.paused) {
      stats.paused = true
      subscriber.pause()
    }
    scheduleFlush()
  }

  const subscriber = options.connect(onMessage)

  const scheduleFlush = () => {
    if (flushing) return
    const pauseMs = backlog.length >= tuning.maxBatchMessages ? 0 : nextCommitAt - monotonicMs()
    // A flush already due at the end of this turn stays; a pause gives way once a full batch waits.
    if (flushScheduled && (!flushScheduled.paused || pauseMs > 0)) return
    flushScheduled?.cancel()
    if (pauseMs > 0) {
      const timer = setTimeout(startFlush, pauseMs)
      flushScheduled = { cancel: () => clearTimeout(timer), paused: true }
    } else {
      const immediate = setImmediate(startFlush)
      flushScheduled = { cancel: () => clearImmediate(immediate), paused: false }
    }
  }

  const startFlush = (): Promise<void> => {
    flushScheduled?.cancel()
    flushScheduled = undefined
    flushing ??= flushBatch().finally(() => {
      flushing = undefined
      if (backlog.length > 0) scheduleFlush()
    })
    return flushing
  }

  const flushBatch = async () => {
    if (backlog.length === 0) return
    const taken = backlog.slice(0, tuning.maxBatchMessages)
    await writeWithRetry(taken)
    backlog.splice(0, taken.length)
    for (const message of taken) message.ack()
    if (stats.paused && !stopping && backlog.length <= tuning.lowWaterMessages) {
      stats.paused = false
      subscriber.resume()
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
      const started = monotonicMs()
      try {
        const result = await options.db.transaction((tx) =>
          writeTelemetryBatch(tx, batch, options.clock.now()),
        )
        const finished = monotonicMs()
        stats.lastCommitMs = finished - started
        nextCommitAt = finished + stats.lastCommitMs * tuning.commitPauseRatio
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
      while (flushing || backlog.length > 0) await startFlush()
      await subscriber.close()
    },
    stats: () => ({ ...stats, deadLetters: { ...stats.deadLetters }, backlog: backlog.length }),
    isConnected: () => subscriber.isConnected(),
  }
}
