import type { LatLon, LonLatPosition } from '../../../geo/lat-lon.js'
import { createLocalProjection } from '../../../geo/routing/earth-distance.js'

/** A trip's road in two: what the bus has driven, and what lies ahead of it. */
export interface RouteSplit {
  driven: LonLatPosition[]
  ahead: LonLatPosition[]
}

/**
 * Where the bus is on its road. `progressM`, the distance along the road the live ETA measured, is
 * taken first: a road that comes back along a street it took earlier has two places nearest the
 * bus, and only the progress tells which pass it is on. Without it, the place nearest `position`.
 */
export interface RoutePlace {
  progressM?: number | null
  position?: LatLon | null
}

/** The road cut at the bus: both halves share the cut point, so that they meet on the map. */
export function splitRoute(coordinates: readonly LonLatPosition[], at: RoutePlace): RouteSplit {
  const line = coordinates.map(([lon, lat]): LonLatPosition => [lon, lat])
  if (line.length < 2) return { driven: [], ahead: line }
  const first = line[0]!
  const projection = createLocalProjection(first[1], first[0])
  const xy = line.map(([lon, lat]) => [projection.xM(lon), projection.yM(lat)] as const)
  const cut = (segment: number, t: number): RouteSplit => {
    const [aLon, aLat] = line[segment]!
    const [bLon, bLat] = line[segment + 1]!
    const point: LonLatPosition = [aLon + t * (bLon - aLon), aLat + t * (bLat - aLat)]
    return { driven: [...line.slice(0, segment + 1), point], ahead: [point, ...line.slice(segment + 1)] }
  }

  if (at.progressM != null) {
    let startM = 0
    for (let i = 0; i + 1 < xy.length; i++) {
      const lengthM = Math.hypot(xy[i + 1]![0] - xy[i]![0], xy[i + 1]![1] - xy[i]![1])
      if (startM + lengthM >= at.progressM || i + 2 === xy.length) {
        const t = lengthM > 0 ? (at.progressM - startM) / lengthM : 0
        return cut(i, Math.min(1, Math.max(0, t)))
      }
      startM += lengthM
    }
  }
  if (at.position) {
    const x = projection.xM(at.position.lon)
    const y = projection.yM(at.position.lat)
    let best = { segment: 0, t: 0, offsetM: Infinity }
    for (let i = 0; i + 1 < xy.length; i++) {
      const [ax, ay] = xy[i]!
      const [bx, by] = xy[i + 1]!
      const lengthSq = (bx - ax) ** 2 + (by - ay) ** 2
      const t =
        lengthSq > 0 ? Math.min(1, Math.max(0, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / lengthSq)) : 0
      const offsetM = Math.hypot(ax + t * (bx - ax) - x, ay + t * (by - ay) - y)
      if (offsetM < best.offsetM) best = { segment: i, t, offsetM }
    }
    return cut(best.segment, best.t)
  }
  return { driven: [], ahead: line }
}
