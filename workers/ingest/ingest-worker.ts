import type { Clock } from '../../server/core/clock/clock.js'
import type { Logger } from '../../server/core/log/logger.js'
import type { Database } from '../../server/core/store/database.js'
import { deadLetterReasons, type DeadLetterReason } from '../../server/core/broker/dead-letter-reasons.js'
import { createDeadLetter, type DeadLetterRow } from './dead-letter-row.js'
import { isStoreOutage } from './is-store-outage.js'
import type { JumpFilter } from './jump-filter.js'
import { parseTelemetryTopic } from '../../server/core/broker/telemetry-topics.js'
import type { ReceivedMessage, TelemetrySource } from '../../server/core/broker/telemetry-source.js'
import { createReportRateLimiter, type ReportRateLimits } from './report-rate-limiter.js'
import { storeIsolatingRefusals } from './store-isolating-refusals.js'
import { validateTelemetry, type ServiceArea, type ValidationLimits } from './validate-telemetry.js'
import { writeTelemetryBatch, type TelemetryBatch } from './write-telemetry-batch.js'
import type { CommittedBatch, LimiterRow, PositionRow } from '../../server/core/broker/telemetry-rows.js'

export interface IngestTuning {
  /** At most this many messages go into one transaction. */
  maxBatchMessages: number
  /**
   * After a commit that took D ms, the next starts no sooner than D × this later, unless a full
   * batch is waiting. The embedded store blocks the process while it commits, so nothing is read
   * meanwhile: committing back to back (0) made batches of a few dozen messages and halved what the
   * worker takes in. With 2, commits take at most a third of the time until a full batch waits.
   * A PostgreSQL server commits while the process reads on, so there the next batch goes as soon
   * as the last is committed (what arrived meanwhile), and a report waits one commit, not three
   * (by default: 2 on the embedded store, 0 on a server).
   */
  commitPauseRatio: number
  /** Above this many messages not yet stored, stop reading from the broker. */
  highWaterMessages: number
  /** Read again once the backlog is down to this. */
  lowWaterMessages: number
  retryMinMs: number
  retryMaxMs: number
  /** A store that does not answer `SELECT 1` within this after a failed write is taken as down. */
  storeCheckTimeoutMs: number
  /**
   * `stop()` gives up storing after this long (the store is down, or hangs) and leaves what it has
   * not acknowledged to the broker, which redelivers it to the worker's persistent session. Below the
   * 10 s a container runtime waits between SIGTERM and SIGKILL.
   */
  stopTimeoutMs: number
}

const defaultIngestTuning: Omit<IngestTuning, 'commitPauseRatio'> = {
  maxBatchMessages: 5000,
  highWaterMessages: 50_000,
  lowWaterMessages: 10_000,
  retryMinMs: 100,
  retryMaxMs: 5000,
  storeCheckTimeoutMs: 5000,
  stopTimeoutMs: 8000,
}

export interface IngestStats {
  received: number
  positionsStored: number
  limiterStatesStored: number
  duplicates: number
  deadLetters: Record<DeadLetterReason, number>
  batches: number
  failedWrites: number
  /** Refused by the store even as a `store_refused` dead letter: logged, acknowledged and gone. */
  unstorable: number
  backlog: number
  paused: boolean
  /** The store is down: a batch is being written again, and nothing is acknowledged meanwhile. */
  retrying: boolean
  lastCommitMs: number | null
}

export interface IngestWorker {
  /** Connects and starts consuming; resolves once subscribed. */
  start(): Promise<void>
  /**
   * Stops reading, stores and acknowledges everything received, then disconnects; while the store is
   * down, gives up after `stopTimeoutMs` and leaves the rest to the broker.
   */
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

/** What one received message became, kept with it so that a row the store refuses is dead-lettered. */
type Entry = { message: ReceivedMessage } & (
  | { kind: 'gps'; row: PositionRow }
  | { kind: 'limiter'; row: LimiterRow }
  | { kind: 'dead'; row: DeadLetterRow }
)

/** Thrown through a write in progress when `stop()` gives up on a store that is down. */
const stopGaveUp = new Error('stopped while the store was down')

/**
 * The telemetry ingest loop. A message is acknowledged to the broker only after the transaction
 * holding its row (or its dead letter) commits, in the order the broker sent it; `(bus, ts)` makes a
 * redelivered report a no-op. While the store is down, batches are retried and nothing is
 * acknowledged; the backlog is bounded by pausing the connection, so the broker holds the rest.
 * When the store answers but refuses a batch, the batch is split until the messages it refuses are
 * found; those become `store_refused` dead letters, and everything else is stored: one message must
 * never stop the telemetry of the whole fleet.
 *
 * Group commit: when the store is idle, what has arrived is written at once (at the end of the
 * event loop's turn, so that messages read together go together); what arrives during a commit and
 * the pause after it (see commitPauseRatio) forms the next batch. A lone report waits for no timer,
 * which is what the live map sees, and under load batches grow by themselves.
 */
export function createIngestWorker(options: {
  db: Database
  connect(onMessage: (message: ReceivedMessage) => void): TelemetrySource
  fleet: FleetView
  area: ServiceArea
  jumps: JumpFilter
  clock: Clock
  log: Logger
  tuning?: Partial<IngestTuning>
  limits?: ValidationLimits
  rateLimits?: ReportRateLimits
  onCommitted?(batch: CommittedBatch): void
  sleep?: (ms: number) => Promise<void>
  /** Monotonic milliseconds, for how long commits take. */
  monotonicMs?: () => number
}): IngestWorker {
  const tuning: IngestTuning = {
    ...defaultIngestTuning,
    commitPauseRatio: options.db.kind === 'pglite' ? 2 : 0,
    ...options.tuning,
  }
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const monotonicMs = options.monotonicMs ?? (() => performance.now())
  const { log } = options
  const rates = createReportRateLimiter(options.rateLimits)
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
    unstorable: 0,
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
  let gaveUp = false

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
    try {
      await storeIsolatingRefusals(await validateBatch(taken), commitEntries, storeRefused)
    } catch (error) {
      if (error !== stopGaveUp) throw error
      // Unacknowledged, they stay with the broker, which sends them again to this worker's session.
      backlog.length = 0
      return
    }
    backlog.splice(0, taken.length)
    for (const message of taken) message.ack()
    if (stats.paused && !stopping && backlog.length <= tuning.lowWaterMessages) {
      stats.paused = false
      subscriber.resume()
    }
  }

