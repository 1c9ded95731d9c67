import type { LatLon, LonLatPosition } from '../lat-lon.js'

export interface RouteLeg {
  distanceM: number
  durationS: number
}

export interface Route {
  distanceM: number
  durationS: number
  /** The path on the roads, GeoJSON order. */
  geometry: { type: 'LineString'; coordinates: LonLatPosition[] }
  /** One leg between each consecutive pair of input points. */
  legs: RouteLeg[]
  /** Where each input point was placed on the road network, with how far it was moved. */
  waypoints: SnappedPoint[]
}

export interface SnappedPoint {
  location: LatLon
  distanceM: number
  name?: string
}

export interface DurationTable {
  /** durationsS[i][j]: from sources[i] to destinations[j]; null where no path exists. */
  durationsS: (number | null)[][]
  distancesM: (number | null)[][]
  sources: SnappedPoint[]
  destinations: SnappedPoint[]
}

export interface SnapOptions {
  /** Refuse a point farther than this from any road. */
  radiusM?: number
}

export interface NearestOptions extends SnapOptions {
  /** How many candidates to find, nearest first (OSRM's `number`); 1 when omitted. */
  number?: number
}

export interface NearestPoint extends SnappedPoint {
  /** The next candidates on other road segments, nearest first: at most `number - 1`. */
  alternatives: SnappedPoint[]
}

export interface TableOptions extends SnapOptions {
  /** Indexes into `points` of the rows; all points when omitted. */
  sources?: number[]
  /** Indexes into `points` of the columns; all points when omitted. */
  destinations?: number[]
}

export interface MatchedTrace {
  /** Per input fix: where it was matched, or null when it could not be. */
  tracepoints: (SnappedPoint | null)[]
  geometry: { type: 'LineString'; coordinates: LonLatPosition[] }
  distanceM: number
  durationS: number
  /** From 0 to 1, how well the trace fits the roads; each engine computes its own. */
  confidence: number
}

/** GPS accuracy both engines assume for a fix with neither its own `accuracyM` nor a `radiusM`. */
export const DEFAULT_GPS_ACCURACY_M = 10

export interface TraceFix extends LatLon {
  /** Epoch seconds. */
  timestampS?: number
  accuracyM?: number
}

/**
 * Road routing, one interface for two engines: the embedded graph router and an OSRM server.
 * Every method rejects with a GeoError on bad input, on a point outside the network and when the
 * engine is unavailable.
 */
export interface Router {
  readonly engine: 'graph' | 'osrm'
  route(points: LatLon[], options?: SnapOptions): Promise<Route>
  table(points: LatLon[], options?: TableOptions): Promise<DurationTable>
  nearest(point: LatLon, options?: NearestOptions): Promise<NearestPoint>
  /**
   * Map-matches a GPS trace. Here `radiusM` is the GPS accuracy assumed for fixes without their
   * own `accuracyM` (OSRM's `radiuses`): a fix farther than three times its accuracy from every
   * road stays unmatched (null).
   */
  match(trace: TraceFix[], options?: SnapOptions): Promise<MatchedTrace>
}
