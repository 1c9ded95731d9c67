import type { LatLon, LonLatPosition } from '../lat-lon.js'
import type { RoadNetwork } from '../roads/road-network.js'
import { createLocalProjection } from '../routing/earth-distance.js'
import { createGraphRouter, type GraphRouter } from '../routing/graph-router.js'
import type { EtaFix } from './eta-tracker.js'
import { routerSecondsAt, type TripRoute } from './trip-route.js'

/**
 * Test support: a made-up town of four straight roads, and a bus driven along a trip's route at
 * the router's own speeds. Main street runs 3 km east, fast (60 km/h) for its first 1.5 km and
 * slow (30 km/h) after; a dead-end lane leaves it 1 km from its west end and runs 800 m north.
 */
const origin = { lat: 30.17, lon: 121.26 }
const projection = createLocalProjection(origin.lat, origin.lon)

/** The point `eastM` east and `northM` north of main street's west end. */
export function placeAt(eastM: number, northM = 0): LatLon {
  return { lat: projection.lat(northM), lon: projection.lon(eastM) }
}

const position = (eastM: number, northM = 0): LonLatPosition => {
  const { lat, lon } = placeAt(eastM, northM)
  return [lon, lat]
}

export const testTown: RoadNetwork = {
  source: 'synthetic: a test town',
  ways: [
    {
      id: 'main-west',
      roadClass: 'primary',
      coords: [position(0), position(1000)],
      speedKmh: 60,
      oneway: false,
    },
    {
      id: 'main-mid',
      roadClass: 'primary',
      coords: [position(1000), position(1500)],
      speedKmh: 60,
      oneway: false,
    },
    {
      id: 'main-east',
      roadClass: 'residential',
      coords: [position(1500), position(3000)],
      speedKmh: 30,
      oneway: false,
    },
    {
      id: 'lane',
      roadClass: 'residential',
      coords: [position(1000), position(1000, 800)],
      speedKmh: 30,
      oneway: false,
    },
  ],
}

let router: GraphRouter | undefined

export function testTownRouter(): GraphRouter {
  router ??= createGraphRouter(testTown)
  return router
}

/** Stop `seq` (from 1) at a place in the test town. */
export const stopAt = (seq: number, eastM: number, northM = 0) => ({
  seq,
  stopId: `S${seq}`,
  ...placeAt(eastM, northM),
})

/** The point `alongM` along the route. */
export function positionAlong(route: TripRoute, alongM: number): LatLon {
  const { alongM: vertexM, xM, yM } = route
  let i = 0
  while (i + 2 < vertexM.length && vertexM[i + 1]! < alongM) i++
  const spanM = vertexM[i + 1]! - vertexM[i]!
  const f = spanM > 0 ? Math.min(1, Math.max(0, (alongM - vertexM[i]!) / spanM)) : 0
  return {
    lat: route.projection.lat(yM[i]! + f * (yM[i + 1]! - yM[i]!)),
    lon: route.projection.lon(xM[i]! + f * (xM[i + 1]! - xM[i]!)),
  }
}

export interface DriveOptions {
  /** The bus stands at the first stop from this instant. */
  startMs: number
  /** When it leaves the first stop. */
  firstDepartMs: number
  /** How long it stands at each later stop. */
  dwellS: number
  /** The driving speed as a factor on the router's. */
  pace?: number
  /** The bus stands still this long at this place, as in a jam. */
  hold?: { atM: number; forS: number }
  /** Uniform GPS error up to this many metres on each axis, from a fixed seed. */
  noiseM?: number
}

/** One fix a second from the first stop to the last, and when the bus really reached each stop. */
export function driveBus(route: TripRoute, options: DriveOptions): { fixes: EtaFix[]; arrivedMs: number[] } {
  const pace = options.pace ?? 1
  const jitter = seededNoise(11, options.noiseM ?? 0)
  const fixes: EtaFix[] = []
  const arrivedMs = [options.startMs]
  let alongM = route.stops[0]!.alongM
  let next = 1
  let standUntilMs = options.firstDepartMs
  let held = false
  for (let ms = options.startMs; ; ms += 1000) {
    let speedMs = 0
    if (ms >= standUntilMs) {
      speedMs = metresPerRouterSecond(route, alongM) * pace
      let toM = alongM + speedMs
      const hold = options.hold
      if (hold && !held && alongM < hold.atM && toM >= hold.atM) {
        toM = hold.atM
        held = true
        standUntilMs = ms + hold.forS * 1000
      }
      const stopM = route.stops[next]!.alongM
      if (toM >= stopM) {
        arrivedMs.push(Math.round(ms - ((toM - stopM) / speedMs) * 1000))
        toM = stopM
        standUntilMs = ms + options.dwellS * 1000
        next++
      }
      alongM = toM
    }
    const place = positionAlong(route, alongM)
    const eastM = jitter()
    const northM = jitter()
    fixes.push({
      ts: new Date(ms),
      lat: place.lat + northM / 111_195,
      lon: place.lon + eastM / (111_195 * Math.cos((place.lat * Math.PI) / 180)),
      speedKmh: speedMs * 3.6,
    })
    if (next === route.stops.length) break
  }
  return { fixes, arrivedMs }
}

/** The router's speed at a place on the route, in metres per second. */
function metresPerRouterSecond(route: TripRoute, alongM: number): number {
  const stepM = 20
  const fromM = Math.min(alongM, route.lengthM - stepM)
  return stepM / (routerSecondsAt(route, fromM + stepM) - routerSecondsAt(route, fromM))
}

/** Deterministic uniform noise (mulberry32) in [-amplitudeM, amplitudeM]. */
function seededNoise(seed: number, amplitudeM: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * amplitudeM
  }
}
