import { performance } from 'node:perf_hooks'
import { fairShare, partitionsAboveShare } from './fair-share.js'
import type { StreamContext } from './stream-context.js'
import {
  acquireLeases,
  createPartitions,
  heartbeatMember,
  releaseLeases,
  renewLeases,
} from './stream-leases.js'

/**
 * The member's heartbeat: it keeps the membership alive, renews the leases held, gives back those
 * above the fair share and takes free or expired ones up to it. A failed heartbeat is due again at once.
 */
export function createLeaseHeartbeat(context: StreamContext, release: (partition: number) => Promise<void>) {
  const { db, key, partitions, leaseTtlMs, heartbeatMs, held, log, warn } = context
  let created = false
  let nextHeartbeatAt = 0

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

  return heartbeatIfDue
}
