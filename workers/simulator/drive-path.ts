import type { LonLatPosition } from '../../geo/lat-lon.js'
import { createLocalProjection } from '../../geo/routing/earth-distance.js'
import type { RoadSpeedLookup } from './road-speed-lookup.js'

/**
 * A routed leg prepared once for driving many times: the shape in flat arrays, and per segment
 * what the road allows. Driving a bus along it then costs a few array reads per second simulated.
 */
export interface DrivePath {
  lengthM: number
  /** Per vertex. */
  lat: Float64Array
  lon: Float64Array
  alongM: Float64Array
  /** Per segment i, from vertex i to vertex i + 1. */
  headingDeg: Float64Array
  cruiseMs: Float64Array
  legalKmh: Float64Array
  arterial: Uint8Array
  /**
   * Per vertex, the fastest a bus may pass it and still brake comfortably for everything ahead:
   * turns, a slower road, and the stop at the end, where it is 0.
   */
  vertexCapMs: Float64Array
  /** The router's own estimate, used only to plan when to set off. */
  nominalDurationS: number
}

const RAD = Math.PI / 180

/** How slowly a bus takes a change of direction at a junction: sharper turns are slower. */
const TURN_CAPS: readonly { aboveDeg: number; capKmh: number }[] = [
  { aboveDeg: 100, capKmh: 10 },
  { aboveDeg: 60, capKmh: 15 },
  { aboveDeg: 30, capKmh: 25 },
  { aboveDeg: 15, capKmh: 40 },
]

export function buildDrivePath(
  coordinates: readonly LonLatPosition[],
  roadSpeedAt: RoadSpeedLookup,
  options: { brakingMs2: number; nominalDurationS: number },
): DrivePath {
  const kept = coordinates.filter(
    (c, i) => i === 0 || c[0] !== coordinates[i - 1]![0] || c[1] !== coordinates[i - 1]![1],
  )
  const n = kept.length
  const [originLon, originLat] = kept[0]!
  const projection = createLocalProjection(originLat, originLon)
  const x = kept.map(([lon]) => projection.xM(lon))
  const y = kept.map(([, lat]) => projection.yM(lat))
  const path: DrivePath = {
    lengthM: 0,
    lat: Float64Array.from(kept, (c) => c[1]),
    lon: Float64Array.from(kept, (c) => c[0]),
    alongM: new Float64Array(n),
    headingDeg: new Float64Array(Math.max(0, n - 1)),
    cruiseMs: new Float64Array(Math.max(0, n - 1)),
    legalKmh: new Float64Array(Math.max(0, n - 1)),
    arterial: new Uint8Array(Math.max(0, n - 1)),
    vertexCapMs: new Float64Array(n),
    nominalDurationS: options.nominalDurationS,
  }
  for (let i = 0; i + 1 < n; i++) {
    const dx = x[i + 1]! - x[i]!
    const dy = y[i + 1]! - y[i]!
    path.alongM[i + 1] = path.alongM[i]! + Math.hypot(dx, dy)
    const heading = (Math.atan2(dx, dy) / RAD + 360) % 360
    path.headingDeg[i] = heading
    const road = roadSpeedAt(
      (kept[i]![1] + kept[i + 1]![1]) / 2,
      (kept[i]![0] + kept[i + 1]![0]) / 2,
      heading,
    )
    path.cruiseMs[i] = road.cruiseKmh / 3.6
    path.legalKmh[i] = road.legalKmh
    path.arterial[i] = road.arterial
  }
  path.lengthM = path.alongM[n - 1]!
  fillVertexCaps(path, options.brakingMs2)
  return path
}

/** Backwards from the stop at the end: each vertex's own limit, or what braking for the next needs. */
function fillVertexCaps(path: DrivePath, brakingMs2: number): void {
  const n = path.alongM.length
  path.vertexCapMs[n - 1] = 0
  for (let v = n - 2; v >= 0; v--) {
    let cap = Math.sqrt(
      path.vertexCapMs[v + 1]! ** 2 + 2 * brakingMs2 * (path.alongM[v + 1]! - path.alongM[v]!),
    )
    if (v > 0) {
      const turnDeg = Math.abs(((path.headingDeg[v]! - path.headingDeg[v - 1]! + 540) % 360) - 180)
      const turn = TURN_CAPS.find((t) => turnDeg > t.aboveDeg)
      if (turn) cap = Math.min(cap, turn.capKmh / 3.6)
      // Entering a slower road: be at its speed by the junction.
      if (path.cruiseMs[v]! < path.cruiseMs[v - 1]!) cap = Math.min(cap, path.cruiseMs[v]!)
    }
    path.vertexCapMs[v] = cap
  }
}

/** The segment holding `alongM`, searched forward from `fromSegment` (a bus only moves forward). */
export function findSegment(path: DrivePath, alongM: number, fromSegment: number): number {
  let segment = fromSegment
  const last = path.alongM.length - 2
  while (segment < last && alongM >= path.alongM[segment + 1]!) segment++
  return segment
}

export function locateAlong(path: DrivePath, segment: number, alongM: number): { lat: number; lon: number } {
  if (path.alongM.length === 1) return { lat: path.lat[0]!, lon: path.lon[0]! }
  const start = path.alongM[segment]!
  const length = path.alongM[segment + 1]! - start
  const f = length > 0 ? Math.min(1, Math.max(0, (alongM - start) / length)) : 0
  return {
    lat: path.lat[segment]! + f * (path.lat[segment + 1]! - path.lat[segment]!),
    lon: path.lon[segment]! + f * (path.lon[segment + 1]! - path.lon[segment]!),
  }
}
