import type { Queryable } from '../../server/core/store/database.js'
import { eventKey, type DerivedEvent, type DerivedEventKind } from './derived-event.js'

/**
 * Writes events in one statement: a new key inserts, a known key updates its trip and details
 * (an acknowledgement stays). Returns the keys of the rows that changed, so a re-derived event
 * that the store already holds as it is is not published again. Each key may appear once per
 * call: one statement cannot update a row twice.
 */
export async function writeDerivedEvents(
  db: Queryable,
  events: readonly DerivedEvent[],
): Promise<Set<string>> {
  if (events.length === 0) return new Set()
  const rows = events.map((event) => ({
    bus_id: event.busId,
    kind: event.kind,
    ts: event.ts.toISOString(),
    trip_id: event.tripId,
    details: event.details,
  }))
  const changed = await db.query<{ bus_id: string; kind: DerivedEventKind; ts: Date }>(
    `INSERT INTO events (bus_id, kind, ts, trip_id, details)
     SELECT e.bus_id, e.kind, e.ts, e.trip_id, e.details
     FROM jsonb_to_recordset($1::jsonb) AS e (bus_id text, kind text, ts timestamptz, trip_id text, details jsonb)
     ON CONFLICT (bus_id, kind, ts) DO UPDATE SET trip_id = EXCLUDED.trip_id, details = EXCLUDED.details
       WHERE events.details IS DISTINCT FROM EXCLUDED.details OR events.trip_id IS DISTINCT FROM EXCLUDED.trip_id
     RETURNING bus_id, kind, ts`,
    [JSON.stringify(rows)],
  )
  return new Set(changed.map((row) => eventKey({ busId: row.bus_id, kind: row.kind, ts: new Date(row.ts) })))
}
