import { performance } from 'node:perf_hooks'
import type { CommittedBatch } from '../broker/telemetry-rows.js'
import type { Clock } from '../clock/clock.js'
import type { Logger } from '../log/logger.js'
import type { Database, Queryable } from '../store/database.js'
import { defaultPartitionCount } from './bus-partition.js'
import { fairShare, partitionsAboveShare } from './fair-share.js'
import { readCommittedReports } from './read-committed-reports.js'
import { laterCheckpoint, type Checkpoint } from './stream-checkpoint.js'
import {
  acquireLeases,
  advanceFencedCheckpoint,
  createPartitions,
  heartbeatMember,
  leaveStream,
  readLease,
  releaseLeases,
  renewLeases,
  type LeaseKey,
} from './stream-leases.js'

/**
 * Runs `work` in one transaction with the partition's checkpoint moved past what was handled,
 * fenced by the lease: if another member holds the partition now, the transaction rolls back,
 * the partition is dropped and this rejects with a LeaseLostError. On any failure the stream
 * forgets what the consumer made of the partition (onReleased) and hands it over again from the
 * stored checkpoint (onAcquired), so nothing is lost and nothing is stored twice.
 */
export type CommitWork = <T>(work: (tx: Queryable) => Promise<T>) => Promise<T>

export class LeaseLostError extends Error {
  constructor(consumer: string, partition: number) {
    super(`the ${consumer} lease of partition ${partition} is held by another member now`)
    this.name = 'LeaseLostError'
  }
}

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

export interface ReportStream {
  /** A hint that reports were just committed (an ingest in this process): read now. */
  wake(): void
  /** Runs `tick` at the next turn of the loop; resolves once it has run. */
  tick(): Promise<void>
  /** The partitions this member holds. */
  held(): number[]
  /** Finishes the work in flight, stores the checkpoints and releases the leases. */
  stop(): Promise<void>
}

interface Partition {
  /** Reports below it are handled (stored with the consumer's work, or had nothing for it). */
  checkpoint: Checkpoint
  /** What the lease row holds, as far as this member knows. */
  stored: Checkpoint
  /** onAcquired has run: its reports may be handled. */
  ready: boolean
  /** After a failure: read the stored checkpoint again before handing it over. */
  reload: boolean
  retryAt: number
}

const dayMs = 86_400_000

/**
 * The committed reports of the partitions of buses this member leases, read from the store. Each
 * member heartbeats its membership, counts the live members, and holds its fair share of the
 * partitions (ceil(N / members)): it takes free or expired ones, renews those it holds and gives
 * back those above its share once their work in flight is stored. A crashed member's partitions
 * are taken over when its leases expire, from the checkpoints it stored. One loop does all of it,
 * so heartbeats, reads, handling and ticks never overlap.
 */
