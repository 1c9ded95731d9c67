import type { LatLon, LonLatPosition } from '../lat-lon.js'
import { createLocalProjection, haversineM, type LocalProjection } from '../routing/earth-distance.js'
import type { Router } from '../routing/router.js'

export interface TripRouteStopInput extends LatLon {
  seq: number
  stopId: string
}

export interface TripRouteStop extends TripRouteStopInput {
  /** Where the stop lies along the route, from its start. */
  alongM: number
  /** How far the stop is from the road the route takes. */
  offsetM: number
}

/**
 * A trip's path on the roads, through its stops in order, measured for tracking: a bus's progress
 * is a distance along this line, not a position on the nearest road.
 */
export interface TripRoute {
  stops: TripRouteStop[]
  lengthM: number
  /** The router's driving time for each leg, stop i to stop i + 1. */
  legRouterS: number[]
  legDistanceM: number[]
  /** Per vertex, in `projection`'s metres, with the distance from the start. */
  xM: Float64Array
  yM: Float64Array
  alongM: Float64Array
  projection: LocalProjection
  /**
   * The router's driving time from the start to places along the route (increasing distances),
   * at the stops and between them: a leg over a fast road and then a slow one is not half driven
   * at half its length.
   */
  timeline: { alongM: number[]; routerS: number[] }
  /** The same line as GeoJSON, for the map. */
  geometry: { type: 'LineString'; coordinates: LonLatPosition[] }
}

export interface BuildTripRouteOptions {
  /** Spacing of the places between stops where the router's time is asked for. */
  timelineStepM?: number
}

/**
 * Routes through the stops in order and measures the result, then asks the router once more, via
 * places every `timelineStepM` along the way, how its time accrues along each leg. Consecutive
 * stops at the same spot share one place on the route and a zero leg, since a router refuses a
 * repeated point.
 */
export async function buildTripRoute(
  stops: TripRouteStopInput[],
  router: Router,
  options: BuildTripRouteOptions = {},
): Promise<TripRoute> {
  if (stops.length < 2) throw new RangeError(`a trip needs at least two stops, got ${stops.length}`)
  const distinct: number[] = []
  stops.forEach((stop, i) => {
    const previous = stops[distinct[distinct.length - 1] ?? -1]
    if (i === 0 || previous!.lat !== stop.lat || previous!.lon !== stop.lon) distinct.push(i)
  })
  const legRouterS = new Array<number>(stops.length - 1).fill(0)
  const legDistanceM = new Array<number>(stops.length - 1).fill(0)
  if (distinct.length < 2) {
    const only = stops[0]!
    return measureRoute(stops, [[only.lon, only.lat]], [0], legRouterS, legDistanceM)
  }
  const route = await router.route(distinct.map((i) => ({ lat: stops[i]!.lat, lon: stops[i]!.lon })))
  route.legs.forEach((leg, k) => {
    legRouterS[distinct[k + 1]! - 1] = leg.durationS
    legDistanceM[distinct[k + 1]! - 1] = leg.distanceM
  })
  const expected = stops.map((_, i) => legDistanceM.slice(0, i).reduce((sum, m) => sum + m, 0))
  const measured = measureRoute(stops, route.geometry.coordinates, expected, legRouterS, legDistanceM)
  await refineTimeline(measured, router, options.timelineStepM ?? 300)
  return measured
}

/**
 * A trip's route from a line already drawn (a GTFS shape) with no router: the stops are placed on
 * the line in order, each near where its share of the straight-line distance through the stops
 * puts it (a line that passes a street twice passes its stop twice), and each leg's time is the
 * given one, such as the timetable's running time, spread evenly along the leg.
 */
