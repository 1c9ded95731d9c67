import type { Database, Queryable } from './database.js'

/**
 * Turns TimescaleDB on where the server offers it. A PostgreSQL server without the extension, or
 * with it installed but not preloaded, keeps working on plain tables.
 */
export async function enableTimescale(db: Database): Promise<boolean> {
  const available = await db.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'`)
  if (available.length === 0) return false
  try {
    await db.exec('CREATE EXTENSION IF NOT EXISTS timescaledb')
  } catch {
    return false
  }
  return hasTimescale(db)
}

export async function hasTimescale(db: Queryable): Promise<boolean> {
  const rows = await db.query(`SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'`)
  return rows.length > 0
}

export interface TimeSeriesPolicy {
  table: string
  timeColumn: string
  chunkInterval: string
  /** Compressed chunks are grouped by this column so one bus's history decompresses alone. */
  segmentBy: string
  compressAfter: string
  retainFor: string
}

/**
 * Makes an existing table a hypertable with compression and retention when TimescaleDB is present;
 * otherwise gives it the time index that the hypertable would have had.
 */
export async function makeTimeSeries(
  tx: Queryable,
  policy: TimeSeriesPolicy,
  timescale: boolean,
): Promise<void> {
  const { table, timeColumn } = policy
  if (!timescale) {
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_${timeColumn}_idx ON ${table} (${timeColumn} DESC)`)
    return
  }
  await tx.query(
    `SELECT create_hypertable('${table}', by_range('${timeColumn}', INTERVAL '${policy.chunkInterval}'), if_not_exists => true)`,
  )
  await tx.query(
    `ALTER TABLE ${table} SET (timescaledb.compress, timescaledb.compress_segmentby = '${policy.segmentBy}', timescaledb.compress_orderby = '${timeColumn} DESC')`,
  )
  await tx.query(
    `SELECT add_compression_policy('${table}', INTERVAL '${policy.compressAfter}', if_not_exists => true)`,
  )
  await tx.query(
    `SELECT add_retention_policy('${table}', INTERVAL '${policy.retainFor}', if_not_exists => true)`,
  )
}
