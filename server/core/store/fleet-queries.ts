import type { Queryable } from './database.js'
import { windowFilter, type TimeWindow } from './time-window-filter.js'

export interface BusRow {
  id: string
  plate: string
  townId: string
  kind: string
  seats: number
  operator: string
}

export interface PositionRow {
  busId: string
  ts: Date
  lat: number
  lon: number
  speedKmh: number | null
  headingDeg: number | null
  ignition: boolean | null
}

const busColumns = `id, plate, town_id AS "townId", kind, seats, operator`
const positionColumns = `bus_id AS "busId", ts, lat, lon, speed_kmh AS "speedKmh", heading_deg AS "headingDeg", ignition`

export function createFleetQueries(db: Queryable) {
  return {
    /** `busIds` 'all' lists the whole fleet. */
    listBuses: (busIds: 'all' | readonly string[]) =>
      busIds === 'all'
        ? db.query<BusRow & Record<string, unknown>>(`SELECT ${busColumns} FROM buses ORDER BY id`)
        : db.query<BusRow & Record<string, unknown>>(
            `SELECT ${busColumns} FROM buses WHERE id = ANY($1::text[]) ORDER BY id`,
            [busIds],
          ),

    getBus: async (busId: string) =>
      (
        await db.query<BusRow & Record<string, unknown>>(`SELECT ${busColumns} FROM buses WHERE id = $1`, [
          busId,
        ])
      )[0],

    latestPosition: async (busId: string) =>
      (
        await db.query<PositionRow & Record<string, unknown>>(
          `SELECT ${positionColumns} FROM positions WHERE bus_id = $1 ORDER BY ts DESC LIMIT 1`,
          [busId],
        )
      )[0],

    /** The bus's fixes inside the windows its reader may see, oldest first. */
    track: async (busId: string, range: { windows: readonly TimeWindow[]; limit: number }) => {
      if (range.windows.length === 0) return []
      const within = windowFilter('ts', 3, range.windows)
      return db.query<PositionRow & Record<string, unknown>>(
        `SELECT ${positionColumns} FROM positions WHERE bus_id = $1 AND ${within.sql} ORDER BY ts LIMIT $2`,
        [busId, range.limit, ...within.params],
      )
    },
  }
}
