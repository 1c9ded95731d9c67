import { parseGtfsRows, requiredField } from './gtfs-rows.js'

export interface GtfsTrip {
  tripId: string
  routeId: string
  serviceId: string
  /** Empty where the feed gives none. */
  shapeId: string
  directionId: string
  headsign: string
  blockId: string
}

/** `trips.txt`: each trip with its route, calendar, shape and direction. */
export function parseGtfsTrips(text: string): GtfsTrip[] {
  return parseGtfsRows(text).map((row) => ({
    tripId: requiredField(row, 'trip_id', 'trips.txt'),
    routeId: requiredField(row, 'route_id', 'trips.txt'),
    serviceId: requiredField(row, 'service_id', 'trips.txt'),
    shapeId: row.shape_id ?? '',
    directionId: row.direction_id ?? '',
    headsign: row.trip_headsign ?? '',
    blockId: row.block_id ?? '',
  }))
}
