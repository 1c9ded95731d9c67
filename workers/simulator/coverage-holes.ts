import type { RoadNetwork } from '../../geo/roads/road-network.js'
import { createLocalProjection, haversineM } from '../../geo/routing/earth-distance.js'
import type { SeededRandom } from '../../geo/random/seeded-random.js'
import type { Range } from './simulation-settings.js'

/**
 * Places on the roads without mobile coverage (a cutting, an underpass, a gap between masts).
 * The terminal still has its GPS fix there; it cannot send it.
 */
export interface CoverageHoles {
  readonly holes: readonly { lat: number; lon: number; radiusM: number }[]
  isInHole(lat: number, lon: number): boolean
}

export function placeCoverageHoles(
  network: RoadNetwork,
  random: SeededRandom,
  options: { everyKm: number; radiusM: Range },
): CoverageHoles {
  const segments = network.ways.flatMap((way) =>
    way.coords.slice(1).map((to, i) => {
      const from = way.coords[i]!
      return { value: { from, to }, weight: haversineM(from[1], from[0], to[1], to[0]) }
    }),
  )
  const totalKm = segments.reduce((sum, s) => sum + s.weight, 0) / 1000
  const count = Number.isFinite(options.everyKm) ? Math.round(totalKm / options.everyKm) : 0
  const holes = Array.from({ length: count }, () => {
    const { from, to } = random.pickWeighted(segments)
    const f = random.next()
    return {
      lat: from[1] + f * (to[1] - from[1]),
      lon: from[0] + f * (to[0] - from[0]),
      radiusM: random.between(...options.radiusM),
    }
  })

  const origin = network.ways[0]?.coords[0] ?? [0, 0]
  const projection = createLocalProjection(origin[1], origin[0])
  const cellM = 2 * options.radiusM[1]
  const cells = new Map<number, number[]>()
  const keyOf = (cx: number, cy: number) => cx * 100_003 + cy
  holes.forEach((hole, index) => {
    const x = projection.xM(hole.lon)
    const y = projection.yM(hole.lat)
    for (
      let cx = Math.floor((x - hole.radiusM) / cellM);
      cx <= Math.floor((x + hole.radiusM) / cellM);
      cx++
    ) {
      for (
        let cy = Math.floor((y - hole.radiusM) / cellM);
        cy <= Math.floor((y + hole.radiusM) / cellM);
        cy++
      ) {
        const list = cells.get(keyOf(cx, cy))
        if (list) list.push(index)
        else cells.set(keyOf(cx, cy), [index])
      }
    }
  })

  return {
    holes,
    isInHole(lat, lon) {
      if (holes.length === 0) return false
      const list = cells.get(
        keyOf(Math.floor(projection.xM(lon) / cellM), Math.floor(projection.yM(lat) / cellM)),
      )
      return (
        list !== undefined &&
        list.some((i) => haversineM(lat, lon, holes[i]!.lat, holes[i]!.lon) <= holes[i]!.radiusM)
      )
    },
  }
}
