import type { SeededRandom } from '../../geo/random/seeded-random.js'
import { encodeCopyText, type CopyValue } from '../../server/core/store/copy-text.js'
import type { Database } from '../../server/core/store/database.js'
import { generateBusDay, type TelemetryOptions, type TimetableTrip } from './month-telemetry.js'

export interface StoredFleetDay {
  positions: number
  events: number
  scans: number
  /** What the buses drove: what the day's aggregates' km should come to. */
  drivenM: number
}

/**
 * One school day of every bus of the timetable (generateBusDay), written to the store by COPY:
 * fixes, events, scans and trip ends, as the platform's parts would have stored them.
 */
export async function storeFleetDay(
  db: Database,
  timetable: ReadonlyMap<string, TimetableTrip[]>,
  random: SeededRandom,
  date: string,
  options: TelemetryOptions,
): Promise<StoredFleetDay> {
  const day = { positions: [] as CopyValue[][], events: [] as CopyValue[][], scans: [] as CopyValue[][] }
  const runs: CopyValue[][] = []
  let drivenM = 0
  for (const [busId, trips] of timetable) {
    const bus = generateBusDay(random.fork(`${busId}/${date}`), date, trips, options)
    // push(...rows) would overflow the stack on a long day of fixes.
    for (const [into, rows] of [
      [day.positions, bus.positions],
      [day.events, bus.events],
      [day.scans, bus.scans],
      [runs, bus.runs],
    ] as const) {
      for (const row of rows) into.push(row)
    }
    drivenM += bus.drivenM
  }
  await copyRows(db, 'positions', 'bus_id, ts, lat, lon, speed_kmh, accuracy_m, ignition', day.positions)
  await copyRows(db, 'events', 'bus_id, kind, ts, trip_id, details', day.events)
  await copyRows(
    db,
    'boarding_events',
    'id, trip_id, service_date, pupil_id, action, stop_id, scanned_at, recorded_by',
    day.scans,
  )
  await copyRows(db, 'trip_runs', 'trip_id, service_date, ended_at, ended_by, confirmed_empty', runs)
  return {
    positions: day.positions.length,
    events: day.events.length,
    scans: day.scans.length,
    drivenM,
  }
}

/** COPYs rows in chunks, so that a day's fixes are never one huge string. */
async function copyRows(db: Database, table: string, columns: string, rows: readonly CopyValue[][]) {
  const chunk = 50_000
  for (let at = 0; at < rows.length; at += chunk) {
    await db.copyFrom(`COPY ${table} (${columns}) FROM STDIN`, encodeCopyText(rows.slice(at, at + chunk)))
  }
}
