import { parseGtfsRows, requiredField, requiredNumber } from './gtfs-rows.js'

export interface GtfsStop {
  stopId: string
  name: string
  lat: number
  lon: number
}

/** `stops.txt`: the places the trips call at. */
export function parseGtfsStops(text: string): GtfsStop[] {
  return parseGtfsRows(text).map((row) => ({
    stopId: requiredField(row, 'stop_id', 'stops.txt'),
    name: row.stop_name ?? '',
    lat: requiredNumber(row, 'stop_lat', 'stops.txt'),
    lon: requiredNumber(row, 'stop_lon', 'stops.txt'),
  }))
}
