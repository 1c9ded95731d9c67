import type { Queryable } from '../../server/core/store/database.js'
import {
  eventsConsumer,
  startEventStream,
  type EventStream,
} from '../../workers/events/start-event-stream.js'
import { waitFor } from './wait-for.js'

/**
 * Short lease and poll settings for an events stream under test; ticks run only when the test asks
 * (stream.tick()), at the clock the test has set.
 */
export function testStreamSettings(partitions: number) {
  return { partitions, leaseTtlMs: 1000, heartbeatMs: 50, pollMs: 25, tickMs: 3_600_000, retryMs: 50 }
}

/** Starts the events stream as the events part does, and waits until it holds every partition. */
export async function startTestEventStream(
  options: Parameters<typeof startEventStream>[0] & { stream: { partitions: number } },
): Promise<EventStream> {
  const stream = startEventStream(options)
  await waitFor(
    () => Promise.resolve(stream.held().length),
    (held) => held === options.stream.partitions,
    'the stream holds every partition',
  )
  return stream
}

/** Waits until every partition's stored checkpoint is past the transaction `xid`: its reports are handled. */
export function waitUntilStreamed(db: Queryable, xid: string) {
  return waitFor(
    () =>
      db.query<{ behind: number }>(
        `SELECT count(*)::int AS behind FROM stream_leases
         WHERE consumer = $1 AND checkpoint <= $2::text::xid8`,
        [eventsConsumer, xid],
      ),
    ([row]) => row?.behind === 0,
    'the stream has handled the reports',
  )
}
