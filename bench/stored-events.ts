import type { Queryable } from '../server/core/store/database.js'

/** A row of the events table as the benchmarks read it back: derived events and alarms alike. */
export interface StoredEvent {
  busId: string
  kind: string
  ts: Date
  tripId: string | null
  details: Record<string, unknown>
}

/** The events of these kinds in the store, of the buses named (every bus without), from `from` to `to`. */
export async function readStoredEvents(
  db: Queryable,
  options: { kinds: readonly string[]; busIds?: readonly string[]; from?: Date; to?: Date },
): Promise<StoredEvent[]> {
  const rows = await db.query<{
    bus_id: string
    kind: string
    ts: Date
    trip_id: string | null
    details: Record<string, unknown>
  }>(
    `SELECT bus_id, kind, ts, trip_id, details FROM events
     WHERE kind = ANY($1::text[]) AND ($2::text[] IS NULL OR bus_id = ANY($2::text[]))
       AND ($3::timestamptz IS NULL OR ts >= $3) AND ($4::timestamptz IS NULL OR ts < $4)
     ORDER BY ts, bus_id, kind`,
    [options.kinds, options.busIds ?? null, options.from ?? null, options.to ?? null],
  )
  return rows.map((row) => ({
    busId: row.bus_id,
    kind: row.kind,
    ts: new Date(row.ts),
    tripId: row.trip_id,
    details: row.details,
  }))
}

/**
 * When a stored event began and ended, in epoch milliseconds: an over-speed episode for its
 * `durationS` so far, any other episode to its `endTs`, or on (Infinity) while that is null. An
 * event of an instant, without an `endTs` at all (a skipped call, an alarm), ends where it begins.
 */
export function eventSpanMs(event: Pick<StoredEvent, 'kind' | 'ts' | 'details'>): [number, number] {
  const from = event.ts.getTime()
  const { endTs, durationS } = event.details
  if (event.kind === 'over_speed') {
    return [from, from + (typeof durationS === 'number' && Number.isFinite(durationS) ? durationS * 1000 : 0)]
  }
  if (typeof endTs === 'string') return [from, Date.parse(endTs)]
  return [from, 'endTs' in event.details ? Number.POSITIVE_INFINITY : from]
}