  /** Validation happens per batch, in arrival order, so the fleet can be refreshed first. */
  const validateBatch = async (taken: ReceivedMessage[]): Promise<Entry[]> => {
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
    const now = options.clock.now()
    return taken.map((message): Entry => {
      if (message.rejected) {
        const { reason, detail } = message.rejected
        return { message, kind: 'dead', row: createDeadLetter(message, reason, detail) }
      }
      let outcome = validateTelemetry(message.topic, message.payload, {
        knownBus: (busId) => options.fleet.has(busId),
        area: options.area,
        now,
        limits: options.limits,
      })
      if (outcome.kind !== 'rejected' && !rates.take(outcome.row.busId, now.getTime())) {
        outcome = {
          kind: 'rejected',
          reason: 'rate_limited',
          detail: `over the bus's budget of ${rates.budget}`,
        }
      }
      if (outcome.kind === 'gps') {
        const jump = options.jumps.check(outcome.row)
        if (jump) outcome = { kind: 'rejected', reason: 'impossible_jump', detail: jump }
      }
      if (outcome.kind === 'rejected')
        return { message, kind: 'dead', row: createDeadLetter(message, outcome.reason, outcome.detail) }
      return { message, ...outcome }
    })
  }

  /**
   * Writes entries in one transaction, retrying while the store is down; undefined once they are
   * stored, or what the store said when it answers but refuses them.
   */
  const commitEntries = async (entries: readonly Entry[]): Promise<{ refused: unknown } | undefined> => {
    const batch = toTelemetryBatch(entries)
    let delay = tuning.retryMinMs
    for (;;) {
      if (gaveUp) throw stopGaveUp
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
        return undefined
      } catch (error) {
        stats.failedWrites++
        if (gaveUp) throw stopGaveUp
        if (!(await isStoreOutage(options.db, error, tuning.storeCheckTimeoutMs))) {
          stats.retrying = false
          return { refused: error }
        }
        stats.retrying = true
        log.warn(`storing ${entries.length} messages failed; retrying in ${delay} ms`, {
          error: describeError(error),
        })
        await sleep(delay)
        delay = Math.min(delay * 2, tuning.retryMaxMs)
      }
    }
  }

  /** The store took the message's batch without it but refused it alone: it becomes a dead letter. */
  const storeRefused = async (entry: Entry, refusal: unknown): Promise<void> => {
    const error = describeError(refusal)
    if (entry.kind === 'dead' && entry.row.reason === 'store_refused') {
      stats.unstorable++
      log.error('the store refused a dead letter too; the message is dropped', {
        topic: entry.row.topic,
        messageKey: entry.row.messageKey.toString('hex'),
        error,
      })
      return
    }
    const dead: Entry = {
      message: entry.message,
      kind: 'dead',
      row: createDeadLetter(entry.message, 'store_refused', `the store refused it: ${error}`),
    }
    log.warn('the store refused a message; it goes to the dead letters', { topic: dead.row.topic, error })
    const outcome = await commitEntries([dead])
    if (outcome) await storeRefused(dead, outcome.refused)
  }

  return {
    start: () => subscriber.start(),
    async stop() {
      stopping = true
      subscriber.pause()
      const drained = (async () => {
        while (flushing || backlog.length > 0) await startFlush()
        return true
      })()
      let timer: NodeJS.Timeout | undefined
      const timedOut = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), tuning.stopTimeoutMs)
      })
      const finished = await Promise.race([drained, timedOut]).finally(() => clearTimeout(timer))
      if (!finished) {
        gaveUp = true
        log.warn(`stopping with ${backlog.length} messages not stored; the broker will send them again`)
      }
      await subscriber.close()
    },
    stats: () => ({ ...stats, deadLetters: { ...stats.deadLetters }, backlog: backlog.length }),
    isConnected: () => subscriber.isConnected(),
  }
}

function toTelemetryBatch(entries: readonly Entry[]): TelemetryBatch {
  const batch: TelemetryBatch = { positions: [], limiterStates: [], deadLetters: [] }
  for (const entry of entries) {
    if (entry.kind === 'gps') batch.positions.push(entry.row)
    else if (entry.kind === 'limiter') batch.limiterStates.push(entry.row)
    else batch.deadLetters.push(entry.row)
  }
  return batch
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
