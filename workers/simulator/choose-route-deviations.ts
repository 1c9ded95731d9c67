import type { LatLon, LonLatPosition } from '../../geo/lat-lon.js'
import type { SeededRandom } from '../../geo/random/seeded-random.js'
import { createLocalProjection, haversineM } from '../../geo/routing/earth-distance.js'
import type { RoadGraph } from '../../geo/routing/road-graph.js'
import type { Router } from '../../geo/routing/router.js'
import type { BusPlan } from './bus-plan.js'
import { findSegment, locateAlong, type DrivePath } from './drive-path.js'
import type { RouteDeviation } from './route-deviations.js'

/** How often each kind of deviation is made: a share of the day's trips, at most one per trip. */
export interface DeviationShares {
  detour: number
  skipCall: number
  unapprovedStand: number
}

/**
 * Deviations a route rule must catch and no honest reading of the rules could excuse, so that the
 * rules are scored on plain cases: a detour goes well away from the trip's path and stays away for
 * a stretch; a stand is far from every call, school and depot, and lasts minutes.
 */
const DETOUR_VIA_M = [600, 1800] as const
/** The detour's via point is at least this far from the trip's path… */
const DETOUR_CLEAR_M = 450
/** …and the routed detour drives at least this far farther than that from it. */
const DETOUR_OFF_M = 300
const DETOUR_MIN_OFF_DRIVE_M = 800
const DETOUR_MIN_LEG_M = 1000
/** A detour adds at most this much to the leg: a driver's errand, not a tour of the county. */
const DETOUR_MAX_EXTRA_M = 4000
/**
 * Nor does it run along another part of the trip's path (nearer than this, away from the calls it
 * joins): a bus there would look as if it had left out a stretch of its path, not as if it were off it.
 */
const DETOUR_OTHER_LEGS_M = 250
const STAND_S = [90, 300] as const
const STAND_FRACTION = [0.25, 0.75] as const
const STAND_CLEAR_M = 350
const STAND_MIN_LEG_M = 1200
const TRIES = 8

interface TripLegs {
  tripId: string
  /** Leg i drives from call i to call i + 1. */
  legs: DrivePath[]
  calls: LatLon[]
}

/**
 * The day's deviations by bus: each trip of each plan gets a detour, a skipped call or a stand
 * where no call is, with the shares' chances, placed at random where it is unmistakable. A trip
 * with no place for the kind drawn keeps to its route. `avoid` adds places a bus may stand at
 * besides its calls and depot (its schools).
 */
export async function chooseRouteDeviations(
  plans: readonly BusPlan[],
  options: {
    random: SeededRandom
    shares: DeviationShares
    router: Router
    graph: RoadGraph
    avoid?(busId: string): readonly LatLon[]
  },
): Promise<Map<string, RouteDeviation[]>> {
  const { random, shares } = options
  const chosen = new Map<string, RouteDeviation[]>()
  for (const plan of plans) {
    const depot = { lat: plan.start.lat, lon: plan.start.lon }
    const trips = listTripLegs(plan)
    const allowed = [depot, ...trips.flatMap((trip) => trip.calls), ...(options.avoid?.(plan.busId) ?? [])]
    const deviations: RouteDeviation[] = []
    for (const trip of trips) {
      const draw = random.next()
      let deviation: RouteDeviation | undefined
      if (draw < shares.detour) deviation = await chooseDetour(trip, random, options)
      else if (draw < shares.detour + shares.skipCall) deviation = chooseSkip(trip, random)
      else if (draw < shares.detour + shares.skipCall + shares.unapprovedStand)
        deviation = chooseStand(trip, random, allowed)
      if (deviation) deviations.push(deviation)
    }
    if (deviations.length > 0) chosen.set(plan.busId, deviations)
  }
  return chosen
}

/** Each trip of the plan with its legs and the places of its calls, in the plan's order. */
function listTripLegs(plan: BusPlan): TripLegs[] {
  const trips: TripLegs[] = []
  const { activities } = plan
  activities.forEach((activity, i) => {
    if (activity.kind !== 'call') return
    const { tripId, stopIndex } = activity.call
    const previous = activities[i - 1]
    const place =
      previous?.kind === 'drive' && previous.path.lat.length > 0
        ? { lat: previous.path.lat.at(-1)!, lon: previous.path.lon.at(-1)! }
        : { lat: plan.start.lat, lon: plan.start.lon }
    if (stopIndex === 0) trips.push({ tripId, legs: [], calls: [place] })
    const trip = trips.at(-1)
    if (!trip || trip.tripId !== tripId) return
    if (stopIndex > 0) {
      trip.calls.push(place)
      if (previous?.kind === 'drive') trip.legs.push(previous.path)
    }
  })
  return trips.filter((trip) => trip.legs.length === trip.calls.length - 1 && trip.legs.length > 0)
}

function chooseSkip(trip: TripLegs, random: SeededRandom): RouteDeviation | undefined {
  if (trip.calls.length < 3) return undefined
  return { kind: 'skip_call', tripId: trip.tripId, stopIndex: random.int(1, trip.calls.length - 2) }
}

