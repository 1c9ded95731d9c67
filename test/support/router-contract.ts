import { beforeAll, describe, expect, it } from 'vitest'
import type { LatLon, LonLatPosition } from '../../geo/lat-lon.js'
import type { Router, SnappedPoint, TraceFix } from '../../geo/routing/router.js'
import { GeoError } from '../../geo/geo-error.js'
import { haversineM, measureDistanceM } from '../../geo/routing/earth-distance.js'

/** The questions the contract asks; an engine that replays recordings gets the recorded ones. */
export interface RouterContractSamples {
  /** Points near roads, at least three, all different. */
  points: LatLon[]
  /** Two indexes into `points`: the route the contract asks for. */
  routeBetween: [number, number]
  /** Rows and columns of a partial table. */
  tableSubset: { sources: number[]; destinations: number[] }
  /** How many nearest candidates to ask for around points[0]. */
  nearestCount: number
  /** A point with no road within `radiusM`. */
  farPoint: LatLon
  farRadiusM: number
  /** A GPS trace along the roads, with timestamps and accuracies. */
  trace: TraceFix[]
}

/** The distance along a line, on the sphere. */
export function measureLineM(coordinates: LonLatPosition[]): number {
  let lengthM = 0
  for (let i = 1; i < coordinates.length; i++) {
    const [aLon, aLat] = coordinates[i - 1]!
    const [bLon, bLat] = coordinates[i]!
    lengthM += haversineM(aLat, aLon, bLat, bLon)
  }
  return lengthM
}

function expectHonestSnap(asked: LatLon, snapped: SnappedPoint, withinM: number): void {
  expect(snapped.distanceM).toBeLessThanOrEqual(withinM)
  expect(Math.abs(measureDistanceM(asked, snapped.location) - snapped.distanceM)).toBeLessThan(1)
}

async function expectGeoError(call: Promise<unknown>, code: GeoError['code'], field: string): Promise<void> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(GeoError)
  expect(error).toMatchObject({ code, field })
}

/**
 * Registers the tests every Router must pass, with the same questions and the same checks for
 * each engine: the answers differ in figures (different speed models), never in shape or logic.
 */
