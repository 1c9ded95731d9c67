import { GeoError } from '../geo-error.js'
import {
  defaultAgencyUrl,
  formatGtfsCoordinate as coordinate,
  gtfsLanguage,
  gtfsTimezone,
  toGtfsCsv as toCsv,
} from '../gtfs/gtfs-csv.js'
import type { LatLon } from '../lat-lon.js'
import type { PlanInput, PlanResult } from './plan-model.js'
import { formatDayTime } from './format-day-time.js'

export { quoteCsvField } from '../gtfs/gtfs-csv.js'

export interface GtfsFeedOptions {
  agencyName: string
  /** GTFS dates, YYYYMMDD: the school term the timetable holds for. */
  startDate: string
  endDate: string
  /** The agency's web site, which GTFS requires. */
  agencyUrl?: string
}

const AGENCY_ID = 'school-transport'
const SERVICE_ID = 'school-days'

/**
 * The plan as a GTFS feed (file name → CSV text): every line a bus route, every trip on the
 * school-day calendar (Monday to Friday between the dates), each trip's shape its line's road
 * geometry, reversed for a micro-bus line's runs home. Schools and hubs are stops like the
 * planned ones; times past midnight keep counting hours, as GTFS allows.
 */
export function buildGtfsFeed(
  result: PlanResult,
  input: PlanInput,
  options: GtfsFeedOptions,
): Record<string, string> {
  for (const field of ['startDate', 'endDate'] as const) {
    if (!/^\d{8}$/.test(options[field])) {
      throw new GeoError('invalid_input', `${field} must be a GTFS date YYYYMMDD`, { field })
    }
  }
  if (options.startDate > options.endDate) {
    throw new GeoError('invalid_input', 'startDate is after endDate', { field: 'startDate' })
  }
  const places = new Map<string, { name: string; location: LatLon }>()
  for (const school of input.schools) places.set(school.id, school)
  for (const hub of input.hubs) places.set(hub.id, hub)
  for (const stop of result.stops) places.set(stop.id, stop)
  const used = new Set(result.trips.flatMap((trip) => trip.stops.map((stop) => stop.stopId)))
  const lineById = new Map(result.lines.map((line) => [line.id, line]))
  const shapeOf = (lineId: string, direction: 'to_school' | 'from_school') => {
    const line = lineById.get(lineId)!
    return line.kind === 'micro_bus' && direction === 'from_school' ? `${lineId}-home` : lineId
  }
  const shapes = new Map<string, [number, number][]>()
  for (const trip of result.trips) {
    const shapeId = shapeOf(trip.lineId, trip.direction)
    if (shapes.has(shapeId)) continue
    const coordinates = lineById.get(trip.lineId)!.geometry.coordinates
    shapes.set(shapeId, shapeId === trip.lineId ? coordinates : [...coordinates].reverse())
  }
  return {
    'agency.txt': toCsv(
      ['agency_id', 'agency_name', 'agency_url', 'agency_timezone', 'agency_lang'],
      [[AGENCY_ID, options.agencyName, options.agencyUrl ?? defaultAgencyUrl, gtfsTimezone, gtfsLanguage]],
    ),
    'stops.txt': toCsv(
      ['stop_id', 'stop_name', 'stop_lat', 'stop_lon'],
      [...used].sort().map((id) => {
        const place = places.get(id)
        if (!place)
          throw new GeoError('invalid_input', `trip stop ${id} is not a stop, school or hub`, {
            field: 'stopId',
          })
        return [id, place.name, coordinate(place.location.lat), coordinate(place.location.lon)]
      }),
    ),
    'routes.txt': toCsv(
      ['route_id', 'agency_id', 'route_short_name', 'route_long_name', 'route_type'],
      result.lines.map((line) => [line.id, AGENCY_ID, line.id, line.name, 3]),
    ),
    'trips.txt': toCsv(
      ['route_id', 'service_id', 'trip_id', 'direction_id', 'shape_id'],
      result.trips.map((trip) => [
        trip.lineId,
        SERVICE_ID,
        trip.id,
        trip.direction === 'to_school' ? 0 : 1,
        shapeOf(trip.lineId, trip.direction),
      ]),
    ),
    'stop_times.txt': toCsv(
      ['trip_id', 'arrival_time', 'departure_time', 'stop_id', 'stop_sequence'],
      result.trips.flatMap((trip) =>
        trip.stops.map((stop, k) => [
          trip.id,
          formatDayTime(stop.arriveS),
          formatDayTime(stop.departS),
          stop.stopId,
          k + 1,
        ]),
      ),
    ),
    'shapes.txt': toCsv(
      ['shape_id', 'shape_pt_lat', 'shape_pt_lon', 'shape_pt_sequence'],
      [...shapes].flatMap(([shapeId, coordinates]) =>
        coordinates.map(([lon, lat], k) => [shapeId, coordinate(lat), coordinate(lon), k + 1]),
      ),
    ),
    'calendar.txt': toCsv(
      [
        'service_id',
        'monday',
        'tuesday',
        'wednesday',
        'thursday',
        'friday',
        'saturday',
        'sunday',
        'start_date',
        'end_date',
      ],
      [[SERVICE_ID, 1, 1, 1, 1, 1, 0, 0, options.startDate, options.endDate]],
    ),
    'feed_info.txt': toCsv(
      ['feed_publisher_name', 'feed_publisher_url', 'feed_lang', 'feed_start_date', 'feed_end_date'],
      [
        [
          options.agencyName,
          options.agencyUrl ?? defaultAgencyUrl,
          gtfsLanguage,
          options.startDate,
          options.endDate,
        ],
      ],
    ),
  }
}
