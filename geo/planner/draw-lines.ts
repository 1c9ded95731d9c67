import type { LatLon, LonLatPosition } from '../lat-lon.js'
import type { Router } from '../routing/router.js'
import type { PlannedLine } from './plan-model.js'

/**
 * Each line's road geometry through its stops, in the order it calls at them. A `known` line (an
 * earlier plan's, on the same stops) with the same id and calls keeps its geometry.
 */
export async function drawLines(
  lines: Omit<PlannedLine, 'geometry'>[],
  router: Router,
  locate: (stopId: string) => LatLon,
  options: { checkStop?: () => void; onLine?: (done: number) => void; known?: PlannedLine[] } = {},
): Promise<PlannedLine[]> {
  const known = new Map((options.known ?? []).map((line) => [line.id, line]))
  const drawn: PlannedLine[] = []
  for (const line of lines) {
    options.checkStop?.()
    const same = known.get(line.id)
    if (same && same.stopIds.join('\n') === line.stopIds.join('\n')) {
      drawn.push({ ...line, geometry: same.geometry })
      options.onLine?.(drawn.length)
      continue
    }
    // A stop split over several customers of the route search is called at twice in a row.
    const points = line.stopIds
      .map(locate)
      .filter((p, k, all) => k === 0 || p.lat !== all[k - 1]!.lat || p.lon !== all[k - 1]!.lon)
    let coordinates: LonLatPosition[]
    if (points.length < 2) {
      coordinates = points.flatMap((p) => [
        [p.lon, p.lat] as LonLatPosition,
        [p.lon, p.lat] as LonLatPosition,
      ])
    } else {
      coordinates = (await router.route(points)).geometry.coordinates
    }
    drawn.push({ ...line, geometry: { type: 'LineString', coordinates } })
    options.onLine?.(drawn.length)
  }
  return drawn
}
