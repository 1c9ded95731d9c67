import { GeoError, type GeoErrorCode } from '../geo-error.js'
import type { OsrmError } from './osrm-responses.js'

const CODE_OF: Record<string, GeoErrorCode> = {
  InvalidUrl: 'invalid_input',
  InvalidService: 'invalid_input',
  InvalidVersion: 'invalid_input',
  InvalidOptions: 'invalid_input',
  InvalidQuery: 'invalid_input',
  InvalidValue: 'invalid_input',
  NoSegment: 'outside_network',
  TooBig: 'too_large',
  NoRoute: 'no_route',
  NoMatch: 'no_route',
  NoTrips: 'no_route',
  NoTable: 'no_route',
}

/**
 * The GeoError for an OSRM error answer. OSRM names the offending coordinate only in its message
 * ("Could not find a matching segment for coordinate 1"), which becomes the field.
 */
export function toGeoError(error: OsrmError, fieldOfCoordinate: (index: number) => string): GeoError {
  const code = CODE_OF[error.code] ?? 'router_unavailable'
  const coordinate = /coordinate (\d+)/.exec(error.message ?? '')
  const field = coordinate ? fieldOfCoordinate(Number(coordinate[1])) : undefined
  const message = `OSRM ${error.code}: ${error.message ?? 'no message'}`
  return new GeoError(code, field ? `${field}: ${message}` : message, field ? { field } : {})
}
