import { parseGtfsRows } from '../../geo/gtfs/gtfs-rows.js'

/** One vehicle position of a GTFS-realtime feed, flattened. */
export interface AvlPing {
  tripId: string
  /** The service day the trip runs on, GTFS YYYYMMDD; empty when the feed does not say. */
  startDate: string
  vehicleId: string
  atMs: number
  lat: number
  lon: number
  speedKmh: number
  /** GTFS-realtime VehicleStopStatus: 0 incoming at, 1 stopped at, 2 in transit to. */
  status: number
  /** The stop the status is about. */
  stopId: string
  /** That stop's stop_sequence in the trip, as the feed gives it; null when it gives none. */
  stopSequence: number | null
}

/**
 * `vehicle-positions.csv`: one row per ping, columns named after the feed's fields
 * (`vehicle.trip.trip_id`, `vehicle.position.latitude`, …; speed in m/s, timestamp in unix
 * seconds). Rows without a trip, a place or a time say nothing about a trip's arrivals and are left out.
 */
export function parseAvlPings(text: string): AvlPing[] {
  const rows = parseGtfsRows(text)
  const pings: AvlPing[] = []
  for (const row of rows) {
    const number = (name: string) => (row[name] === undefined || row[name] === '' ? NaN : Number(row[name]))
    const ping: AvlPing = {
      tripId: row['vehicle.trip.trip_id'] ?? '',
      startDate: row['vehicle.trip.start_date'] ?? '',
      vehicleId: row['vehicle.vehicle.id'] ?? '',
      atMs: number('vehicle.timestamp') * 1000,
      lat: number('vehicle.position.latitude'),
      lon: number('vehicle.position.longitude'),
      speedKmh: (number('vehicle.position.speed') || 0) * 3.6,
      status: number('vehicle.current_status'),
      stopId: row['vehicle.stop_id'] ?? '',
      stopSequence: Number.isFinite(number('vehicle.current_stop_sequence'))
        ? number('vehicle.current_stop_sequence')
        : null,
    }
    if (ping.tripId && Number.isFinite(ping.atMs) && Number.isFinite(ping.lat) && Number.isFinite(ping.lon)) {
      pings.push(ping)
    }
  }
  return pings
}
