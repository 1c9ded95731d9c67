import type { LatLon } from '../../../geo/lat-lon.js'
import type { Queryable } from './database.js'

/**
 * Where a trip's bus may stand besides the trip's calls: the trip's school and the bus's depot,
 * those of them the registers place. For route compliance (an unapproved stop is one elsewhere).
 */
export async function listTripRestPlaces(
  db: Queryable,
  tripIds: readonly string[],
): Promise<Map<string, LatLon[]>> {
  const rows = await db.query<{
    tripId: string
    schoolLat: number | null
    schoolLon: number | null
    depotLat: number | null
    depotLon: number | null
  }>(
    `SELECT t.id AS "tripId", s.lat AS "schoolLat", s.lon AS "schoolLon",
            b.depot_lat AS "depotLat", b.depot_lon AS "depotLon"
     FROM trips t
     LEFT JOIN schools s ON s.id = t.school_id
     LEFT JOIN buses b ON b.id = t.bus_id
     WHERE t.id = ANY ($1::text[])`,
    [tripIds],
  )
  const places = new Map<string, LatLon[]>()
  for (const row of rows) {
    const list: LatLon[] = []
    if (row.schoolLat !== null && row.schoolLon !== null)
      list.push({ lat: row.schoolLat, lon: row.schoolLon })
    if (row.depotLat !== null && row.depotLon !== null) list.push({ lat: row.depotLat, lon: row.depotLon })
    places.set(row.tripId, list)
  }
  return places
}
