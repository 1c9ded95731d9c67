import type { AlarmCaseState, AlarmOutcome } from '../alarms/alarm-case.js'
import type { Queryable, Row } from './database.js'

/** An alarm event the score has not judged yet, with what judging it needs. */
export interface UnjudgedEvent {
  caseId: number
  busId: string
  kind: string
  ts: Date
  tripId: string | null
  details: Record<string, unknown>
  caseState: AlarmCaseState
  outcome: AlarmOutcome | null
  closedBy: string | null
  closedAt: Date | null
  /** The bus's driver as the staff register assigns them now (the first by code if several). */
  driverId: string | null
  /** The bus's operator. */
  company: string | null
}

/** The alarm events waiting for the score, and the mark that each has been judged. */
export function createScoreEventQueries(db: Queryable) {
  return {
    /**
     * The alarm events of `kinds` since `since` the score has not judged, oldest first. The driver
     * and company are read now, as the registers give them when the event is judged.
     */
    unjudgedEvents: async (kinds: readonly string[], since: Date, limit: number) =>
      (
        await db.query<UnjudgedEvent & Row>(
          `SELECT c.id::int AS "caseId", c.bus_id AS "busId", c.kind, c.event_ts AS ts, e.trip_id AS "tripId",
                  e.details, c.state AS "caseState", c.outcome, c.closed_by AS "closedBy",
                  c.closed_at AS "closedAt", b.operator AS company,
                  (SELECT s.id FROM staff s WHERE s.bus_id = c.bus_id AND s.role = 'driver'
                    ORDER BY s.id LIMIT 1) AS "driverId"
           FROM alarm_cases c
           JOIN events e ON e.bus_id = c.bus_id AND e.kind = c.kind AND e.ts = c.event_ts
           LEFT JOIN buses b ON b.id = c.bus_id
           WHERE c.kind = ANY($1::text[]) AND c.event_ts >= $2
             AND NOT EXISTS (SELECT 1 FROM scored_events j
                             WHERE j.bus_id = c.bus_id AND j.kind = c.kind AND j.event_ts = c.event_ts)
           ORDER BY c.event_ts, c.id
           LIMIT $3`,
          [kinds, since.toISOString(), limit],
        )
      ).map((row) => ({ ...row, ts: new Date(row.ts) })),

    /** Marks the event judged; false when it already was (by another process). */
    judgeEvent: async (
      event: Pick<UnjudgedEvent, 'busId' | 'kind' | 'ts' | 'caseId' | 'driverId' | 'company'>,
      result: 'scored' | 'no_points',
      at: Date,
    ) =>
      (
        await db.query(
          `INSERT INTO scored_events (bus_id, kind, event_ts, case_id, judged_at, result, driver_id, company)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING bus_id`,
          [
            event.busId,
            event.kind,
            event.ts.toISOString(),
            event.caseId,
            at.toISOString(),
            result,
            event.driverId,
            event.company,
          ],
        )
      ).length > 0,
  }
}
