import { describe, expect, it } from 'vitest'
import { placeAt, stopAt, testTownRouter } from './eta-test-town.js'
import { buildTripRoute, routerSecondsAt, tripRouteFromLine } from './trip-route.js'

const router = testTownRouter()

describe('trip route', () => {
  it('places each stop along the road geometry, in order, with the router leg times', async () => {
    // Out along main street, up the dead-end lane and back down it, then on east.
    const stops = [stopAt(1, 200), stopAt(2, 1000, 700), stopAt(3, 2500)]
    const route = await buildTripRoute(stops, router)
    expect(route.stops.map((stop) => Math.round(stop.alongM))).toEqual([0, 1500, 3700])
    expect(route.lengthM).toBeCloseTo(3700, -1)
    expect(route.stops.every((stop) => stop.offsetM < 1)).toBe(true)
    const routed = await router.route(stops)
    expect(route.legRouterS).toEqual(routed.legs.map((leg) => leg.durationS))
    expect(route.legDistanceM).toEqual(routed.legs.map((leg) => leg.distanceM))
    expect(route.geometry.type).toBe('LineString')
    const [lon, lat] = route.geometry.coordinates[0]!
    expect(lat).toBeCloseTo(placeAt(200).lat, 6)
    expect(lon).toBeCloseTo(placeAt(200).lon, 6)
    expect(JSON.parse(JSON.stringify(route.geometry))).toEqual(route.geometry)
  })

  it('places a stop the route passes twice on the pass the router reached it by', async () => {
    // The lane is driven up and back down; the third stop lies on it, reached on the way down.
    const route = await buildTripRoute([stopAt(1, 200), stopAt(2, 1000, 700), stopAt(3, 1000, 300)], router)
    expect(route.stops[2]!.alongM).toBeCloseTo(1500 + 400, -1)
  })

  it('follows the router time along a leg, not the distance', async () => {
    // 1,300 m at 60 km/h, then 1,000 m at 30 km/h.
    const route = await buildTripRoute([stopAt(1, 200), stopAt(2, 2500)], router)
    expect(route.legRouterS[0]).toBeCloseTo(78 + 120, 0)
    expect(routerSecondsAt(route, 1300)).toBeCloseTo(78, -1)
    expect(routerSecondsAt(route, 1800)).toBeCloseTo(78 + 60, -1)
    expect(routerSecondsAt(route, route.lengthM + 100)).toBeCloseTo(198, 0)
  })

  it('gives consecutive stops at one spot a zero leg', async () => {
    const route = await buildTripRoute([stopAt(1, 200), stopAt(2, 200), stopAt(3, 800)], router)
    expect(route.legRouterS[0]).toBe(0)
    expect(route.stops[1]!.alongM).toBe(route.stops[0]!.alongM)
    expect(route.legRouterS[1]).toBeCloseTo(36, 0)
  })

  it('builds a route on a drawn line with given leg times, linear within each leg', async () => {
    // The line of the lane trip, up the lane and back down: the third stop is on the way down.
    const stops = [stopAt(1, 200), stopAt(2, 1000, 700), stopAt(3, 1000, 300), stopAt(4, 2500)]
    const routed = await buildTripRoute(stops, router)
    const route = tripRouteFromLine(stops, routed.geometry.coordinates, [120, 60, 240])
    expect(route.stops.map((stop) => Math.round(stop.alongM))).toEqual(
      routed.stops.map((stop) => Math.round(stop.alongM)),
    )
    expect(route.legRouterS).toEqual([120, 60, 240])
    expect(route.legDistanceM[0]).toBeCloseTo(route.stops[1]!.alongM - route.stops[0]!.alongM, 6)
    const midM = (route.stops[2]!.alongM + route.stops[3]!.alongM) / 2
    expect(routerSecondsAt(route, midM)).toBeCloseTo(180 + 120, 6)
    expect(() => tripRouteFromLine(stops, routed.geometry.coordinates, [1, 2])).toThrow(RangeError)
  })
})
