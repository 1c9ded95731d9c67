import { describe, expect, it } from 'vitest'
import type { Clock } from '../../server/core/clock/clock.js'
import { createLogger } from '../../server/core/log/logger.js'
import type { Database, Queryable } from '../../server/core/store/database.js'
import type { DeadLetterReason } from '../../server/core/broker/dead-letter-reasons.js'
import { createIngestWorker, type IngestTuning } from './ingest-worker.js'
import { createJumpFilter } from './jump-filter.js'
import type { TelemetrySource } from '../../server/core/broker/telemetry-source.js'
import type { ReportRateLimits } from './report-rate-limiter.js'

const connectionRefused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })

/**
 * A store that keeps what its transactions COPY, refusing what PostgreSQL refuses (NUL in text) and
 * what `refuses` names, as a constraint would; `down` makes it unreachable.
 */
function createFakeStore(refuses: (table: string, fields: string[]) => boolean = () => false) {
  const stored: { table: string; fields: string[] }[] = []
  const state = { down: false }
  const db: Database = {
    kind: 'postgres',
    exec: async () => {},
    copyFrom: async () => 0,
    query: async <R>() => {
      if (state.down) throw connectionRefused()
      return [{ '?column?': 1 }] as R[]
    },
    async transaction(work) {
      if (state.down) throw connectionRefused()
      const staged: { table: string; fields: string[] }[] = []
      let lastCopied = 0
      const tx: Queryable = {
        exec: async () => {},
        async copyFrom(sql, text) {
          if (text.includes('\0'))
            throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
              code: '22021',
            })
          const table = /COPY (\w+)_staging/.exec(sql)![1]!
          const rows = text
            .split('\n')
            .filter(Boolean)
            .map((line) => line.split('\t'))
          for (const fields of rows) {
            if (refuses(table, fields))
              throw Object.assign(new Error(`new row for relation "${table}" violates check constraint`), {
                code: '23514',
              })
            staged.push({ table, fields })
          }
          lastCopied = rows.length
          return rows.length
        },
        query: async <R>() => [{ n: lastCopied }] as R[],
      }
      const result = await work(tx)
      stored.push(...staged)
      return result
    },
    close: async () => {},
  }
  const rows = (table: string) => stored.filter((row) => row.table === table).map((row) => row.fields)
  return {
    db,
    state,
    /** `seq` of the stored positions, in the order stored. */
    positions: () => rows('positions').map((fields) => Number(fields[9])),
    deadLetterReasons: () => rows('dead_letters').map((fields) => fields[4]),
    deadLetters: () => rows('dead_letters'),
  }
}

function startWorker(
  store: ReturnType<typeof createFakeStore>,
  options: { tuning?: Partial<IngestTuning>; rateLimits?: ReportRateLimits; clock?: Clock } = {},
) {
  const acked: string[] = []
  const subscriber = { closed: false }
  let deliver: (topic: string, payload: Buffer, name: string) => void = () => {}
  const worker = createIngestWorker({
    db: store.db,
    connect: (onMessage) => {
      deliver = (topic, payload, name) =>
        onMessage({ topic, payload, redelivered: false, ack: () => acked.push(name) })
      return {
        start: async () => {},
        pause: () => {},
        resume: () => {},
        isConnected: () => true,
        close: async () => void (subscriber.closed = true),
      } satisfies TelemetrySource
    },
    fleet: { has: (busId) => busId === 'B1', refresh: async () => {} },
    area: { minLat: 29, maxLat: 31, minLon: 120, maxLon: 122 },
    jumps: createJumpFilter(),
    clock: options.clock ?? { now: () => new Date() },
    log: createLogger({ level: 'silent' }),
    tuning: { retryMinMs: 1, retryMaxMs: 5, ...options.tuning },
    rateLimits: options.rateLimits,
  })
  const base = Date.now() - 3600_000
  const report = (seq: number, patch: Record<string, unknown> = {}) =>
    JSON.stringify({ ts: base + seq * 1000, lat: 30.1, lon: 121.1, speedKmh: 30, seq, ...patch })
  /** Good reports by seq, or [name, raw payload] pairs; all in one turn, so in one batch. */
  const publish = (...messages: (number | [string, string | Buffer])[]) => {
    for (const message of messages) {
      if (typeof message === 'number') deliver('bus/B1/gps', Buffer.from(report(message)), String(message))
      else deliver('bus/B1/gps', Buffer.from(message[1]), message[0])
    }
  }
  return { worker, acked, subscriber, publish, report }
}

