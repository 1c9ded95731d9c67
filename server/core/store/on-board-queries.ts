import type { Queryable } from './database.js'

export interface PupilOnBoard {
  pupilId: string
  name: string
}

/** Who is on a bus now, by the attendant's scans: boarded, and not yet marked off. */
export function createOnBoardQueries(db: Queryable) {
  const lastScans = `
    SELECT DISTINCT ON (b.trip_id, b.pupil_id) b.trip_id, b.pupil_id, b.action
    FROM boarding_events b WHERE b.service_date = $1::date
    ORDER BY b.trip_id, b.pupil_id, b.scanned_at DESC, b.received_at DESC`
  return {
    pupilsOnBoard: (tripId: string, serviceDate: string) =>
      db.query<PupilOnBoard & Record<string, unknown>>(
        `SELECT s.pupil_id AS "pupilId", p.name FROM (${lastScans}) s JOIN pupils p ON p.id = s.pupil_id
         WHERE s.trip_id = $2 AND s.action = 'boarded' ORDER BY p.name`,
        [serviceDate, tripId],
      ),

    /**
     * The day's trips with a pupil still on board and no child-left-on-bus alarm naming them yet,
     * by bus and in the order they run.
     */
    tripsWithPupilsOnBoard: (serviceDate: string, dayStart: Date) =>
      db.query<{ tripId: string; busId: string }>(
        `SELECT t.id AS "tripId", t.bus_id AS "busId" FROM trips t
         WHERE t.bus_id IS NOT NULL
           AND t.id IN (SELECT s.trip_id FROM (${lastScans}) s WHERE s.action = 'boarded')
           AND NOT EXISTS (SELECT 1 FROM events e WHERE e.kind = 'child_left_on_bus'
                           AND e.ts >= $2 AND e.ts < $2::timestamptz + interval '1 day'
                           AND (e.trip_id = t.id OR coalesce(e.details->'tripIds', '[]') @> to_jsonb(t.id)))
         ORDER BY t.bus_id, (SELECT min(arrive_time) FROM trip_stops WHERE trip_id = t.id), t.id`,
        [serviceDate, dayStart.toISOString()],
      ),

    /** Where a bus ends up after a trip: the trip's last stop and the bus's depot. */
    endPlaces: async (tripId: string) =>
      (
        await db.query<{
          schoolId: string
          lastLat: number
          lastLon: number
          depotLat: number | null
          depotLon: number | null
        }>(
          `SELECT t.school_id AS "schoolId", s.lat AS "lastLat", s.lon AS "lastLon",
                  b.depot_lat AS "depotLat", b.depot_lon AS "depotLon"
           FROM trips t JOIN buses b ON b.id = t.bus_id
           JOIN LATERAL (SELECT stop_id FROM trip_stops WHERE trip_id = t.id ORDER BY seq DESC LIMIT 1) l ON true
           JOIN stops s ON s.id = l.stop_id
           WHERE t.id = $1`,
          [tripId],
        )
      )[0],

    recentFixes: (busId: string, since: Date) =>
      db.query<{ ts: Date; lat: number; lon: number; ignition: boolean | null }>(
        `SELECT ts, lat, lon, ignition FROM positions WHERE bus_id = $1 AND ts >= $2 ORDER BY ts`,
        [busId, since.toISOString()],
      ),

    /** The people an alarm on this bus must reach besides the app's users: driver, attendant, police. */
    busContacts: (busId: string) =>
      db.query<{ role: string; name: string; phone: string | null }>(
        `SELECT role, name, phone FROM staff WHERE bus_id = $1 ORDER BY role, id`,
        [busId],
      ),
  }
}