export function startReportStream(options: ReportStreamOptions): ReportStream {
  const { db, clock, log } = options
  const key: LeaseKey = { consumer: options.consumer, member: options.member }
  const partitions = options.partitions ?? defaultPartitionCount
  const leaseTtlMs = options.leaseTtlMs ?? 10_000
  const heartbeatMs = options.heartbeatMs ?? Math.max(1, Math.floor(leaseTtlMs / 5))
  const pollMs = options.pollMs ?? 200
  const maxRows = options.maxRows ?? 20_000
  const retryMs = options.retryMs ?? 1000
  const maxReportAgeMs = options.maxReportAgeMs ?? 4 * dayMs
  if (heartbeatMs >= leaseTtlMs) throw new Error('heartbeatMs must be shorter than leaseTtlMs')

  const held = new Map<number, Partition>()
  let created = false
  let stopping = false
  let again = false
  let nextHeartbeatAt = 0
  let nextTickAt =
    options.tickMs === undefined ? Number.POSITIVE_INFINITY : performance.now() + options.tickMs
  let tickWaiters: (() => void)[] = []
  let endSleep: (() => void) | undefined

  const warn = (message: string, fields: Record<string, unknown>) =>
    log.warn(message, { consumer: key.consumer, ...fields })

  const release = async (partition: number) => {
    held.delete(partition)
    try {
      await options.onReleased?.(partition)
    } catch (error) {
      warn('releasing a partition failed', { partition, error: String(error) })
    }
  }

  /** Errors of commits already dealt with, when the consumer passes them on. */
  const handled = new WeakSet<object>()

  /** After a failure: a lost lease is dropped; anything else hands the partition over again. */
  const fail = async (partition: number, state: Partition, error: unknown) => {
    if (held.get(partition) !== state || (typeof error === 'object' && error !== null && handled.has(error)))
      return
    if (typeof error === 'object' && error !== null) handled.add(error)
    if (error instanceof LeaseLostError) {
      warn('lost a partition to another member', { partition })
      await release(partition)
      return
    }
    warn('handling a partition failed; it starts again from its stored checkpoint', {
      partition,
      error: String(error),
    })
    state.ready = false
    state.reload = true
    state.checkpoint = state.stored
    state.retryAt = performance.now() + retryMs
    try {
      await options.onReleased?.(partition)
    } catch (releaseError) {
      warn('releasing a partition failed', { partition, error: String(releaseError) })
    }
  }

  const commitFenced = async <T>(
    partition: number,
    state: Partition,
    checkpoint: Checkpoint,
    work: (tx: Queryable) => Promise<T>,
  ): Promise<T> => {
    if (held.get(partition) !== state || !state.ready) throw new LeaseLostError(key.consumer, partition)
    try {
      const result = await db.transaction(async (tx) => {
        if (!(await advanceFencedCheckpoint(tx, key, { partition, checkpoint })))
          throw new LeaseLostError(key.consumer, partition)
        return work(tx)
      })
      state.stored = laterCheckpoint(state.stored, checkpoint)
      state.checkpoint = laterCheckpoint(state.checkpoint, checkpoint)
      return result
    } catch (error) {
      await fail(partition, state, error)
      throw error
    }
  }

  const heartbeat = async () => {
    if (!created) {
      await createPartitions(db, key.consumer, partitions)
      created = true
    }
    const members = await heartbeatMember(db, key, leaseTtlMs)
    const share = fairShare(partitions, members)
    if (held.size > 0) {
      const renewed = new Map(
        (
          await renewLeases(
            db,
            key,
            leaseTtlMs,
            [...held].map(([partition, state]) => ({ partition, checkpoint: state.checkpoint })),
          )
        ).map((h) => [h.partition, h.checkpoint]),
      )
      for (const [partition, state] of [...held]) {
        const stored = renewed.get(partition)
        if (stored === undefined) {
          warn('a lease expired before it was renewed; the partition is dropped', { partition })
          await release(partition)
        } else {
          state.stored = stored
        }
      }
      const surplus = partitionsAboveShare(held.keys(), share)
      if (surplus.length > 0) {
        await releaseLeases(
          db,
          key,
          surplus.map((partition) => ({ partition, checkpoint: held.get(partition)!.checkpoint })),
        )
        for (const partition of surplus) await release(partition)
        log.info(`released partitions ${surplus.join(',')} for other members`, {
          consumer: key.consumer,
          members,
        })
      }
    }
    if (held.size < share) {
      const acquired = await acquireLeases(db, key, leaseTtlMs, { partitions, want: share - held.size })
      for (const { partition, checkpoint } of acquired) {
        held.set(partition, { checkpoint, stored: checkpoint, ready: false, reload: false, retryAt: 0 })
      }
      if (acquired.length > 0)
        log.info(`acquired partitions ${acquired.map((a) => a.partition).join(',')}`, {
          consumer: key.consumer,
          members,
        })
    }
  }

  const heartbeatIfDue = async () => {
    if (performance.now() < nextHeartbeatAt) return
    nextHeartbeatAt = performance.now() + heartbeatMs
    try {
      await heartbeat()
    } catch (error) {
      nextHeartbeatAt = 0
      throw error
    }
  }

  const prepare = async () => {
    for (const [partition, state] of [...held]) {
      if (state.ready || state.retryAt > performance.now()) continue
      await heartbeatIfDue()
      if (held.get(partition) !== state) continue
      try {
        if (state.reload) {
          const stored = await readLease(db, key, partition)
          if (stored === undefined) throw new LeaseLostError(key.consumer, partition)
          state.stored = state.checkpoint = stored
          state.reload = false
        }
        await options.onAcquired?.(partition, state.checkpoint)
        state.ready = true
      } catch (error) {
        await fail(partition, state, error)
      }
    }
  }

  const readAndHandle = async () => {
    const ready = [...held].filter(([, state]) => state.ready)
    if (ready.length === 0) return
    const read = await readCommittedReports(db, {
      held: ready.map(([partition, state]) => ({ partition, checkpoint: state.checkpoint })),
      partitions,
      since: new Date(clock.now().getTime() - maxReportAgeMs),
      maxRows,
      limiterStates: options.limiterStates,
    })
    if (read.truncated) again = true
    for (const [partition, state] of ready) {
      if (held.get(partition) !== state || !state.ready) continue
      const batch = read.batches.get(partition)
      if (batch) {
        await heartbeatIfDue()
        if (held.get(partition) !== state || !state.ready) continue
        try {
          await options.handle(partition, batch, (work) => commitFenced(partition, state, read.upTo, work))
        } catch (error) {
          await fail(partition, state, error)
          continue
        }
        // A failed commit the consumer chose to swallow has handed the partition over already.
        if (held.get(partition) !== state || !state.ready) continue
      }
      state.checkpoint = laterCheckpoint(state.checkpoint, read.upTo)
    }
  }

  const tickIfDue = async () => {
    if (tickWaiters.length === 0 && performance.now() < nextTickAt) return
    const waiters = tickWaiters
    tickWaiters = []
    if (options.tickMs !== undefined) nextTickAt = performance.now() + options.tickMs
    try {
      const ready = [...held].filter(([, state]) => state.ready).map(([partition]) => partition)
      await options.tick?.(ready, (partition) => (work) => {
        const state = held.get(partition)
        if (!state) return Promise.reject(new LeaseLostError(key.consumer, partition))
        return commitFenced(partition, state, state.checkpoint, work)
      })
    } catch (error) {
      warn('a tick failed', { error: String(error) })
    } finally {
      for (const resolve of waiters) resolve()
    }
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        endSleep = undefined
        resolve()
      }
      const timer = setTimeout(done, ms)
      timer.unref()
      endSleep = done
    })

  const loop = (async () => {
    while (!stopping) {
      again = false
      let pauseMs = pollMs
      try {
        await heartbeatIfDue()
        await prepare()
        await readAndHandle()
        await tickIfDue()
      } catch (error) {
        warn('the report stream failed; trying again', { error: String(error) })
        again = false
        pauseMs = retryMs
      }
      if (stopping) break
      if (!again) await sleep(pauseMs)
    }
  })()

  const wake = () => {
    again = true
    endSleep?.()
  }

  return {
    wake,

    tick() {
      if (stopping || !options.tick) return Promise.resolve()
      return new Promise<void>((resolve) => {
        tickWaiters.push(resolve)
        wake()
      })
    },

    held: () => [...held.keys()].sort((a, b) => a - b),

    async stop() {
      stopping = true
      endSleep?.()
      await loop
      const partitionsHeld = [...held]
      try {
        await releaseLeases(
          db,
          key,
          partitionsHeld.map(([partition, state]) => ({ partition, checkpoint: state.checkpoint })),
        )
        await leaveStream(db, key)
      } catch (error) {
        warn('could not release the leases; they expire by themselves', { error: String(error) })
      }
      for (const [partition] of partitionsHeld) await release(partition)
      for (const resolve of tickWaiters) resolve()
      tickWaiters = []
    },
  }
}
