import type { z } from 'zod'
import type { LatLon, LonLatPosition } from '../lat-lon.js'
import {
  DEFAULT_GPS_ACCURACY_M,
  type DurationTable,
  type MatchedTrace,
  type NearestPoint,
  type Route,
  type Router,
  type SnappedPoint,
} from './router.js'
import { GeoError } from '../geo-error.js'
import { requestOsrm } from './osrm-http.js'
import { toGeoError } from './osrm-errors.js'
import { decodePolyline } from './polyline.js'
import {
  osrmErrorSchema,
  osrmMatchSchema,
  osrmNearestSchema,
  osrmRouteSchema,
  osrmTableSchema,
  type OsrmWaypoint,
} from './osrm-responses.js'
import {
  MAX_NEAREST_CANDIDATES,
  resolveIndexes,
  validateCount,
  validatePoint,
  validatePointList,
  validateRadius,
  validateTrace,
} from './validate-points.js'

export interface OsrmRouterOptions {
  /** Where the OSRM server answers, e.g. http://osrm:5000 */
  baseUrl: string
  /** The profile segment of the URL; OSRM serves whichever profile it was built with. */
  profile?: string
  timeoutMs?: number
  /** Further attempts after a network error, a timeout or a 5xx. */
  retries?: number
  /** How route and match geometry travels: polyline6 is a fraction of GeoJSON's size. */
  geometries?: 'geojson' | 'polyline6'
  /**
   * Answers placing a point farther than this from where it was asked are refused when a call
   * gives no radius: OSRM itself snaps any point, however far, when it is sent no radius.
   */
  defaultRadiusM?: number
  fetch?: typeof fetch
  sleep?: (ms: number) => Promise<void>
}

export interface OsrmRouter extends Router {
  readonly engine: 'osrm'
}

