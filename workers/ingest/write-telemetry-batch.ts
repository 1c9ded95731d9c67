import { encodeCopyText } from '../../server/core/store/copy-text.js'
import type { Queryable } from '../../server/core/store/database.js'
import type { DeadLetterRow } from './dead-letter-row.js'
import type { LimiterRow, PositionRow } from '../../server/core/broker/telemetry-rows.js'

export interface TelemetryBatch {
  positions: PositionRow[]
  limiterStates: LimiterRow[]
  deadLetters: DeadLetterRow[]
}

export interface BatchResult {
  positionsStored: number
  limiterStatesStored: number
  deadLettersStored: number
  /** Reports already stored (redeliveries and repeats): no second row. */
  duplicates: number
}

const positionColumns =
  'bus_id, ts, lat, lon, speed_kmh, heading_deg, alt_m, accuracy_m, ignition, seq, terminal, received_at'
const limiterColumns = 'bus_id, ts, limit_kmh, state, received_at'
const deadLetterColumns = 'received_at, topic, payload, payload_bytes, reason, detail, message_key'

/**
 * Stores one batch in one transaction: COPY into session-local staging tables, then move the rows
 * over with ON CONFLICT DO NOTHING, because COPY alone cannot skip a report stored before.
 */
export async function writeTelemetryBatch(
  tx: Queryable,
  batch: TelemetryBatch,
  receivedAt: Date,
): Promise<BatchResult> {
  await tx.exec(`
    CREATE TEMP TABLE IF NOT EXISTS positions_staging (LIKE positions) ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE IF NOT EXISTS limiter_states_staging (LIKE limiter_states) ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE IF NOT EXISTS dead_letters_staging
      (received_at timestamptz, topic text, payload bytea, payload_bytes integer, reason text, detail text,
       message_key bytea)
      ON COMMIT DELETE ROWS;`)
  const result: BatchResult = {
    positionsStored: 0,
    limiterStatesStored: 0,
    deadLettersStored: 0,
    duplicates: 0,
  }

  if (batch.positions.length > 0) {
    await tx.copyFrom(
      `COPY positions_staging (${positionColumns}) FROM STDIN`,
      encodeCopyText(
        batch.positions.map((p) => [
          p.busId,
          p.ts,
          p.lat,
          p.lon,
          p.speedKmh,
          p.headingDeg,
          p.altM,
          p.accuracyM,
          p.ignition,
          p.seq,
          p.terminal ? JSON.stringify(p.terminal) : null,
          receivedAt,
        ]),
      ),
    )
    result.positionsStored = await moveStaged(tx, 'positions', positionColumns, 'bus_id, ts')
  }
  if (batch.limiterStates.length > 0) {
    await tx.copyFrom(
      `COPY limiter_states_staging (${limiterColumns}) FROM STDIN`,
      encodeCopyText(batch.limiterStates.map((l) => [l.busId, l.ts, l.limitKmh, l.state, receivedAt])),
    )
    result.limiterStatesStored = await moveStaged(tx, 'limiter_states', limiterColumns, 'bus_id, ts')
  }
  if (batch.deadLetters.length > 0) {
    await tx.copyFrom(
      `COPY dead_letters_staging (${deadLetterColumns}) FROM STDIN`,
      encodeCopyText(
        batch.deadLetters.map((d) => [
          receivedAt,
          d.topic,
          d.payloadExcerpt,
          d.payloadBytes,
          d.reason,
          d.detail,
          d.messageKey,
        ]),
      ),
    )
    result.deadLettersStored = await moveStaged(tx, 'dead_letters', deadLetterColumns, 'message_key')
  }
  result.duplicates =
    batch.positions.length +
    batch.limiterStates.length +
    batch.deadLetters.length -
    result.positionsStored -
    result.limiterStatesStored -
    result.deadLettersStored
  return result
}

/**
 * The columns are listed, never `*`: the columns left out take their defaults, and positions' and
 * limiter states' ingest_xid (the storing transaction's id, which the report stream reads by) must
 * come from its default, not from the staging table's NULL.
 */
async function moveStaged(tx: Queryable, table: string, columns: string, key: string): Promise<number> {
  const [row] = await tx.query<{ n: number }>(
    `WITH moved AS (
       INSERT INTO ${table} (${columns}) SELECT ${columns} FROM ${table}_staging
       ON CONFLICT (${key}) DO NOTHING RETURNING 1)
     SELECT count(*)::int AS n FROM moved`,
  )
  return row?.n ?? 0
}
