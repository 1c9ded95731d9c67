import type { Queryable } from './database.js'

export interface PupilTripRow {
  tripId: string
  busId: string
  plate: string
  direction: 'to_school' | 'from_school'
  weekdays: number[]
  boardSeq: number
  alightSeq: number
  /** Local 'HH:MM:SS' of the trip's first stop and of the pupil's drop-off. */
  startTime: string
  alightTime: string
}

/** A pupil's rides on the school buses, for the parents' view. */
export function createRideQueries(db: Queryable) {
  return {
    pupil: async (pupilId: string) =>
      (
        await db.query<{ id: string; name: string; schoolName: string }>(
          `SELECT p.id, p.name, s.name_zh AS "schoolName" FROM pupils p JOIN schools s ON s.id = p.school_id
           WHERE p.id = $1`,
          [pupilId],
        )
      )[0],

    /** The pupil's trips on tracked buses, earliest first. */
    pupilTrips: (pupilId: string) =>
      db.query<PupilTripRow & Record<string, unknown>>(
        `SELECT t.id AS "tripId", t.bus_id AS "busId", b.plate, t.direction, t.weekdays,
                tp.board_seq AS "boardSeq", tp.alight_seq AS "alightSeq",
                (SELECT to_char(min(arrive_time), 'HH24:MI:SS') FROM trip_stops s WHERE s.trip_id = t.id) AS "startTime",
                (SELECT to_char(arrive_time, 'HH24:MI:SS') FROM trip_stops s
                 WHERE s.trip_id = t.id AND s.seq = tp.alight_seq) AS "alightTime"
         FROM trip_pupils tp JOIN trips t ON t.id = tp.trip_id JOIN buses b ON b.id = t.bus_id
         WHERE tp.pupil_id = $1 ORDER BY "startTime", t.id`,
        [pupilId],
      ),
  }
}
