import type { LocalTime } from '../clock/shanghai-time.js'
import type { Queryable } from './database.js'

/** The facts the access policy needs from the store; each answers one scope question. */
export function createScopeQueries(db: Queryable) {
  const ids = async (sql: string, params: unknown[]) =>
    (await db.query<{ id: string }>(sql, params)).map((row) => row.id)

  return {
    busesServingSchool: (schoolId: string) =>
      ids(`SELECT DISTINCT bus_id AS id FROM trips WHERE school_id = $1 ORDER BY 1`, [schoolId]),

    /**
     * Buses running, at `at`, a trip that carries one of these pupils: from a lead time before the
     * trip's first scheduled stop until a grace time after the pupil's own drop-off.
     */
    busesCarryingPupilsAt: (
      pupilIds: readonly string[],
      at: LocalTime,
      options: { leadMin: number; graceMin: number },
    ) =>
      ids(
        `SELECT DISTINCT t.bus_id AS id
         FROM trips t
         JOIN trip_pupils tp ON tp.trip_id = t.id
         JOIN trip_stops alight ON alight.trip_id = t.id AND alight.seq = tp.alight_seq
         JOIN LATERAL (SELECT min(arrive_time) AS start_time FROM trip_stops s WHERE s.trip_id = t.id) first ON true
         WHERE tp.pupil_id = ANY($1::text[])
           AND $2::int = ANY (t.weekdays)
           AND $3::time BETWEEN first.start_time - make_interval(mins => $4::int)
                            AND alight.arrive_time + make_interval(mins => $5::int)
         ORDER BY 1`,
        [pupilIds, at.isoWeekday, at.time, options.leadMin, options.graceMin],
      ),

    trip: async (tripId: string) =>
      (
        await db.query<{ busId: string; schoolId: string }>(
          `SELECT bus_id AS "busId", school_id AS "schoolId" FROM trips WHERE id = $1`,
          [tripId],
        )
      )[0],

    tripsCarryingPupils: (pupilIds: readonly string[]) =>
      ids(`SELECT DISTINCT trip_id AS id FROM trip_pupils WHERE pupil_id = ANY($1::text[]) ORDER BY 1`, [
        pupilIds,
      ]),

    pupilSchool: async (pupilId: string) =>
      (await ids(`SELECT school_id AS id FROM pupils WHERE id = $1`, [pupilId]))[0],

    pupilRidesBus: async (pupilId: string, busId: string) =>
      (
        await ids(
          `SELECT tp.pupil_id AS id FROM trip_pupils tp JOIN trips t ON t.id = tp.trip_id
           WHERE tp.pupil_id = $1 AND t.bus_id = $2 LIMIT 1`,
          [pupilId, busId],
        )
      ).length > 0,
  }
}

export type ScopeQueries = ReturnType<typeof createScopeQueries>