export function registerRouterContract(
  name: string,
  createRouter: () => Router | Promise<Router>,
  samples: RouterContractSamples,
): void {
  describe(`Router contract: ${name}`, () => {
    let router: Router
    beforeAll(async () => {
      router = await createRouter()
    })
    const [from, to] = samples.routeBetween
    const { points } = samples

    it('snaps to the nearest road and lists further candidates nearest first', async () => {
      const nearest = await router.nearest(points[0]!, { number: samples.nearestCount })
      expectHonestSnap(points[0]!, nearest, 100)
      expect(nearest.alternatives.length).toBeGreaterThan(0)
      expect(nearest.alternatives.length).toBeLessThanOrEqual(samples.nearestCount - 1)
      const distances = [nearest, ...nearest.alternatives].map((candidate) => candidate.distanceM)
      expect(distances).toEqual([...distances].sort((a, b) => a - b))
      nearest.alternatives.forEach((candidate) => expectHonestSnap(points[0]!, candidate, 1000))
    })

    it('routes between two points with a geometry from snapped start to snapped end', async () => {
      const route = await router.route([points[from]!, points[to]!])
      expect(route.legs).toHaveLength(1)
      expect(route.waypoints).toHaveLength(2)
      route.waypoints.forEach((waypoint, i) => expectHonestSnap(points[[from, to][i]!]!, waypoint, 100))
      expect(route.legs[0]!.distanceM).toBeCloseTo(route.distanceM, 0)
      expect(route.legs[0]!.durationS).toBeCloseTo(route.durationS, 0)
      const line = route.geometry.coordinates
      const [startLon, startLat] = line[0]!
      const [endLon, endLat] = line[line.length - 1]!
      expect(measureDistanceM(route.waypoints[0]!.location, { lat: startLat, lon: startLon })).toBeLessThan(1)
      expect(measureDistanceM(route.waypoints[1]!.location, { lat: endLat, lon: endLon })).toBeLessThan(1)
      expect(Math.abs(measureLineM(line) - route.distanceM) / route.distanceM).toBeLessThan(0.02)
      expect(route.distanceM).toBeGreaterThan(
        measureDistanceM(route.waypoints[0]!.location, route.waypoints[1]!.location),
      )
      const speedKmh = route.distanceM / 1000 / (route.durationS / 3600)
      expect(speedKmh).toBeGreaterThan(5)
      expect(speedKmh).toBeLessThan(130)
    })

    it('answers a table whose cells agree with routes and with a partial table', async () => {
      const table = await router.table(points)
      expect(table.durationsS).toHaveLength(points.length)
      expect(table.sources).toHaveLength(points.length)
      table.sources.forEach((source, i) => expectHonestSnap(points[i]!, source, 100))
      table.durationsS.forEach((row, i) => {
        expect(row).toHaveLength(points.length)
        expect(row[i]).toBe(0)
        row.forEach((cell) => expect(cell).not.toBeNull())
      })
      const route = await router.route([points[from]!, points[to]!])
      expect(table.durationsS[from]![to]! / route.durationS).toBeCloseTo(1, 2)
      expect(table.distancesM[from]![to]! / route.distanceM).toBeCloseTo(1, 2)

      const partial = await router.table(points, samples.tableSubset)
      const { sources, destinations } = samples.tableSubset
      expect(partial.sources).toHaveLength(sources.length)
      expect(partial.destinations).toHaveLength(destinations.length)
      sources.forEach((source, i) =>
        destinations.forEach((destination, j) => {
          expect(partial.durationsS[i]![j]).toBeCloseTo(table.durationsS[source]![destination]!, 1)
          expect(partial.distancesM[i]![j]).toBeCloseTo(table.distancesM[source]![destination]!, 1)
        }),
      )
    })

    it('refuses a point with no road within the radius, naming it', async () => {
      const options = { radiusM: samples.farRadiusM }
      await expectGeoError(
        router.route([points[0]!, samples.farPoint], options),
        'outside_network',
        'points[1]',
      )
      await expectGeoError(
        router.table([points[0]!, samples.farPoint], options),
        'outside_network',
        'points[1]',
      )
    })

    it('refuses bad input, naming the field', async () => {
      await expectGeoError(router.route([points[0]!, { lat: 999, lon: 999 }]), 'invalid_input', 'points[1]')
      await expectGeoError(
        router.route([points[0]!, { lat: Number.NaN, lon: 7 }]),
        'invalid_input',
        'points[1]',
      )
      await expectGeoError(router.route([points[0]!, points[0]!]), 'invalid_input', 'points[1]')
      await expectGeoError(router.table([]), 'invalid_input', 'points')
      await expectGeoError(router.table(points, { sources: [points.length] }), 'invalid_input', 'sources[0]')
      await expectGeoError(router.nearest(points[0]!, { radiusM: -5 }), 'invalid_input', 'radiusM')
      await expectGeoError(router.match(samples.trace.slice(0, 1)), 'invalid_input', 'trace')
    })

    it('matches a GPS trace onto a road path', async () => {
      const matched = await router.match(samples.trace)
      expect(matched.tracepoints).toHaveLength(samples.trace.length)
      const hits = matched.tracepoints.filter((point) => point !== null)
      expect(hits.length / samples.trace.length).toBeGreaterThanOrEqual(0.8)
      matched.tracepoints.forEach((point, i) => {
        const fix = samples.trace[i]!
        if (point) expectHonestSnap(fix, point, 3 * (fix.accuracyM ?? 10))
      })
      expect(
        Math.abs(measureLineM(matched.geometry.coordinates) - matched.distanceM) / matched.distanceM,
      ).toBeLessThan(0.02)
      const first = samples.trace[0]!
      const last = samples.trace[samples.trace.length - 1]!
      expect(matched.distanceM).toBeGreaterThan(measureDistanceM(first, last) * 0.9)
      expect(matched.durationS).toBeGreaterThan(0)
      expect(matched.confidence).toBeGreaterThan(0.5)
      expect(matched.confidence).toBeLessThanOrEqual(1)
    })
  })
}
