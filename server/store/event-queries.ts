import type { Queryable } from './database.js'

/** Derived events and alarms, dead letters and plans: what the bureau watches. */
export function createEventQueries(db: Queryable) {
  return {
    listEvents: (filter: {
      busIds: 'all' | readonly string[]
      kind?: string
      from: Date
      to: Date
      limit: number
    }) =>
      db.query(
        `SELECT bus_id AS "busId", kind, ts, trip_id AS "tripId", details,
                acknowledged_by AS "acknowledgedBy", acknowledged_at AS "acknowledgedAt"
         FROM events
         WHERE ($1::text[] IS NULL OR bus_id = ANY($1::text[])) AND ($2::text IS NULL OR kind = $2)
           AND ts >= $3 AND ts < $4
         ORDER BY ts DESC LIMIT $5`,
        [
          filter.busIds === 'all' ? null : filter.busIds,
          filter.kind ?? null,
          filter.from,
          filter.to,
          filter.limit,
        ],
      ),

    listDeadLetters: (filter: { reason?: string; limit: number }) =>
      db.query(
        `SELECT id, received_at AS "receivedAt", topic, encode(payload, 'base64') AS "payloadBase64", reason, detail
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

    listPlans: (limit: number) =>
      db.query(
        `SELECT id, created_at AS "createdAt", created_by AS "createdBy", status FROM plans ORDER BY created_at DESC LIMIT $1`,
        [limit],
      ),
  }
}
