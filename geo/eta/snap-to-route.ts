import type { LatLon } from '../lat-lon.js'
import { projectOnSegment, type TripRoute } from './trip-route.js'

export interface RouteSnap {
  alongM: number
  /** Distance from the fix to the route at that place. */
  offRouteM: number
}

export interface SnapWindow {
  /** The bus's progress so far. */
  fromAlongM: number
  /** How far behind `fromAlongM` a fix may land: GPS noise, never a bus reversing along its trip. */
  backM: number
  /** How far ahead it may land: what the bus can have driven since it was last placed. */
  aheadM: number
  /** Where the bus is likely to be by now; among places near the fix, the nearest to this wins. */
  expectedAlongM?: number
  /** Metres of offset one metre away from `expectedAlongM` weighs as. */
  alongWeight?: number
}

/** Keeps a fix beside the first pass of a twice-driven street from snapping to the second pass. */
const DEFAULT_ALONG_WEIGHT = 0.05

/**
 * Places a fix on the route within a window around the bus's progress, rather than on whatever
 * part of the route lies nearest: a route may come back along a street it took earlier, and only
 * the pass the bus has reached is the right one. Null when the window holds no part of the route.
 */
export function snapToRoute(route: TripRoute, point: LatLon, window: SnapWindow): RouteSnap | null {
  const { alongM } = route
  const loM = window.fromAlongM - window.backM
  const hiM = window.fromAlongM + window.aheadM
  const expectedM = window.expectedAlongM ?? window.fromAlongM
  const weight = window.alongWeight ?? DEFAULT_ALONG_WEIGHT
  const x = route.projection.xM(point.lon)
  const y = route.projection.yM(point.lat)
  if (loM > route.lengthM || hiM < 0) return null
  if (alongM.length === 1) {
    return { alongM: 0, offRouteM: Math.hypot(x - route.xM[0]!, y - route.yM[0]!) }
  }
  let best: RouteSnap | null = null
  let bestCost = Infinity
  for (let i = firstSegmentReaching(alongM, loM); i + 1 < alongM.length && alongM[i]! <= hiM; i++) {
    let foot = projectOnSegment(route.xM, route.yM, alongM, i, x, y)
    if (foot.alongM < loM || foot.alongM > hiM)
      foot = distanceAt(route, i, foot.alongM < loM ? loM : hiM, x, y)
    const cost = foot.offsetM + weight * Math.abs(foot.alongM - expectedM)
    if (cost < bestCost) {
      bestCost = cost
      best = { alongM: foot.alongM, offRouteM: foot.offsetM }
    }
  }
  return best
}

/** The place `atM` along segment i, as seen from (x, y). */
function distanceAt(route: TripRoute, i: number, atM: number, x: number, y: number) {
  const { xM, yM, alongM } = route
  const lengthM = alongM[i + 1]! - alongM[i]!
  const t = lengthM > 0 ? Math.min(1, Math.max(0, (atM - alongM[i]!) / lengthM)) : 0
  const px = xM[i]! + t * (xM[i + 1]! - xM[i]!)
  const py = yM[i]! + t * (yM[i + 1]! - yM[i]!)
  return { alongM: alongM[i]! + t * lengthM, offsetM: Math.hypot(x - px, y - py) }
}

/** The first segment whose far end is at or beyond `alongM`: a binary search on the vertices. */
function firstSegmentReaching(alongM: Float64Array, targetM: number): number {
  let lo = 0
  let hi = alongM.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (alongM[mid + 1]! < targetM) lo = mid + 1
    else hi = mid
  }
  return Math.min(lo, Math.max(0, alongM.length - 2))
}
