import { performance } from 'node:perf_hooks'
import type { Queryable } from '../store/database.js'
import { LeaseLostError } from './lease-lost-error.js'
import { laterCheckpoint, type Checkpoint } from './stream-checkpoint.js'
import type { Partition, StreamContext } from './stream-context.js'
import { advanceFencedCheckpoint } from './stream-leases.js'

/**
 * How a member lets go of a partition: released for good, dropped after a lost lease, or handed
 * over again from its stored checkpoint after a failure; and the fenced commit that can cause it.
 */
export function createPartitionHandover(context: StreamContext) {
  const { options, db, key, retryMs, held, warn } = context

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

  return { release, fail, commitFenced }
}
