import { performance } from 'node:perf_hooks'
import { defaultPartitionCount } from './bus-partition.js'
import { createLeaseHeartbeat } from './lease-heartbeat.js'
import { LeaseLostError } from './lease-lost-error.js'
import { createPartitionHandover } from './partition-handover.js'
import { readCommittedReports } from './read-committed-reports.js'
import type { ReportStreamOptions } from './report-stream-options.js'
import { laterCheckpoint } from './stream-checkpoint.js'
import type { Partition, StreamContext } from './stream-context.js'
import { leaveStream, readLease, releaseLeases, type LeaseKey } from './stream-leases.js'
import { createWakeableSleep } from './wakeable-sleep.js'

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
  let stopping = false
  let again = false
  let nextTickAt =
    options.tickMs === undefined ? Number.POSITIVE_INFINITY : performance.now() + options.tickMs
  let tickWaiters: (() => void)[] = []
  const { sleep, wake: endSleep } = createWakeableSleep()

  const warn = (message: string, fields: Record<string, unknown>) =>
    log.warn(message, { consumer: key.consumer, ...fields })

  const context: StreamContext = {
    options,
    db,
    key,
    partitions,
    leaseTtlMs,
    heartbeatMs,
    retryMs,
    held,
    log,
    warn,
  }
  const { release, fail, commitFenced } = createPartitionHandover(context)
  const heartbeatIfDue = createLeaseHeartbeat(context, release)

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
    endSleep()
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
      endSleep()
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
