import type { CommittedBatch } from '../broker/telemetry-rows.js'
import type { Queryable } from '../store/database.js'
import { busPartitionSql } from './bus-partition.js'
import { cutAtTransaction } from './cut-at-transaction.js'
import {
  limiterReportColumns,
  positionReportColumns,
  toCommittedBatch,
  type ReportRow,
} from './report-rows.js'
import { checkpointText, parseCheckpoint, type Checkpoint } from './stream-checkpoint.js'
import type { HeldPartition } from './stream-leases.js'

export interface CommittedReports {
  /**
   * Every report of the partitions read, stored by a transaction from the partition's checkpoint
   * up to (not including) this one, is in `batches`: it is each partition's next checkpoint.
   */
  upTo: Checkpoint
  /** Per partition that had reports, ordered by bus, then time. */
  batches: Map<number, CommittedBatch>
  /** The read stopped at maxRows, at a whole transaction: more reports are waiting. */
  truncated: boolean
}

/**
 * The reports committed since each partition's checkpoint: rows of positions and limiter states
 * with checkpoint <= ingest_xid < xmin of the reading statement's snapshot. Every transaction
 * below xmin has committed or aborted, so no row can appear later below the new checkpoint; that
 * is why the stream orders by transaction id (xid8) and not by a sequence, whose values are taken
 * before commit and may commit out of order. The cost: a long-running transaction anywhere in the
 * cluster (even a read-only one that took an xid, or an idle-in-transaction session) holds xmin
 * back, and the stream waits for it.
 *
 * Reports dated before `since` are not read, so TimescaleDB skips old (compressed) chunks; ingest
 * refuses reports older than 72 h, so a window a little wider than that loses nothing.
 * At most `maxRows` rows are read, stopping at a whole transaction.
 */
export async function readCommittedReports(
  db: Queryable,
  options: {
    held: readonly HeldPartition[]
    partitions: number
    since: Date
    maxRows: number
    limiterStates?: boolean
  },
): Promise<CommittedReports> {
  const read = (limit: number | null, below: Checkpoint | null) =>
    selectReports(db, { ...options, limiterStates: options.limiterStates ?? true, limit, below })
  if (options.held.length === 0) return { upTo: 0n, batches: new Map(), truncated: false }

  const first = await read(options.maxRows + 1, null)
  const cut = cutAtTransaction(
    first.rows.map((row) => row.xid),
    options.maxRows,
  )
  if (cut.kind === 'whole') return { upTo: first.below, batches: group(first.rows), truncated: false }
  if (cut.kind === 'cut')
    return { upTo: cut.at, batches: group(first.rows.slice(0, cut.keep)), truncated: true }
  // One transaction larger than the bound: all of it, so the checkpoint lands after a whole one.
  const whole = await read(null, cut.xid + 1n)
  return { upTo: cut.xid + 1n, batches: group(whole.rows), truncated: true }
}

type StreamRow = ReportRow & { xid: Checkpoint; partition: number }

async function selectReports(
  db: Queryable,
  options: {
    held: readonly HeldPartition[]
    partitions: number
    since: Date
    limiterStates: boolean
    limit: number | null
    below: Checkpoint | null
  },
): Promise<{ below: Checkpoint; rows: StreamRow[] }> {
  const held = JSON.stringify(
    options.held.map((h) => ({ partition: h.partition, checkpoint: checkpointText(h.checkpoint) })),
  )
  const from = (
    table: string,
  ) => `FROM ${table} r JOIN held h ON h.partition = ${busPartitionSql('r.bus_id', '$2')}
    WHERE r.ingest_xid >= (SELECT low FROM bound) AND r.ingest_xid < (SELECT below FROM bound)
      AND r.ingest_xid >= h.checkpoint AND r.ts >= $3::timestamptz`
  // One statement, so the rows and the xmin they are bounded by come from the same snapshot.
  const rows = await db.query<
    Omit<StreamRow, 'xid' | 'kind' | 'bus_id' | 'ts'> & {
      below: string
      xid: string | null
      kind: ReportRow['kind'] | null
      bus_id: string | null
      ts: Date | null
    }
  >(
    `WITH held AS MATERIALIZED (
       SELECT h.partition, h.checkpoint::xid8 AS checkpoint FROM jsonb_to_recordset($1::jsonb) AS h (partition integer, checkpoint text)),
     bound AS MATERIALIZED (
       SELECT LEAST(s.xmin, coalesce($5::text::xid8, s.xmin)) AS below, $7::text::xid8 AS low
       FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin) s),
     reports AS (
       SELECT r.ingest_xid, h.partition, ${positionReportColumns} ${from('positions')}
       UNION ALL
       SELECT r.ingest_xid, h.partition, ${limiterReportColumns} ${from('limiter_states')} AND $6::boolean)
     SELECT b.below::text AS below, q.ingest_xid::text AS xid, q.partition, q.kind, q.bus_id, q.ts, q.lat, q.lon,
       q.speed_kmh, q.heading_deg, q.alt_m, q.accuracy_m, q.ignition, q.seq, q.terminal, q.limit_kmh, q.state
     FROM bound b LEFT JOIN LATERAL (SELECT * FROM reports ORDER BY ingest_xid LIMIT $4) q ON true`,
    [
      held,
      options.partitions,
      options.since,
      options.limit,
      options.below === null ? null : checkpointText(options.below),
      options.limiterStates,
      checkpointText(
        options.held.reduce(
          (low, h) => (h.checkpoint < low ? h.checkpoint : low),
          options.held[0]!.checkpoint,
        ),
      ),
    ],
  )
  const below = parseCheckpoint(rows[0]!.below)
  const reports: StreamRow[] = []
  for (const row of rows) {
    if (row.xid === null || row.kind === null || row.bus_id === null || row.ts === null) continue
    reports.push({ ...row, kind: row.kind, bus_id: row.bus_id, ts: row.ts, xid: parseCheckpoint(row.xid) })
  }
  return { below, rows: reports }
}

function group(rows: readonly StreamRow[]): Map<number, CommittedBatch> {
  const byPartition = new Map<number, StreamRow[]>()
  for (const row of rows) {
    const list = byPartition.get(row.partition)
    if (list) list.push(row)
    else byPartition.set(row.partition, [row])
  }
  return new Map([...byPartition].map(([partition, list]) => [partition, toCommittedBatch(list)]))
}