export function tripRouteFromLine(
  stops: TripRouteStopInput[],
  coordinates: LonLatPosition[],
  legTimeS: number[],
): TripRoute {
  if (stops.length < 2) throw new RangeError(`a trip needs at least two stops, got ${stops.length}`)
  if (coordinates.length < 2)
    throw new RangeError(`a line needs at least two points, got ${coordinates.length}`)
  if (legTimeS.length !== stops.length - 1) {
    throw new RangeError(`${legTimeS.length} leg times for ${stops.length} stops`)
  }
  const expected = [0]
  for (let i = 1; i < stops.length; i++) {
    const a = stops[i - 1]!
    const b = stops[i]!
    expected.push(expected[i - 1]! + haversineM(a.lat, a.lon, b.lat, b.lon))
  }
  const legDistanceM = new Array<number>(stops.length - 1).fill(0)
  const route = measureRoute(stops, coordinates, expected, [...legTimeS], legDistanceM)
  route.stops.forEach((stop, k) => {
    if (k > 0) legDistanceM[k - 1] = stop.alongM - route.stops[k - 1]!.alongM
  })
  return route
}

/** The router's time from the start of the route to a place `alongM` along it. */
export function routerSecondsAt(route: TripRoute, alongM: number): number {
  const { alongM: knotsM, routerS } = route.timeline
  if (alongM <= knotsM[0]!) return routerS[0]!
  const last = knotsM.length - 1
  if (alongM >= knotsM[last]!) return routerS[last]!
  let lo = 0
  let hi = last
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if (knotsM[mid]! <= alongM) lo = mid
    else hi = mid
  }
  const spanM = knotsM[hi]! - knotsM[lo]!
  const f = spanM > 0 ? (alongM - knotsM[lo]!) / spanM : 0
  return routerS[lo]! + f * (routerS[hi]! - routerS[lo]!)
}

function measureRoute(
  stops: TripRouteStopInput[],
  coordinates: LonLatPosition[],
  expectedAlongM: number[],
  legRouterS: number[],
  legDistanceM: number[],
): TripRoute {
  const [originLon, originLat] = coordinates[0]!
  const projection = createLocalProjection(originLat, originLon)
  const n = coordinates.length
  const xM = Float64Array.from(coordinates, ([lon]) => projection.xM(lon))
  const yM = Float64Array.from(coordinates, ([, lat]) => projection.yM(lat))
  const alongM = new Float64Array(n)
  for (let i = 1; i < n; i++)
    alongM[i] = alongM[i - 1]! + Math.hypot(xM[i]! - xM[i - 1]!, yM[i]! - yM[i - 1]!)
  const lengthM = alongM[n - 1]!
  const routerTotalM = expectedAlongM[expectedAlongM.length - 1]!
  const scale = routerTotalM > 0 ? lengthM / routerTotalM : 0
  const placed: TripRouteStop[] = []
  let fromM = 0
  stops.forEach((stop, i) => {
    const place = placeStop(
      { xM, yM, alongM },
      projection.xM(stop.lon),
      projection.yM(stop.lat),
      fromM,
      expectedAlongM[i]! * scale,
    )
    fromM = place.alongM
    placed.push({ ...stop, ...place })
  })
  let elapsedS = 0
  const timeline = { alongM: [placed[0]!.alongM], routerS: [0] }
  for (let k = 1; k < placed.length; k++) {
    elapsedS += legRouterS[k - 1]!
    timeline.alongM.push(placed[k]!.alongM)
    timeline.routerS.push(elapsedS)
  }
  return {
    stops: placed,
    lengthM,
    legRouterS,
    legDistanceM,
    xM,
    yM,
    alongM,
    projection,
    timeline,
    geometry: { type: 'LineString', coordinates },
  }
}

/**
 * Adds the router's time at places between the stops. A leg whose places the router does not
 * route through as the leg itself went (a place snapped to a neighbouring road) keeps its time
 * spread evenly; so does every leg if the router refuses the request, since the route itself stands.
 */