function chooseStand(
  trip: TripLegs,
  random: SeededRandom,
  allowed: readonly LatLon[],
): RouteDeviation | undefined {
  const long = trip.legs.flatMap((leg, i) => (leg.lengthM >= STAND_MIN_LEG_M ? [i] : []))
  if (long.length === 0) return undefined
  for (let attempt = 0; attempt < TRIES; attempt++) {
    const fromStopIndex = random.pick(long)
    const leg = trip.legs[fromStopIndex]!
    const atFraction = random.between(...STAND_FRACTION)
    const at = pointAlong(leg, atFraction * leg.lengthM)
    if (allowed.every((place) => haversineM(place.lat, place.lon, at.lat, at.lon) > STAND_CLEAR_M)) {
      return {
        kind: 'unapproved_stand',
        tripId: trip.tripId,
        fromStopIndex,
        atFraction,
        standS: Math.round(random.between(...STAND_S)),
      }
    }
  }
  return undefined
}

async function chooseDetour(
  trip: TripLegs,
  random: SeededRandom,
  options: { router: Router; graph: RoadGraph },
): Promise<RouteDeviation | undefined> {
  const long = trip.legs.flatMap((leg, i) => (leg.lengthM >= DETOUR_MIN_LEG_M ? [i] : []))
  if (long.length === 0) return undefined
  const path = createPathDistance(trip.legs)
  for (let attempt = 0; attempt < TRIES; attempt++) {
    const fromStopIndex = random.pick(long)
    const leg = trip.legs[fromStopIndex]!
    const others = trip.legs.filter((_, i) => i !== fromStopIndex)
    const middle = pointAlong(leg, leg.lengthM / 2)
    const candidates: LatLon[] = []
    const { graph } = options
    for (let node = 0; node < graph.nodeCount; node++) {
      const lat = graph.nodeLat[node]!
      const lon = graph.nodeLon[node]!
      const fromMiddleM = haversineM(middle.lat, middle.lon, lat, lon)
      if (fromMiddleM < DETOUR_VIA_M[0] || fromMiddleM > DETOUR_VIA_M[1]) continue
      if (path.distanceM(lat, lon) > DETOUR_CLEAR_M) candidates.push({ lat, lon })
    }
    if (candidates.length === 0) continue
    const via = random.pick(candidates)
    const start = pointAlong(leg, 0)
    const end = pointAlong(leg, leg.lengthM)
    const route = await options.router.route([start, via, end]).catch(() => undefined)
    if (
      route &&
      route.distanceM <= leg.lengthM + DETOUR_MAX_EXTRA_M &&
      offPathDriveM(route.geometry.coordinates, path) >= DETOUR_MIN_OFF_DRIVE_M &&
      !runsAlongOthers(route.geometry.coordinates, others, [start, end])
    )
      return { kind: 'detour', tripId: trip.tripId, fromStopIndex, via: [via] }
  }
  return undefined
}

/** Metres of the route driven farther than DETOUR_OFF_M from the path. */
function offPathDriveM(coordinates: readonly LonLatPosition[], path: PathDistance): number {
  let offM = 0
  for (let i = 1; i < coordinates.length; i++) {
    const [lon0, lat0] = coordinates[i - 1]!
    const [lon1, lat1] = coordinates[i]!
    const stepM = haversineM(lat0, lon0, lat1, lon1)
    const pieces = Math.max(1, Math.ceil(stepM / 50))
    for (let k = 0; k < pieces; k++) {
      const f = (k + 0.5) / pieces
      if (path.distanceM(lat0 + f * (lat1 - lat0), lon0 + f * (lon1 - lon0)) > DETOUR_OFF_M)
        offM += stepM / pieces
    }
  }
  return offM
}

/** Whether the route comes near another leg of the trip, away from the calls at its ends. */
function runsAlongOthers(
  coordinates: readonly LonLatPosition[],
  others: readonly DrivePath[],
  ends: readonly LatLon[],
): boolean {
  if (others.length === 0) return false
  const near = createPathDistance(others)
  return coordinates.some(
    ([lon, lat]) =>
      near.distanceM(lat, lon) < DETOUR_OTHER_LEGS_M &&
      ends.every((end) => haversineM(end.lat, end.lon, lat, lon) > DETOUR_OTHER_LEGS_M),
  )
}

interface PathDistance {
  /** The distance from a place to the nearest point of the trip's legs. */
  distanceM(lat: number, lon: number): number
}

function createPathDistance(legs: readonly DrivePath[]): PathDistance {
  const origin = legs[0]!
  const projection = createLocalProjection(origin.lat[0]!, origin.lon[0]!)
  const xs: number[] = []
  const ys: number[] = []
  const breaks = new Set<number>()
  for (const leg of legs) {
    breaks.add(xs.length)
    for (let i = 0; i < leg.lat.length; i++) {
      xs.push(projection.xM(leg.lon[i]!))
      ys.push(projection.yM(leg.lat[i]!))
    }
  }
  return {
    distanceM(lat, lon) {
      const x = projection.xM(lon)
      const y = projection.yM(lat)
      let best = Infinity
      for (let i = 1; i < xs.length; i++) {
        if (breaks.has(i)) continue
        best = Math.min(best, segmentDistanceM(x, y, xs[i - 1]!, ys[i - 1]!, xs[i]!, ys[i]!))
      }
      if (xs.length === 1) best = Math.hypot(x - xs[0]!, y - ys[0]!)
      return best
    },
  }
}

function segmentDistanceM(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax
  const dy = by - ay
  const lengthSq = dx * dx + dy * dy
  const t = lengthSq === 0 ? 0 : Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / lengthSq))
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy))
}

function pointAlong(path: DrivePath, alongM: number): LatLon {
  return locateAlong(path, findSegment(path, alongM, 0), alongM)
}
