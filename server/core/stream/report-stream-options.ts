import type { CommittedBatch } from '../broker/telemetry-rows.js'
import type { Clock } from '../clock/clock.js'
import type { Logger } from '../log/logger.js'
import type { Database, Queryable } from '../store/database.js'
import type { Checkpoint } from './stream-checkpoint.js'

/**
 * Runs `work` in one transaction with the partition's checkpoint moved past what was handled,
 * fenced by the lease: if another member holds the partition now, the transaction rolls back,
 * the partition is dropped and this rejects with a LeaseLostError. On any failure the stream
 * forgets what the consumer made of the partition (onReleased) and hands it over again from the
 * stored checkpoint (onAcquired), so nothing is lost and nothing is stored twice.
 */
export type CommitWork = <T>(work: (tx: Queryable) => Promise<T>) => Promise<T>

export interface ReportStreamOptions {
  db: Database
  /** The consumer's name ('events', 'live'): members of one consumer share its partitions. */
  consumer: string
  /** This process, unique among the consumer's members (see newStreamMember). */
  member: string
  /** The same for every member of the consumer. */
  partitions?: number
  /** A member that stops heartbeating loses its membership and its leases after this long. */
  leaseTtlMs?: number
  heartbeatMs?: number
  /** How often the stream looks for new reports without a wake(). */
  pollMs?: number
  /** At most this many rows per read. */
  maxRows?: number
  /** How often `tick` runs; it runs only when asked (ReportStream.tick) without it. */
  tickMs?: number
  /** Wait after a failure before trying again. */
  retryMs?: number
  /** Reports dated earlier than this before the clock's now are not read (ingest refuses them). */
  maxReportAgeMs?: number
  /** False for a consumer of positions only. */
  limiterStates?: boolean
  clock: Clock
  log: Logger
  /**
   * The partition is now this member's; its reports from `checkpoint` on come next. Prepare what
   * the consumer needs (it may read the store); a rejection is retried after retryMs.
   */
  onAcquired?(partition: number, checkpoint: Checkpoint): Promise<void>
  /**
   * The partition's newly committed reports. A consumer with writes of its own stores them with
   * `commit`, which moves the checkpoint in the same transaction; one that does not call it has
   * its checkpoint stored with the next heartbeat (at-least-once: a new holder may see again the
   * last few seconds). Partitions are handled one at a time, never two batches at once.
   */
  handle(partition: number, batch: CommittedBatch, commit: CommitWork): Promise<void>
  /**
   * Work without new reports (every tickMs, between reads): `commit` stores it fenced by the
   * partition's lease, with its checkpoint where the reports handled so far left it.
   */
  tick?(partitions: readonly number[], commit: (partition: number) => CommitWork): Promise<void>
  /** The partition is no longer this member's (released, lost, or handed over again after a failure). */
  onReleased?(partition: number): void | Promise<void>
}

/** The settings a consumer of the stream passes through (tests shorten them); see ReportStreamOptions. */
export type StreamTimings = Required<
  Pick<
    ReportStreamOptions,
    'partitions' | 'leaseTtlMs' | 'heartbeatMs' | 'pollMs' | 'tickMs' | 'maxRows' | 'retryMs'
  >
>