/** A Router over an OSRM server's v5 HTTP API (/nearest, /route, /table, /match). */
export function createOsrmRouter(options: OsrmRouterOptions): OsrmRouter {
  const profile = encodeURIComponent(options.profile ?? 'driving')
  const geometries = options.geometries ?? 'polyline6'
  const defaultRadiusM = options.defaultRadiusM ?? 1000
  validateRadius(defaultRadiusM, 'defaultRadiusM')
  const http = {
    fetch: options.fetch ?? fetch,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    timeoutMs: options.timeoutMs ?? 10_000,
    retries: options.retries ?? 2,
  }
  const baseUrl = options.baseUrl.replace(/\/+$/, '')

  async function call<T>(
    service: string,
    points: readonly LatLon[],
    query: [string, string][],
    schema: z.ZodType<T>,
    fieldOfCoordinate: (index: number) => string,
  ): Promise<T> {
    const coordinates = points
      .map((point) => `${formatDegrees(point.lon)},${formatDegrees(point.lat)}`)
      .join(';')
    const search = query.map(([key, value]) => `${key}=${value}`).join('&')
    const url = `${baseUrl}/${service}/v1/${profile}/${coordinates}${search ? `?${search}` : ''}`
    const answer = await requestOsrm(url, http)
    const parsed = schema.safeParse(answer.body)
    if (parsed.success) return parsed.data
    const error = osrmErrorSchema.safeParse(answer.body)
    if (error.success && error.data.code !== 'Ok') throw toGeoError(error.data, fieldOfCoordinate)
    throw new GeoError(
      'router_unavailable',
      `OSRM ${service} answered HTTP ${answer.status} in an unexpected shape`,
      { cause: parsed.error },
    )
  }

  const pointsField = (index: number) => `points[${index}]`
  const toSnapped = (
    waypoints: OsrmWaypoint[],
    radiusM: number | undefined,
    fieldOf: (i: number) => string,
  ) => {
    const limitM = radiusM ?? defaultRadiusM
    return waypoints.map((waypoint, i) => {
      if (waypoint.distance > limitM) {
        throw new GeoError(
          'outside_network',
          `${fieldOf(i)}: nearest road is ${Math.round(waypoint.distance)} m away`,
          { field: fieldOf(i) },
        )
      }
      return toSnappedPoint(waypoint)
    })
  }
  const radiusQuery = (radiusM: number | undefined, count: number): [string, string][] =>
    radiusM === undefined ? [] : [['radiuses', Array(count).fill(formatMetres(radiusM)).join(';')]]

  return {
    engine: 'osrm',

    async nearest(point, nearestOptions = {}): Promise<NearestPoint> {
      validatePoint(point, 'point')
      validateCount(nearestOptions.number, 'number', MAX_NEAREST_CANDIDATES)
      validateRadius(nearestOptions.radiusM)
      const query: [string, string][] =
        nearestOptions.number === undefined ? [] : [['number', `${nearestOptions.number}`]]
      query.push(...radiusQuery(nearestOptions.radiusM, 1))
      const answer = await call('nearest', [point], query, osrmNearestSchema, () => 'point')
      const [first, ...others] = answer.waypoints
      const limitM = nearestOptions.radiusM ?? defaultRadiusM
      const [nearest] = toSnapped([first!], limitM, () => 'point')
      return { ...nearest!, alternatives: others.filter((w) => w.distance <= limitM).map(toSnappedPoint) }
    },

    async route(points, routeOptions = {}): Promise<Route> {
      validatePointList(points, { field: 'points', minCount: 2, refuseRepeats: true })
      validateRadius(routeOptions.radiusM)
      const query: [string, string][] = [
        ['overview', 'full'],
        ['geometries', geometries],
        ...radiusQuery(routeOptions.radiusM, points.length),
      ]
      const answer = await call('route', points, query, osrmRouteSchema, pointsField)
      const waypoints = toSnapped(answer.waypoints, routeOptions.radiusM, pointsField)
      const route = answer.routes[0]!
      return {
        distanceM: route.distance,
        durationS: route.duration,
        geometry: { type: 'LineString', coordinates: readGeometry(route.geometry) },
        legs: route.legs.map((leg) => ({ distanceM: leg.distance, durationS: leg.duration })),
        waypoints,
      }
    },

    async table(points, tableOptions = {}): Promise<DurationTable> {
      validatePointList(points, { field: 'points', minCount: 2, refuseRepeats: false })
      validateRadius(tableOptions.radiusM)
      const sourceIndexes = resolveIndexes(tableOptions.sources, points.length, 'sources')
      const destinationIndexes = resolveIndexes(tableOptions.destinations, points.length, 'destinations')
      const query: [string, string][] = []
      if (tableOptions.sources !== undefined) query.push(['sources', sourceIndexes.join(';')])
      if (tableOptions.destinations !== undefined) query.push(['destinations', destinationIndexes.join(';')])
      query.push(['annotations', 'duration,distance'], ...radiusQuery(tableOptions.radiusM, points.length))
      const answer = await call('table', points, query, osrmTableSchema, pointsField)
      return {
        durationsS: answer.durations,
        distancesM: answer.distances,
        sources: toSnapped(answer.sources, tableOptions.radiusM, (i) => pointsField(sourceIndexes[i]!)),
        destinations: toSnapped(answer.destinations, tableOptions.radiusM, (i) =>
          pointsField(destinationIndexes[i]!),
        ),
      }
    },

    async match(trace, matchOptions = {}): Promise<MatchedTrace> {
      validateTrace(trace)
      validateRadius(matchOptions.radiusM)
      const query: [string, string][] = []
      if (trace[0]!.timestampS !== undefined) {
        query.push(['timestamps', trace.map((fix) => Math.round(fix.timestampS!)).join(';')])
      }
      const accuracies = trace.map((fix) => fix.accuracyM ?? matchOptions.radiusM ?? DEFAULT_GPS_ACCURACY_M)
      query.push(
        ['radiuses', accuracies.map(formatMetres).join(';')],
        ['geometries', geometries],
        ['overview', 'full'],
      )
      const answer = await call('match', trace, query, osrmMatchSchema, (i) => `trace[${i}]`)
      const coordinates = answer.matchings.flatMap((matching) => readGeometry(matching.geometry))
      const distanceM = answer.matchings.reduce((sum, matching) => sum + matching.distance, 0)
      return {
        tracepoints: answer.tracepoints.map((point) => (point ? toSnappedPoint(point) : null)),
        geometry: { type: 'LineString', coordinates },
        distanceM,
        durationS: answer.matchings.reduce((sum, matching) => sum + matching.duration, 0),
        confidence:
          distanceM === 0
            ? 0
            : answer.matchings.reduce((sum, matching) => sum + matching.confidence * matching.distance, 0) /
              distanceM,
      }
    },
  }

  function readGeometry(geometry: string | { coordinates: LonLatPosition[] }): LonLatPosition[] {
    if (typeof geometry !== 'string') return geometry.coordinates
    if (geometries !== 'polyline6') {
      throw new GeoError('router_unavailable', 'OSRM sent an encoded polyline where GeoJSON was asked for')
    }
    try {
      return decodePolyline(geometry, 6)
    } catch (cause) {
      throw new GeoError('router_unavailable', 'OSRM sent an unreadable polyline', { cause })
    }
  }
}

function toSnappedPoint(waypoint: OsrmWaypoint): SnappedPoint {
  const [lon, lat] = waypoint.location
  return {
    location: { lat, lon },
    distanceM: waypoint.distance,
    ...(waypoint.name ? { name: waypoint.name } : {}),
  }
}

/** Six decimals of a degree are 0.1 m, finer than any road position OSRM returns. */
function formatDegrees(value: number): string {
  return String(Number(value.toFixed(6)))
}

function formatMetres(value: number): string {
  return String(Number(value.toFixed(1)))
}
