import type { LatLon } from '../lat-lon.js'
import type { TraceFix } from './router.js'
import { GeoError } from '../geo-error.js'
import { M_PER_DEG } from './earth-distance.js'

/** The area a router covers, to tell a point far away from a point with lat and lon swapped. */
export interface CoveredArea {
  minLat: number
  maxLat: number
  minLon: number
  maxLon: number
}

/** The most nearest candidates one call may ask for, as OSRM's default `--max-nearest-size` allows. */
export const MAX_NEAREST_CANDIDATES = 100

function invalid(field: string, message: string): GeoError {
  return new GeoError('invalid_input', `${field}: ${message}`, { field })
}

export function validatePoint(point: LatLon, field: string): void {
  if (typeof point !== 'object' || point === null) throw invalid(field, 'expected a point { lat, lon }')
  const { lat, lon } = point
  if (typeof lat !== 'number' || !Number.isFinite(lat))
    throw invalid(field, `lat ${String(lat)} is not a finite number`)
  if (typeof lon !== 'number' || !Number.isFinite(lon))
    throw invalid(field, `lon ${String(lon)} is not a finite number`)
  if (Math.abs(lat) <= 90 && Math.abs(lon) <= 180) return
  const swappedFits = Math.abs(lon) <= 90 && Math.abs(lat) <= 180
  throw invalid(
    field,
    `lat ${lat}, lon ${lon} is out of range (lat within ±90, lon within ±180)` +
      (swappedFits ? '; lat and lon look swapped' : ''),
  )
}

/**
 * A point outside the covered area (grown by `marginM`) is refused: as swapped when it would lie
 * inside with lat and lon exchanged, else as outside the network.
 */
export function checkPointInArea(point: LatLon, field: string, area: CoveredArea, marginM: number): void {
  if (isInArea(point.lat, point.lon, area, marginM)) return
  if (isInArea(point.lon, point.lat, area, marginM)) {
    throw invalid(
      field,
      `lat ${point.lat}, lon ${point.lon} lies outside the road network, but inside it with lat and lon swapped`,
    )
  }
  throw new GeoError(
    'outside_network',
    `${field}: lat ${point.lat}, lon ${point.lon} lies outside the road network's area`,
    { field },
  )
}

function isInArea(lat: number, lon: number, area: CoveredArea, marginM: number): boolean {
  const marginLat = marginM / M_PER_DEG
  const marginLon = marginM / (M_PER_DEG * Math.max(0.01, Math.cos((lat * Math.PI) / 180)))
  return (
    lat >= area.minLat - marginLat &&
    lat <= area.maxLat + marginLat &&
    lon >= area.minLon - marginLon &&
    lon <= area.maxLon + marginLon
  )
}

/**
 * A list of points: at least `minCount`, each valid; where a path runs through them in order,
 * the same point twice in a row is refused, as it asks for a leg of nothing.
 */
export function validatePointList(
  points: readonly LatLon[],
  options: { field: string; minCount: number; refuseRepeats: boolean },
): void {
  if (!Array.isArray(points)) throw invalid(options.field, 'expected a list of points')
  if (points.length < options.minCount) {
    throw invalid(options.field, `needs at least ${options.minCount} points, got ${points.length}`)
  }
  points.forEach((point, i) => {
    const field = `${options.field}[${i}]`
    validatePoint(point, field)
    const previous = points[i - 1]
    if (options.refuseRepeats && previous && previous.lat === point.lat && previous.lon === point.lon) {
      throw invalid(field, `repeats ${options.field}[${i - 1}]`)
    }
  })
}

/** `sources` or `destinations` of a table: distinct indexes into the points; all when omitted. */
export function resolveIndexes(
  indexes: readonly number[] | undefined,
  pointCount: number,
  field: string,
): number[] {
  if (indexes === undefined) return Array.from({ length: pointCount }, (_, i) => i)
  if (!Array.isArray(indexes) || indexes.length === 0)
    throw invalid(field, 'expected a non-empty list of point indexes')
  const seen = new Set<number>()
  indexes.forEach((index, k) => {
    if (!Number.isInteger(index) || index < 0 || index >= pointCount) {
      throw invalid(`${field}[${k}]`, `${String(index)} is not an index into the ${pointCount} points`)
    }
    if (seen.has(index)) throw invalid(`${field}[${k}]`, `index ${index} is listed twice`)
    seen.add(index)
  })
  return [...indexes]
}

export function validateRadius(radiusM: number | undefined, field = 'radiusM'): void {
  if (radiusM === undefined) return
  if (typeof radiusM !== 'number' || !Number.isFinite(radiusM) || radiusM <= 0) {
    throw invalid(field, `${String(radiusM)} is not a positive number of metres`)
  }
}

export function validateCount(count: number | undefined, field: string, max: number): void {
  if (count === undefined) return
  if (!Number.isInteger(count) || count < 1 || count > max)
    throw invalid(field, `${String(count)} is not a whole number from 1 to ${max}`)
}

/** A GPS trace: valid fixes, timestamps on all fixes or none and never going back, accuracies positive. */
export function validateTrace(trace: readonly TraceFix[]): void {
  validatePointList(trace, { field: 'trace', minCount: 2, refuseRepeats: false })
  const timed = trace.filter((fix) => fix.timestampS !== undefined).length
  if (timed !== 0 && timed !== trace.length)
    throw invalid('trace', 'timestampS must be given on every fix or on none')
  trace.forEach((fix, i) => {
    validateRadius(fix.accuracyM, `trace[${i}].accuracyM`)
    if (fix.timestampS === undefined) return
    if (!Number.isFinite(fix.timestampS)) throw invalid(`trace[${i}].timestampS`, 'is not a finite number')
    const previous = trace[i - 1]?.timestampS
    if (previous !== undefined && fix.timestampS < previous)
      throw invalid(`trace[${i}].timestampS`, 'goes back in time')
  })
}