async function refineTimeline(route: TripRoute, router: Router, stepM: number): Promise<void> {
  const { stops } = route
  const points: LatLon[] = []
  /** Per leg, the places between its stops, by distance along the route. */
  const places: number[][] = []
  stops.forEach((stop, k) => {
    const previous = stops[k - 1]
    if (previous && (previous.lat !== stop.lat || previous.lon !== stop.lon)) {
      const legPlaces: number[] = []
      for (let m = previous.alongM + stepM; m < stop.alongM - stepM / 2; m += stepM) legPlaces.push(m)
      places.push(legPlaces)
      for (const m of legPlaces) points.push(pointAt(route, m))
    } else if (previous) places.push([])
    if (!previous || previous.lat !== stop.lat || previous.lon !== stop.lon) points.push(stop)
  })
  if (points.length === stops.length) return
  let legs
  try {
    legs = (await router.route(points)).legs
  } catch {
    return
  }
  const timeline = { alongM: [stops[0]!.alongM], routerS: [0] }
  let legIndex = 0
  let elapsedS = 0
  places.forEach((legPlaces, k) => {
    if (stops[k]!.lat === stops[k + 1]!.lat && stops[k]!.lon === stops[k + 1]!.lon) return
    const parts = legs.slice(legIndex, legIndex + legPlaces.length + 1)
    legIndex += legPlaces.length + 1
    const partsM = parts.reduce((sum, part) => sum + part.distanceM, 0)
    const partsS = parts.reduce((sum, part) => sum + part.durationS, 0)
    const legS = route.legRouterS[k]!
    const sameWay = Math.abs(partsM - route.legDistanceM[k]!) <= 0.02 * route.legDistanceM[k]! + 20
    if (sameWay && partsS > 0) {
      let partS = 0
      legPlaces.forEach((m, j) => {
        partS += parts[j]!.durationS
        timeline.alongM.push(m)
        timeline.routerS.push(elapsedS + (partS / partsS) * legS)
      })
    }
    elapsedS += legS
    timeline.alongM.push(stops[k + 1]!.alongM)
    timeline.routerS.push(elapsedS)
  })
  route.timeline = timeline
}

function pointAt(route: TripRoute, atM: number): LatLon {
  const { alongM } = route
  let i = 0
  while (i + 2 < alongM.length && alongM[i + 1]! < atM) i++
  const spanM = alongM[i + 1]! - alongM[i]!
  const f = spanM > 0 ? Math.min(1, Math.max(0, (atM - alongM[i]!) / spanM)) : 0
  return {
    lat: route.projection.lat(route.yM[i]! + f * (route.yM[i + 1]! - route.yM[i]!)),
    lon: route.projection.lon(route.xM[i]! + f * (route.xM[i + 1]! - route.xM[i]!)),
  }
}

/**
 * The stop's place on the line, at or after the previous stop's. A route that passes the same
 * street twice passes near the stop twice: the router's own leg distances say which pass it is.
 */
function placeStop(
  line: { xM: Float64Array; yM: Float64Array; alongM: Float64Array },
  x: number,
  y: number,
  fromM: number,
  expectedM: number,
): { alongM: number; offsetM: number } {
  const { xM, yM, alongM } = line
  if (alongM.length === 1) return { alongM: 0, offsetM: Math.hypot(x - xM[0]!, y - yM[0]!) }
  let best = { alongM: fromM, offsetM: Infinity, cost: Infinity }
  for (let i = 0; i + 1 < alongM.length; i++) {
    if (alongM[i + 1]! < fromM) continue
    const foot = projectOnSegment(xM, yM, alongM, i, x, y)
    const along = Math.max(foot.alongM, fromM)
    // Metres of offset weigh far more than metres of disagreement with the router's leg lengths.
    const cost = foot.offsetM + 0.01 * Math.abs(along - expectedM)
    if (cost < best.cost) best = { alongM: along, offsetM: foot.offsetM, cost }
  }
  return { alongM: best.alongM, offsetM: best.offsetM }
}

/** The foot of the perpendicular from (x, y) on segment i, kept within the segment. */
export function projectOnSegment(
  xM: Float64Array,
  yM: Float64Array,
  alongM: Float64Array,
  i: number,
  x: number,
  y: number,
): { alongM: number; offsetM: number } {
  const ax = xM[i]!
  const ay = yM[i]!
  const dx = xM[i + 1]! - ax
  const dy = yM[i + 1]! - ay
  const lengthSq = dx * dx + dy * dy
  const t = lengthSq > 0 ? Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / lengthSq)) : 0
  return {
    alongM: alongM[i]! + t * (alongM[i + 1]! - alongM[i]!),
    offsetM: Math.hypot(x - (ax + t * dx), y - (ay + t * dy)),
  }
}
