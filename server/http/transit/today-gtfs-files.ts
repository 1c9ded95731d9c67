import {
  defaultAgencyUrl,
  formatGtfsCoordinate,
  gtfsLanguage,
  gtfsTimezone,
  toGtfsCsv,
  toGtfsDate,
} from '../../../geo/gtfs/gtfs-csv.js'
import type { LonLatPosition } from '../../../geo/lat-lon.js'
import { formatDayTime } from '../../../geo/planner/format-day-time.js'
import type { TransitLine, TransitServiceDay } from '../../core/store/transit-service-queries.js'

export interface TodayGtfsOptions {
  /** Who publishes the feed (feed_info), and the agency of a line whose operator is not known. */
  publisherName: string
  publisherUrl?: string
}

export const defaultTodayGtfsOptions: TodayGtfsOptions = { publisherName: '慈溪市教育局' }

const kindLabel: Record<TransitLine['kind'], string> = { micro_bus: '微公交', custom_bus: '定制公交' }

/**
 * One service day of the micro-bus and custom-bus lines as a static GTFS feed (file name → CSV):
 * each operator an agency, each line a bus route, each trip on a service of that day alone, its
 * stop_times in local times as the registers hold them, its shape the road geometry where it is
 * known (`shapes`, by trip id; trips driving the same road share one shape). stop_sequence is the
 * call's seq, as the realtime feeds give it. Nothing in it names or locates a person.
 */
export function buildTodayGtfsFiles(
  service: TransitServiceDay,
  shapes: ReadonlyMap<string, readonly LonLatPosition[]>,
  options: TodayGtfsOptions = defaultTodayGtfsOptions,
): Record<string, string> {
  const day = toGtfsDate(service.date)
  const publisherUrl = options.publisherUrl ?? defaultAgencyUrl
  const agencyOfLine = new Map<string, string>()
  for (const line of service.lines) {
    const busOperators = service.trips
      .filter((trip) => trip.lineId === line.id && trip.busOperator)
      .map((trip) => trip.busOperator!)
      .sort()
    agencyOfLine.set(line.id, line.operator ?? busOperators[0] ?? options.publisherName)
  }
  const agencies = [...new Set(agencyOfLine.values())].sort()
  if (agencies.length === 0) agencies.push(options.publisherName)

  const stopName = new Map(service.stops.map((stop) => [stop.id, stop.name]))
  const shapeOfTrip = new Map<string, string>()
  const shapeByRoad = new Map<string, string>()
  const shapeRows: (string | number)[][] = []
  for (const trip of service.trips) {
    const coordinates = shapes.get(trip.id)
    if (!coordinates || coordinates.length < 2) continue
    const road = JSON.stringify(coordinates)
    let shapeId = shapeByRoad.get(road)
    if (!shapeId) {
      shapeId = trip.id
      shapeByRoad.set(road, shapeId)
      coordinates.forEach(([lon, lat], k) =>
        shapeRows.push([shapeId!, formatGtfsCoordinate(lat), formatGtfsCoordinate(lon), k + 1]),
      )
    }
    shapeOfTrip.set(trip.id, shapeId)
  }

  const files: Record<string, string> = {
    'agency.txt': toGtfsCsv(
      ['agency_id', 'agency_name', 'agency_url', 'agency_timezone', 'agency_lang'],
      agencies.map((name) => [name, name, publisherUrl, gtfsTimezone, gtfsLanguage]),
    ),
    'stops.txt': toGtfsCsv(
      ['stop_id', 'stop_name', 'stop_lat', 'stop_lon'],
      service.stops.map((stop) => [
        stop.id,
        stop.name,
        formatGtfsCoordinate(stop.lat),
        formatGtfsCoordinate(stop.lon),
      ]),
    ),
    'routes.txt': toGtfsCsv(
      ['route_id', 'agency_id', 'route_short_name', 'route_long_name', 'route_desc', 'route_type'],
      // A micro-bus line goes by its number (微1), a custom-bus line by its ends.
      service.lines.map((line) => [
        line.id,
        agencyOfLine.get(line.id)!,
        line.kind === 'micro_bus' ? line.name : '',
        line.kind === 'micro_bus' ? '' : line.name,
        kindLabel[line.kind],
        3,
      ]),
    ),
    'trips.txt': toGtfsCsv(
      ['route_id', 'service_id', 'trip_id', 'trip_headsign', 'direction_id', 'shape_id'],
      service.trips.map((trip) => [
        trip.lineId,
        day,
        trip.id,
        stopName.get(trip.calls.at(-1)?.stopId ?? '') ?? '',
        trip.direction === 'to_school' ? 0 : 1,
        shapeOfTrip.get(trip.id) ?? '',
      ]),
    ),
    'stop_times.txt': toGtfsCsv(
      ['trip_id', 'arrival_time', 'departure_time', 'stop_id', 'stop_sequence'],
      service.trips.flatMap((trip) =>
        trip.calls.map((call) => [
          trip.id,
          formatDayTime(call.arriveS),
          formatDayTime(call.departS),
          call.stopId,
          call.seq,
        ]),
      ),
    ),
    'calendar_dates.txt': toGtfsCsv(['service_id', 'date', 'exception_type'], [[day, day, 1]]),
    'feed_info.txt': toGtfsCsv(
      ['feed_publisher_name', 'feed_publisher_url', 'feed_lang', 'feed_start_date', 'feed_end_date'],
      [[options.publisherName, publisherUrl, gtfsLanguage, day, day]],
    ),
  }
  if (shapeRows.length > 0) {
    files['shapes.txt'] = toGtfsCsv(
      ['shape_id', 'shape_pt_lat', 'shape_pt_lon', 'shape_pt_sequence'],
      shapeRows,
    )
  }
  return files
}
