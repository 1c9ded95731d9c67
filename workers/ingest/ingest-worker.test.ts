import { afterEach, describe, expect, it, vi } from 'vitest'
import { systemClock } from '../../server/core/clock/clock.js'
import { createLogger } from '../../server/core/log/logger.js'
import type { Database, Queryable } from '../../server/core/store/database.js'
import type { CommittedBatch } from '../../server/core/broker/telemetry-rows.js'
import { createIngestWorker, type IngestTuning } from './ingest-worker.js'
import { createJumpFilter } from './jump-filter.js'
import type { ReceivedMessage, TelemetrySource } from '../../server/core/broker/telemetry-source.js'

/** A store whose transactions end when the test releases them, having taken as long as it says. */
function createGatedStore(monotonic: { ms: number }, kind: Database['kind']) {
  const gates: (() => void)[] = []
  const tx: Queryable = {
    exec: async () => {},
    copyFrom: async (_sql, text) => text.split('\n').filter(Boolean).length,
    query: async <R>() => [{ n: 0 }] as R[],
  }
  const db: Database = {
    kind,
    ...tx,
    async transaction(work) {
      const result = await work(tx)
      await new Promise<void>((resolve) => gates.push(resolve))
      return result
    },
    close: async () => {},
  }
  return {
    db,
    /** Ends the oldest waiting commit after `tookMs` of monotonic time. */
    release(tookMs = 0) {
      monotonic.ms += tookMs
      gates.shift()!()
    },
    waiting: () => gates.length,
  }
}

/** One turn of the event loop: the worker writes at the end of the turn its messages came in. */
const turn = () => new Promise((resolve) => setImmediate(resolve))
const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await turn()
}

function startWorker(tuning: Partial<IngestTuning> = {}, kind: Database['kind'] = 'postgres') {
  const monotonic = { ms: 0 }
  const store = createGatedStore(monotonic, kind)
  const committed: number[][] = []
  const acked: number[] = []
  let deliver: (message: ReceivedMessage) => void = () => {}
  const subscriber: TelemetrySource = {
    start: async () => {},
    pause: () => {},
    resume: () => {},
    isConnected: () => true,
    close: async () => {},
  }
  const worker = createIngestWorker({
    db: store.db,
    connect: (onMessage) => {
      deliver = onMessage
      return subscriber
    },
    fleet: { has: () => true, refresh: async () => {} },
    area: { minLat: 29, maxLat: 31, minLon: 120, maxLon: 122 },
    jumps: createJumpFilter(),
    clock: systemClock,
    log: createLogger({ level: 'silent' }),
    tuning,
    monotonicMs: () => monotonic.ms,
    onCommitted: (batch: CommittedBatch) => committed.push(batch.positions.map((p) => p.seq!)),
  })
  const base = Date.now() - 60_000
  const publish = (...seqs: number[]) => {
    for (const seq of seqs) {
      const payload = { ts: base + seq * 1000, lat: 30.1, lon: 121.1, speedKmh: 30, seq }
      deliver({
        topic: 'bus/B1/gps',
        payload: Buffer.from(JSON.stringify(payload)),
        redelivered: false,
        ack: () => acked.push(seq),
      })
    }
  }
  return { worker, store, committed, acked, publish }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('the ingest worker commits as a group', () => {
  it('writes a lone report at once, without waiting for more to arrive', async () => {
    const { store, publish } = startWorker()
    publish(1)
    await turns(2)
    expect(store.waiting()).toBe(1)
  })

  it('gathers what arrives during a commit into the next one, and acknowledges only after each commit', async () => {
    const { store, committed, acked, publish } = startWorker()
    publish(1)
    await turn()
    publish(2, 3, 4)
    await turn()
    expect(store.waiting()).toBe(1)
    expect(acked).toEqual([])

    store.release()
    await turns(2)
    expect(committed).toEqual([[1]])
    expect(acked).toEqual([1])
    expect(store.waiting()).toBe(1)

    store.release()
    await turn()
    expect(committed).toEqual([[1], [2, 3, 4]])
    expect(acked).toEqual([1, 2, 3, 4])
  })

  it('pauses after a commit on the embedded store, which holds the process while it commits, and not on a server', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const waitingAfterSlowCommit = async (kind: Database['kind']) => {
      const { store, publish } = startWorker({}, kind)
      publish(1)
      await turns(2)
      store.release(100)
      await turns(2)
      publish(2)
      await turns(2)
      const atOnce = store.waiting()
      vi.advanceTimersByTime(200)
      await turns(2)
      return [atOnce, store.waiting()]
    }
    expect(await waitingAfterSlowCommit('postgres')).toEqual([1, 1])
    expect(await waitingAfterSlowCommit('pglite')).toEqual([0, 1])
  })

  it('after a commit, waits as long as it took before the next, unless a full batch is waiting', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { store, committed, publish } = startWorker({ maxBatchMessages: 3, commitPauseRatio: 1 })
    publish(1)
    await turns(2)
    store.release(40)
    await turns(2)
    publish(2)
    await turns(2)
    expect(store.waiting()).toBe(0)
    vi.advanceTimersByTime(39)
    await turns(2)
    expect(store.waiting()).toBe(0)
    vi.advanceTimersByTime(1)
    await turns(2)
    expect(store.waiting()).toBe(1)

    store.release(40)
    await turns(2)
    publish(3, 4)
    await turns(2)
    expect(store.waiting()).toBe(0)
    publish(5)
    await turns(2)
    expect(store.waiting()).toBe(1)
    store.release()
    await turns(2)
    expect(committed).toEqual([[1], [2], [3, 4, 5]])
  })

  it('caps a batch at maxBatchMessages and stores the rest on stop', async () => {
    const { worker, store, committed, acked, publish } = startWorker({ maxBatchMessages: 2 })
    publish(1)
    await turn()
    publish(2, 3, 4, 5, 6)
    const stopped = worker.stop()
    for (let i = 0; i < 4; i++) {
      await turns(2)
      store.release()
    }
    await stopped
    expect(committed).toEqual([[1], [2, 3], [4, 5], [6]])
    expect(acked).toEqual([1, 2, 3, 4, 5, 6])
  })
})
