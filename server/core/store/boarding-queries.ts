import type { Queryable } from './database.js'

export interface BoardingRecord {
  id: string
  tripId: string
  serviceDate: string
  pupilId: string
  action: 'boarded' | 'alighted'
  stopId: string | null
  scannedAt: string
  recordedBy: string
}

const columns = `id, trip_id AS "tripId", to_char(service_date, 'YYYY-MM-DD') AS "serviceDate", pupil_id AS "pupilId",
  action, stop_id AS "stopId", scanned_at AS "scannedAt", recorded_by AS "recordedBy"`

export function createBoardingQueries(db: Queryable) {
  return {
    byId: async (id: string) =>
      (
        await db.query<BoardingRecord & Record<string, unknown>>(
          `SELECT ${columns} FROM boarding_events WHERE id = $1`,
          [id],
        )
      )[0],

    /** The pupil's scans on this trip and day, in the order they were made. */
    pupilScans: (tripId: string, serviceDate: string, pupilId: string) =>
      db.query<BoardingRecord & Record<string, unknown>>(
        `SELECT ${columns} FROM boarding_events
         WHERE trip_id = $1 AND service_date = $2::date AND pupil_id = $3 ORDER BY scanned_at, received_at`,
        [tripId, serviceDate, pupilId],
      ),

    tripScans: (tripId: string, serviceDate: string) =>
      db.query<BoardingRecord & Record<string, unknown>>(
        `SELECT ${columns} FROM boarding_events WHERE trip_id = $1 AND service_date = $2::date
         ORDER BY scanned_at, received_at`,
        [tripId, serviceDate],
      ),

    /** A pupil by the code on their card, with the buses they ride, to tell a wrong bus from an unknown code. */
    pupilByCode: async (code: string) =>
      (
        await db.query<{ id: string; name: string; buses: string[] }>(
          `SELECT p.id, p.name,
                  coalesce(array_agg(DISTINCT b.plate || ' (' || b.id || ')') FILTER (WHERE b.id IS NOT NULL), '{}') AS buses
           FROM pupils p LEFT JOIN trip_pupils tp ON tp.pupil_id = p.id LEFT JOIN trips t ON t.id = tp.trip_id
           LEFT JOIN buses b ON b.id = t.bus_id
           WHERE p.code = $1 GROUP BY p.id, p.name`,
          [code],
        )
      )[0],

    /** Stores the scan once: the id is made on the phone, so a resent scan is a no-op. Returns whether it was new. */
    insert: async (record: BoardingRecord) =>
      (
        await db.query(
          `INSERT INTO boarding_events (id, trip_id, service_date, pupil_id, action, stop_id, scanned_at, recorded_by)
           VALUES ($1, $2, $3::date, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING RETURNING id`,
          [
            record.id,
            record.tripId,
            record.serviceDate,
            record.pupilId,
            record.action,
            record.stopId,
            record.scannedAt,
            record.recordedBy,
          ],
        )
      ).length === 1,
  }
}
