import type { Queryable } from './database.js'

export interface Bounds {
  minLat: number
  maxLat: number
  minLon: number
  maxLon: number
}

/** What the ingest worker checks reports against: which buses exist and where they may be. */
export function createTelemetryContextQueries(db: Queryable) {
  return {
    busIds: async () => (await db.query<{ id: string }>('SELECT id FROM buses')).map((row) => row.id),

    /** The box around every town, school, stop and depot; undefined before any is stored. */
    placesBounds: async (): Promise<Bounds | undefined> => {
      const [row] = await db.query<{ minLat: number | null; maxLat: number; minLon: number; maxLon: number }>(
        `SELECT min(lat) AS "minLat", max(lat) AS "maxLat", min(lon) AS "minLon", max(lon) AS "maxLon" FROM (
           SELECT lat, lon FROM towns UNION ALL SELECT lat, lon FROM schools UNION ALL SELECT lat, lon FROM stops
           UNION ALL SELECT depot_lat, depot_lon FROM buses WHERE depot_lat IS NOT NULL) AS places`,
      )
      return row && row.minLat !== null ? { ...row, minLat: row.minLat } : undefined
    },
  }
}
