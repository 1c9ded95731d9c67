import type { PositionRow } from '../core/broker/telemetry-rows.js'
import type { Clock } from '../core/clock/clock.js'
import type { Logger } from '../core/log/logger.js'
import type { Database } from '../core/store/database.js'
import { defaultPartitionCount } from '../core/stream/bus-partition.js'
import { listPartitionBuses } from '../core/stream/list-partition-buses.js'
import type { StreamTimings } from '../core/stream/report-stream-options.js'
import { startReportStream, type ReportStream } from '../core/stream/report-stream.js'

/** What the live stream drives: createBusLiveFeed's feed. */
export interface LiveFeedForStream {
  consume(positions: readonly PositionRow[]): Promise<void>
  tick(atMs: number): Promise<void>
  resume(busIds: readonly string[]): Promise<void>
  forget(busIds: readonly string[]): Promise<void>
  drain(): Promise<void>
}

/** `tickMs`: how often ETAs are estimated again without new reports (a bus gone silent must say so). */
export type LiveStreamOptions = StreamTimings

export type LiveStream = Pick<ReportStream, 'wake' | 'stop' | 'held'>

/** The stream consumer's name in stream_leases: every process running the live feed shares it. */
export const liveConsumer = 'live'

/**
 * The live feed from the committed reports, in any number of server processes: each process
 * publishes the positions and ETAs of the buses of the partitions it holds, so each bus has one
 * publisher, and the live channel's Redis adapter carries its messages to the browsers connected
 * to every server. Delivery is at least once: the checkpoint is stored after publishing, with the
 * stream's heartbeat, so a process taking a partition over may send the last seconds again, which
 * the feed skips for a bus whose newer position was sent (kept in the shared live state). A
 * partition given up is forgotten, so its buses' ETAs are not published twice.
 */
export function startLiveStream(deps: {
  db: Database
  feed: LiveFeedForStream
  clock: Clock
  log: Logger
  /** This process among the stream's members (newStreamMember('live')). */
  member: string
  stream?: Partial<LiveStreamOptions>
}): LiveStream {
  const { db, feed, clock, log } = deps
  const partitions = deps.stream?.partitions ?? defaultPartitionCount
  /** The buses seen in each partition: what to forget when it goes. */
  const seen = new Map<number, Set<string>>()

  const stream = startReportStream({
    db,
    consumer: liveConsumer,
    member: deps.member,
    // The timings as set; the stream ignores the settings that are this consumer's own.
    ...deps.stream,
    partitions,
    tickMs: deps.stream?.tickMs ?? 5000,
    limiterStates: false,
    clock,
    log,

    async onAcquired(partition) {
      const buses = (await listPartitionBuses(db, { partitions: [partition], count: partitions })).get(
        partition,
      )
      seen.set(partition, new Set(buses))
      if (buses) await feed.resume(buses)
    },

    // No transaction of its own: the checkpoint follows with the next heartbeat (at least once).
    async handle(partition, batch) {
      const buses = seen.get(partition) ?? new Set<string>()
      seen.set(partition, buses)
      for (const position of batch.positions) buses.add(position.busId)
      await feed.consume(batch.positions)
    },

    async tick() {
      await feed.tick(clock.now().getTime())
    },

    async onReleased(partition) {
      const buses = seen.get(partition)
      seen.delete(partition)
      if (buses && buses.size > 0) await feed.forget([...buses])
    },
  })

  return {
    wake: stream.wake,
    held: stream.held,
    async stop() {
      await stream.stop()
      await feed.drain()
    },
  }
}
