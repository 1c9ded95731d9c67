import type { StopEvent } from '../../../geo/eta/stop-event-observations.js'
import type { Queryable } from './database.js'

/** What earlier runs of the trips left in the store: their stop events and their timetables' dwells. */
export function createStopHistoryQueries(db: Queryable) {
  return {
    stopEventsSince: async (since: Date): Promise<StopEvent[]> =>
      (
        await db.query<{ tripId: string; kind: StopEvent['kind']; ts: Date; seq: number }>(
          `SELECT trip_id AS "tripId", kind, ts, (details->>'seq')::int AS seq FROM events
           WHERE kind IN ('stop_arrival', 'stop_departure') AND trip_id IS NOT NULL AND ts >= $1`,
          [since.toISOString()],
        )
      ).map((row) => ({
        tripId: row.tripId,
        kind: row.kind,
        tsMs: new Date(row.ts).getTime(),
        seq: row.seq,
      })),

    /** The timetable of every trip stop: its dwell, and when the trip leaves it. */
    scheduledStops: () =>
      db.query<{ tripId: string; seq: number; dwellS: number; departTime: string }>(
        `SELECT trip_id AS "tripId", seq, extract(epoch FROM depart_time - arrive_time)::float8 AS "dwellS",
                to_char(depart_time, 'HH24:MI:SS') AS "departTime"
         FROM trip_stops ORDER BY trip_id, seq`,
      ),
  }
}
