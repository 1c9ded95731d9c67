import type { LatLon } from '../../geo/lat-lon.js'
import { projectOnSegment, type TripRoute } from '../../geo/eta/trip-route.js'

/** A place on the path: how far along it, and how far the point it was found for lies from it. */
export interface PathFoot {
  alongM: number
  offsetM: number
}

/**
 * A trip's approved path: the road route through its approved calls (the geometry the platform
 * draws for the trip), with a grid of its segments so that each fix finds the path near it in a few
 * lookups, and the places besides the calls where its bus may stand (the trip's school, the bus's
 * depot). Points are in the route's projection metres.
 */
export interface ApprovedPath {
  route: TripRoute
  places: readonly LatLon[]
  /** Per segment within `withinM` of the point, the foot of the perpendicular on it. */
  footsNear(xM: number, yM: number, withinM: number): PathFoot[]
  /** The distance from the point to the path, however far. */
  distanceM(xM: number, yM: number): number
}

/** Grid cells this wide hold the segments that cross them. */
const cellM = 100

const cellKey = (cx: number, cy: number) => cx * 1_000_003 + cy

export function buildApprovedPath(route: TripRoute, places: readonly LatLon[] = []): ApprovedPath {
  const { xM, yM, alongM } = route
  const segmentCount = alongM.length - 1
  const cells = new Map<number, number[]>()
  for (let i = 0; i < segmentCount; i++) {
    const [minX, maxX] = [Math.min(xM[i]!, xM[i + 1]!), Math.max(xM[i]!, xM[i + 1]!)]
    const [minY, maxY] = [Math.min(yM[i]!, yM[i + 1]!), Math.max(yM[i]!, yM[i + 1]!)]
    for (let cx = Math.floor(minX / cellM); cx <= Math.floor(maxX / cellM); cx++) {
      for (let cy = Math.floor(minY / cellM); cy <= Math.floor(maxY / cellM); cy++) {
        const key = cellKey(cx, cy)
        const list = cells.get(key)
        if (list) list.push(i)
        else cells.set(key, [i])
      }
    }
  }

  const footOf = (i: number, x: number, y: number): PathFoot => projectOnSegment(xM, yM, alongM, i, x, y)

  return {
    route,
    places,
    footsNear(x, y, withinM) {
      if (segmentCount === 0) {
        const offsetM = Math.hypot(x - xM[0]!, y - yM[0]!)
        return offsetM <= withinM ? [{ alongM: 0, offsetM }] : []
      }
      const seen = new Set<number>()
      const feet: PathFoot[] = []
      const reach = Math.ceil(withinM / cellM)
      const [cx0, cy0] = [Math.floor(x / cellM), Math.floor(y / cellM)]
      for (let cx = cx0 - reach; cx <= cx0 + reach; cx++) {
        for (let cy = cy0 - reach; cy <= cy0 + reach; cy++) {
          for (const i of cells.get(cellKey(cx, cy)) ?? []) {
            if (seen.has(i)) continue
            seen.add(i)
            const foot = footOf(i, x, y)
            if (foot.offsetM <= withinM) feet.push(foot)
          }
        }
      }
      return feet.sort((a, b) => a.alongM - b.alongM)
    },
    distanceM(x, y) {
      if (segmentCount === 0) return Math.hypot(x - xM[0]!, y - yM[0]!)
      let best = Infinity
      for (let i = 0; i < segmentCount; i++) best = Math.min(best, footOf(i, x, y).offsetM)
      return best
    },
  }
}

/** Where the bus last was along the path, and how far a new fix may be from there. */
export interface PlaceWindow {
  fromM: number
  /** A fix this far behind `fromM` is noise around where the bus is. */
  backM: number
  /** What the bus can have driven since it was placed at `fromM`. */
  aheadM: number
  /** Where the bus likely is by now: among places within the window, the nearest to it wins. */
  expectedM: number
}

/** Metres of offset one metre away from the expected place weighs as (snap-to-route's weight). */
const alongWeight = 0.05

/**
 * Places a fix on the path. Off the path (farther than `corridorM`): its distance, no place. On it:
 * within the window, the place nearest the expected one; else, when the path near the fix lies
 * only ahead, the nearest place there, marked `ahead` (the bus left out a loop of the path, or the
 * GPS jumped: the caller waits for more fixes there); else none (the bus went back, or the fix is
 * near parts of the path both behind and ahead, as beside a street the path takes twice).
 */
export function placeOnPath(
  path: ApprovedPath,
  xM: number,
  yM: number,
  window: PlaceWindow,
  corridorM: number,
): { offM: number; alongM: number | null; ahead: boolean } {
  const feet = path.footsNear(xM, yM, corridorM)
  if (feet.length === 0) return { offM: path.distanceM(xM, yM), alongM: null, ahead: false }
  const offM = Math.min(...feet.map((foot) => foot.offsetM))
  const loM = window.fromM - window.backM
  const hiM = window.fromM + window.aheadM
  let best: PathFoot | undefined
  let bestCost = Infinity
  for (const foot of feet) {
    if (foot.alongM < loM || foot.alongM > hiM) continue
    const cost = foot.offsetM + alongWeight * Math.abs(foot.alongM - window.expectedM)
    if (cost < bestCost) {
      best = foot
      bestCost = cost
    }
  }
  if (best) return { offM, alongM: best.alongM, ahead: false }
  // Near a part of the path behind the bus as well, the fix says nothing about a jump ahead.
  if (feet.some((foot) => foot.alongM < loM)) return { offM, alongM: null, ahead: false }
  return { offM, alongM: feet[0]!.alongM, ahead: true }
}
