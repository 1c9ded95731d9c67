import type { Queryable } from './database.js'

/** Schools and pupils: reference data read by the API. */
export function createDirectoryQueries(db: Queryable) {
  return {
    listSchools: (schoolIds: 'all' | readonly string[]) =>
      db.query(
        `SELECT id, town_id AS "townId", name_zh AS "nameZh", name_en AS "nameEn", kind, lat, lon, schedule
         FROM schools WHERE $1::text[] IS NULL OR id = ANY($1::text[]) ORDER BY id`,
        [schoolIds === 'all' ? null : schoolIds],
      ),

    getPupil: async (pupilId: string) =>
      (
        await db.query(
          `SELECT p.id, p.code, p.name, p.school_id AS "schoolId", p.grade,
             coalesce((SELECT array_agg(tp.trip_id ORDER BY tp.trip_id) FROM trip_pupils tp WHERE tp.pupil_id = p.id), '{}') AS "tripIds"
           FROM pupils p WHERE p.id = $1`,
          [pupilId],
        )
      )[0],
  }
}
