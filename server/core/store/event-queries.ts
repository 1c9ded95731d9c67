import type { Queryable } from './database.js'
import { windowFilter, type TimeWindow } from './time-window-filter.js'

/** An event as the bureau's screens read it. */
export type StoredEvent = {
  busId: string
  kind: string
  ts: Date
  tripId: string | null
  details: Record<string, unknown>
  acknowledgedBy: string | null
  acknowledgedAt: Date | null
}

/** Derived events and alarms and dead letters: what the bureau watches. */
export function createEventQueries(db: Queryable) {
  return {
    /** Events of these buses inside the windows their reader may see, newest first. */
    listEvents: async (filter: {
      busIds: 'all' | readonly string[]
      kind?: string
      windows: readonly TimeWindow[]
      limit: number
    }) => {
      if (filter.windows.length === 0) return []
      const within = windowFilter('ts', 4, filter.windows)
      return db.query(
        `SELECT bus_id AS "busId", kind, ts, trip_id AS "tripId", details,
                acknowledged_by AS "acknowledgedBy", acknowledged_at AS "acknowledgedAt"
         FROM events
         WHERE ($1::text[] IS NULL OR bus_id = ANY($1::text[])) AND ($2::text IS NULL OR kind = $2)
           AND ${within.sql}
         ORDER BY ts DESC LIMIT $3`,
        [filter.busIds === 'all' ? null : filter.busIds, filter.kind ?? null, filter.limit, ...within.params],
      )
    },

    /**
     * Marks an event acknowledged by this person, once: a second acknowledgement keeps the first.
     * `first` says whether this call was the one that marked it.
     */
    acknowledge: async (key: { busId: string; kind: string; ts: Date }, by: string, at: Date) => {
      const params = [key.busId, key.kind, key.ts.toISOString()]
      const marked = await db.query(
        `UPDATE events SET acknowledged_by = $4, acknowledged_at = $5
         WHERE bus_id = $1 AND kind = $2 AND ts = $3 AND acknowledged_at IS NULL RETURNING 1`,
        [...params, by, at.toISOString()],
      )
      const event = (
        await db.query<StoredEvent>(
          `SELECT bus_id AS "busId", kind, ts, trip_id AS "tripId", details,
                  acknowledged_by AS "acknowledgedBy", acknowledged_at AS "acknowledgedAt"
           FROM events WHERE bus_id = $1 AND kind = $2 AND ts = $3`,
          params,
        )
      )[0]
      return { event, first: marked.length > 0 }
    },

    /** Pupils who got on and off, per day, trip and stop. */
    ridership: (filter: { from: string; to: string; schoolId?: string }) =>
      db.query(
        `SELECT to_char(b.service_date, 'YYYY-MM-DD') AS date, b.trip_id AS "tripId", t.bus_id AS "busId",
                t.school_id AS "schoolId", b.stop_id AS "stopId", s.name_zh AS "stopName",
                count(*) FILTER (WHERE b.action = 'boarded')::int AS boarded,
                count(*) FILTER (WHERE b.action = 'alighted')::int AS alighted
         FROM boarding_events b JOIN trips t ON t.id = b.trip_id LEFT JOIN stops s ON s.id = b.stop_id
         WHERE b.service_date BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR t.school_id = $3)
         GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 5`,
        [filter.from, filter.to, filter.schoolId ?? null],
      ),

    listDeadLetters: (filter: { reason?: string; limit: number }) =>
      db.query(
        `SELECT id, received_at AS "receivedAt", topic, encode(payload, 'base64') AS "payloadBase64",
                payload_bytes AS "payloadBytes", reason, detail
         FROM dead_letters WHERE $1::text IS NULL OR reason = $1 ORDER BY id DESC LIMIT $2`,
        [filter.reason ?? null, filter.limit],
      ),

    /** Since the store began, across every ingest process. */
    countDeadLettersByReason: async () =>
      Object.fromEntries(
        (
          await db.query<{ reason: string; n: number }>(
            `SELECT reason, count(*)::int AS n FROM dead_letters GROUP BY reason ORDER BY reason`,
          )
        ).map((row) => [row.reason, row.n]),
      ),
  }
}