describe('the ingest worker with poisoned reports', () => {
  it('dead-letters what the store would refuse and stores the rest of the batch', async () => {
    const store = createFakeStore()
    const { worker, acked, publish, report } = startWorker(store)
    const poisoned: [string, string | Buffer][] = [
      ['unrepresentable time', report(2, { ts: 8640000000000001 })],
      ['NUL in busId', report(3, { busId: 'B1\u0000' })],
      ['NUL payload', '\u0000'],
      [
        'not UTF-8',
        Buffer.concat([
          Buffer.from(report(4).slice(0, -1) + ',"note":"'),
          Buffer.from([0xc3, 0x28]),
          Buffer.from('"}'),
        ]),
      ],
      ['accuracy beyond a real', report(5, { accuracyM: 1e39 })],
      ['oversized', report(6, { note: 'x'.repeat(1_000_000) })],
    ]
    publish(1, ...poisoned, 7)
    await expect.poll(() => acked.length).toBe(8)
    expect(acked).toEqual(['1', ...poisoned.map(([name]) => name), '7'])
    expect(store.positions()).toEqual([1, 7])
    expect(store.deadLetterReasons()).toEqual<DeadLetterReason[]>([
      'out_of_range',
      'topic_mismatch',
      'malformed_json',
      'malformed_json',
      'out_of_range',
      'oversized_payload',
    ])
    expect(worker.stats()).toMatchObject({ retrying: false, positionsStored: 2, unstorable: 0 })
    const oversized = store.deadLetters()[5]!
    expect(oversized[3]).toBe(String(Buffer.byteLength(report(6, { note: 'x'.repeat(1_000_000) }))))
    // COPY text carries bytea as \\x and two hex digits a byte: 1 KiB of the payload is kept.
    expect(oversized[2]).toHaveLength('\\\\x'.length + 2 * 1024)

    publish(8)
    await expect.poll(() => store.positions()).toEqual([1, 7, 8])
  })

  it('finds the report the store refuses by splitting the batch, dead-letters it and stores the others', async () => {
    const store = createFakeStore((table, fields) => table === 'positions' && fields[9] === '666')
    const { worker, acked, publish } = startWorker(store)
    const seqs = [1, 2, 3, 666, 4, 5, 6, 7, 8]
    publish(...seqs)
    await expect.poll(() => acked.length).toBe(seqs.length)
    expect(acked).toEqual(seqs.map(String))
    expect(store.positions()).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(store.deadLetterReasons()).toEqual(['store_refused'])
    expect(store.deadLetters()[0]![5]).toMatch(/^the store refused it: .*check constraint/)
    expect(worker.stats()).toMatchObject({ retrying: false, deadLetters: { store_refused: 1 } })
  })

  it('counts and drops a message whose dead letter the store refuses too, and goes on', async () => {
    const store = createFakeStore((table, fields) =>
      table === 'positions' ? fields[9] === '666' : table === 'dead_letters',
    )
    const { worker, acked, publish } = startWorker(store)
    publish(1, 666, 2)
    await expect.poll(() => acked).toEqual(['1', '666', '2'])
    expect(store.positions()).toEqual([1, 2])
    expect(worker.stats()).toMatchObject({ unstorable: 1, retrying: false })
  })
})

describe('the ingest worker while the store is down', () => {
  it('retries with nothing acknowledged, dead-lettered or lost, and stores all once the store is back', async () => {
    const store = createFakeStore()
    store.state.down = true
    const { worker, acked, publish } = startWorker(store)
    publish(1, 2, 3)
    await expect.poll(() => worker.stats().failedWrites).toBeGreaterThan(3)
    expect(worker.stats().retrying).toBe(true)
    expect(acked).toEqual([])
    store.state.down = false
    await expect.poll(() => acked).toEqual(['1', '2', '3'])
    expect(store.positions()).toEqual([1, 2, 3])
    expect(store.deadLetters()).toEqual([])
    expect(worker.stats().retrying).toBe(false)
  })

  it('stop() returns after stopTimeoutMs, leaving what it could not store unacknowledged', async () => {
    const store = createFakeStore()
    const { worker, acked, publish, subscriber } = startWorker(store, { tuning: { stopTimeoutMs: 50 } })
    store.state.down = true
    publish(1, 2)
    await expect.poll(() => worker.stats().retrying).toBe(true)
    await worker.stop()
    expect(subscriber.closed).toBe(true)
    expect(acked).toEqual([])
    store.state.down = false
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(store.positions()).toEqual([])
  })
})

describe('the ingest worker limits how fast one bus may report', () => {
  it('dead-letters reports beyond the burst, and takes more as the budget refills on the ingest clock', async () => {
    let nowMs = Date.now()
    const store = createFakeStore()
    const { acked, publish } = startWorker(store, {
      rateLimits: { refillPerS: 1, burstReports: 3 },
      clock: { now: () => new Date(nowMs) },
    })
    publish(1, 2, 3, 4, 5)
    await expect.poll(() => acked.length).toBe(5)
    expect(store.positions()).toEqual([1, 2, 3])
    expect(store.deadLetterReasons()).toEqual(['rate_limited', 'rate_limited'])

    nowMs += 2000
    publish(6, 7, 8)
    await expect.poll(() => acked.length).toBe(8)
    expect(store.positions()).toEqual([1, 2, 3, 6, 7])
    expect(store.deadLetterReasons()).toEqual(['rate_limited', 'rate_limited', 'rate_limited'])
  })
})
