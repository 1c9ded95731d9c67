import { fromShanghaiTime, toShanghaiTime } from '../clock/shanghai-time.js'
import type { Queryable } from './database.js'

/** How long a parent sees their child's bus around the trip (DESIGN §4). */
export interface ParentWindow {
  /** From this long before the trip's first scheduled stop… */
  leadMin: number
  /** …until this long after the child was dropped off… */
  afterDropOffMin: number
  /** …or, while no drop-off is recorded, this long after the scheduled one. */
  lateMin: number
}

/** The facts the access policy needs from the store; each answers one scope question. */
export function createScopeQueries(db: Queryable) {
  const ids = async (sql: string, params: unknown[]) =>
    (await db.query<{ id: string }>(sql, params)).map((row) => row.id)

  const queries = {
    busesServingSchool: (schoolId: string) =>
      ids(`SELECT DISTINCT bus_id AS id FROM trips WHERE school_id = $1 ORDER BY 1`, [schoolId]),

    /**
     * The parents' windows on the day of `at`, one per trip and pupil: from a lead time before the
     * trip's first scheduled stop until the pupil's drop-off as it happened that day (the attendant's
     * "got off" scan or the bus's arrival at the pupil's stop) plus a short grace; while no drop-off
     * is recorded, a longer grace after the scheduled one, so a trip running late stays visible.
     */
    parentWindowsOn: async (pupilIds: readonly string[], at: Date, window: ParentWindow) => {
      const local = toShanghaiTime(at)
      const dayStart = fromShanghaiTime(local.date, '00:00:00')
      const rows = await db.query<{ busId: string; tripId: string; from: Date | string; to: Date | string }>(
        `WITH mine AS (
           SELECT t.id AS trip_id, t.bus_id, tp.pupil_id, tp.alight_seq, alight.arrive_time AS alight_time,
             (SELECT min(arrive_time) FROM trip_stops s WHERE s.trip_id = t.id) AS start_time
           FROM trips t
           JOIN trip_pupils tp ON tp.trip_id = t.id
           JOIN trip_stops alight ON alight.trip_id = t.id AND alight.seq = tp.alight_seq
           WHERE tp.pupil_id = ANY($1::text[]) AND t.bus_id IS NOT NULL AND $2::int = ANY (t.weekdays)
         ), dropped AS (
           SELECT m.*, least(
             (SELECT min(b.scanned_at) FROM boarding_events b
              WHERE b.trip_id = m.trip_id AND b.service_date = $3::date AND b.pupil_id = m.pupil_id
                AND b.action = 'alighted'),
             (SELECT min(e.ts) FROM events e
              WHERE e.bus_id = m.bus_id AND e.trip_id = m.trip_id AND e.kind = 'stop_arrival'
                AND e.ts >= $4::timestamptz AND e.ts < $4::timestamptz + interval '1 day'
                AND (e.details->>'seq')::int = m.alight_seq)
           ) AS dropped_at
           FROM mine m
         )
         SELECT bus_id AS "busId", trip_id AS "tripId",
           $4::timestamptz + start_time::interval - make_interval(mins => $5::int) AS "from",
           CASE WHEN dropped_at IS NULL
                THEN $4::timestamptz + alight_time::interval + make_interval(mins => $6::int)
                ELSE dropped_at + make_interval(mins => $7::int) END AS "to"
         FROM dropped ORDER BY 3, 1, 2`,
        [
          pupilIds,
          local.isoWeekday,
          local.date,
          dayStart.toISOString(),
          window.leadMin,
          window.lateMin,
          window.afterDropOffMin,
        ],
      )
      return rows.map((row) => ({ ...row, from: new Date(row.from), to: new Date(row.to) }))
    },

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

    /** Buses running, at `at`, a trip that carries one of these pupils, inside its parents' window. */
    busesCarryingPupilsAt: async (pupilIds: readonly string[], at: Date, window: ParentWindow) => {
      const open = (await queries.parentWindowsOn(pupilIds, at, window)).filter(
        (w) => w.from.getTime() <= at.getTime() && at.getTime() <= w.to.getTime(),
      )
      return [...new Set(open.map((w) => w.busId))].sort()
    },
  }
  return queries
}

export type ScopeQueries = ReturnType<typeof createScopeQueries>
