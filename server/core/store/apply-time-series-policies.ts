import type { Queryable } from './database.js'
import type { TimeSeriesPolicy } from './timescale.js'

export interface PolicyRun {
  compressedChunks: number
  droppedChunks: number
}

/**
 * Does what TimescaleDB's background jobs do on a server. The embedded store runs no background
 * workers, so its compression and retention policies never fire unless we apply them ourselves.
 */
export async function applyTimeSeriesPolicies(
  db: Queryable,
  policies: readonly TimeSeriesPolicy[],
): Promise<PolicyRun> {
  let compressedChunks = 0
  let droppedChunks = 0
  for (const policy of policies) {
    const dropped = await db.query(
      `SELECT drop_chunks('${policy.table}', older_than => INTERVAL '${policy.retainFor}')`,
    )
    droppedChunks += dropped.length
    const compressed = await db.query<{ chunk: string | null }>(
      `SELECT compress_chunk(c, if_not_compressed => true)::text AS chunk
       FROM show_chunks('${policy.table}', older_than => INTERVAL '${policy.compressAfter}') AS c
       WHERE NOT EXISTS (
         SELECT 1 FROM timescaledb_information.chunks k
         WHERE format('%I.%I', k.chunk_schema, k.chunk_name)::regclass = c AND k.is_compressed)`,
    )
    compressedChunks += compressed.filter((row) => row.chunk !== null).length
  }
  return { compressedChunks, droppedChunks }
}
