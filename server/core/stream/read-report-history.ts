import type { CommittedBatch } from '../broker/telemetry-rows.js'
import type { Queryable } from '../store/database.js'
import { busPartitionSql } from './bus-partition.js'
import {
  limiterReportColumns,
  positionReportColumns,
  toCommittedBatch,
  type ReportRow,
} from './report-rows.js'
import { checkpointText, type Checkpoint } from './stream-checkpoint.js'

/**
 * The reports of one partition's buses dated from `since` that the stream had already delivered
 * below `checkpoint` (rows stored before the stream existed count as delivered), ordered by bus,
 * then time: what a consumer replays to rebuild its state when it takes a partition over.
 */
export async function readReportHistory(
  db: Queryable,
  options: {
    partition: number
    partitions: number
    checkpoint: Checkpoint
    since: Date
    limiterStates?: boolean
  },
): Promise<CommittedBatch> {
  const where = `WHERE r.bus_id IN (SELECT id FROM buses WHERE ${busPartitionSql('id', '$2')} = $1)
      AND r.ts >= $3::timestamptz AND (r.ingest_xid IS NULL OR r.ingest_xid < $4::text::xid8)`
  const rows = await db.query<ReportRow & Record<string, unknown>>(
    `SELECT ${positionReportColumns} FROM positions r ${where}
     UNION ALL
     SELECT ${limiterReportColumns} FROM limiter_states r ${where} AND $5::boolean`,
    [
      options.partition,
      options.partitions,
      options.since,
      checkpointText(options.checkpoint),
      options.limiterStates ?? true,
    ],
  )
  return toCommittedBatch(rows)
}
