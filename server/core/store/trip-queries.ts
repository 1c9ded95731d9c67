import type { Queryable } from './database.js'

export interface TripRow {
  id: string
  busId: string
  lineId: string | null
  schoolId: string
  direction: 'to_school' | 'from_school'
  weekdays: number[]
}

export interface TripStopRow {
  seq: number
  stopId: string
  name: string
  lat: number
  lon: number
  arriveTime: string
  departTime: string
}

export interface RosterRow {
  pupilId: string
  code: string
  name: string
  grade: number
  boardSeq: number
  alightSeq: number
}

const tripColumns = `t.id, t.bus_id AS "busId", t.line_id AS "lineId", t.school_id AS "schoolId", t.direction, t.weekdays`

export function createTripQueries(db: Queryable) {
  return {
    listTrips: (filter: {
      busIds?: 'all' | readonly string[]
      schoolId?: string
      tripIds?: readonly string[]
    }) =>
      db.query<TripRow & Record<string, unknown>>(
        `SELECT ${tripColumns} FROM trips t
         WHERE ($1::text[] IS NULL OR t.bus_id = ANY($1::text[]))
           AND ($2::text IS NULL OR t.school_id = $2)
           AND ($3::text[] IS NULL OR t.id = ANY($3::text[]))
         ORDER BY t.bus_id, (SELECT min(arrive_time) FROM trip_stops s WHERE s.trip_id = t.id), t.id`,
        [
          filter.busIds === undefined || filter.busIds === 'all' ? null : filter.busIds,
          filter.schoolId ?? null,
          filter.tripIds ?? null,
        ],
      ),

    getTrip: async (tripId: string) =>
      (
        await db.query<TripRow & Record<string, unknown>>(
          `SELECT ${tripColumns} FROM trips t WHERE t.id = $1`,
          [tripId],
        )
      )[0],

    tripStops: (tripId: string) =>
      db.query<TripStopRow & Record<string, unknown>>(
        `SELECT ts.seq, ts.stop_id AS "stopId", s.name_zh AS name, s.lat, s.lon,
                to_char(ts.arrive_time, 'HH24:MI:SS') AS "arriveTime", to_char(ts.depart_time, 'HH24:MI:SS') AS "departTime"
         FROM trip_stops ts JOIN stops s ON s.id = ts.stop_id WHERE ts.trip_id = $1 ORDER BY ts.seq`,
        [tripId],
      ),

    /** A bus's trips on a weekday, in driving order, with their first and last stops' times. */
    busDay: (busId: string, isoWeekday: number) =>
      db.query<{
        tripId: string
        direction: 'to_school' | 'from_school'
        schoolName: string
        startTime: string
        endTime: string
      }>(
        `SELECT t.id AS "tripId", t.direction, s.name_zh AS "schoolName",
                to_char(min(ts.arrive_time), 'HH24:MI') AS "startTime", to_char(max(ts.depart_time), 'HH24:MI') AS "endTime"
         FROM trips t JOIN schools s ON s.id = t.school_id JOIN trip_stops ts ON ts.trip_id = t.id
         WHERE t.bus_id = $1 AND $2::int = ANY (t.weekdays)
         GROUP BY t.id, t.direction, s.name_zh ORDER BY "startTime", t.id`,
        [busId, isoWeekday],
      ),

    /** Whether the bus exists and now runs the trip. */
    assignBus: async (tripId: string, busId: string) =>
      (
        await db.query(
          `UPDATE trips SET bus_id = $2 WHERE id = $1 AND EXISTS (SELECT 1 FROM buses WHERE id = $2) RETURNING id`,
          [tripId, busId],
        )
      ).length === 1,

    roster: (tripId: string) =>
      db.query<RosterRow & Record<string, unknown>>(
        `SELECT p.id AS "pupilId", p.code, p.name, p.grade, tp.board_seq AS "boardSeq", tp.alight_seq AS "alightSeq"
         FROM trip_pupils tp JOIN pupils p ON p.id = tp.pupil_id WHERE tp.trip_id = $1 ORDER BY tp.board_seq, p.name`,
        [tripId],
      ),

    /** How many of a trip's pupils get on or off at each of its calls (by call number). */
    ridersPerCall: (tripId: string) =>
      db.query<{ seq: number; riders: number }>(
        `SELECT seq, count(*)::int AS riders
           FROM (SELECT board_seq AS seq FROM trip_pupils WHERE trip_id = $1
                 UNION ALL SELECT alight_seq FROM trip_pupils WHERE trip_id = $1) calls
          GROUP BY seq`,
        [tripId],
      ),
  }
}
