import type { Queryable } from './database.js'

export interface TripRun {
  tripId: string
  date: string
  endedAt: string
  endedBy: string
  confirmedEmpty: boolean
}

const columns = `trip_id AS "tripId", to_char(service_date, 'YYYY-MM-DD') AS date, ended_at AS "endedAt",
  ended_by AS "endedBy", confirmed_empty AS "confirmedEmpty"`

/** The attendant's end of each trip run. */
export function createTripRunQueries(db: Queryable) {
  return {
    /** Ends the run once; a second end of the same run answers the first. Returns it and whether it is new. */
    endRun: async (run: TripRun): Promise<{ run: TripRun; created: boolean }> => {
      const [created] = await db.query<TripRun & Record<string, unknown>>(
        `INSERT INTO trip_runs (trip_id, service_date, ended_at, ended_by, confirmed_empty)
         VALUES ($1, $2::date, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING ${columns}`,
        [run.tripId, run.date, run.endedAt, run.endedBy, run.confirmedEmpty],
      )
      if (created) return { run: created, created: true }
      const [existing] = await db.query<TripRun & Record<string, unknown>>(
        `SELECT ${columns} FROM trip_runs WHERE trip_id = $1 AND service_date = $2::date`,
        [run.tripId, run.date],
      )
      return { run: existing!, created: false }
    },

    runsOn: (tripIds: readonly string[], date: string) =>
      db.query<TripRun & Record<string, unknown>>(
        `SELECT ${columns} FROM trip_runs WHERE trip_id = ANY($1::text[]) AND service_date = $2::date`,
        [tripIds, date],
      ),
  }
}
