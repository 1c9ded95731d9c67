import { describe, expect, it } from 'vitest'
import { buildTripRoute } from '../../geo/eta/trip-route.js'
import type { LatLon } from '../../geo/lat-lon.js'
import { placeAt, testTownRouter } from '../../geo/eta/eta-test-town.js'
import { createOsrmRouter } from '../../geo/routing/osrm-client.js'
import type { Router } from '../../geo/routing/router.js'
import type { PositionRow } from '../../server/core/broker/telemetry-rows.js'
import type { RunningTrip, TripTimetable } from '../../server/core/schedule/trip-calendar.js'
import { createApprovedPaths } from './approved-paths.js'

/** The test town's main street (3 km east) and the lane north from 1 km along it. */
const graphRouter = testTownRouter()
const place = (i: number): LatLon => [placeAt(0), placeAt(1000, 800), placeAt(3000), placeAt(1500)][i]!
const startsAt = new Date('2026-03-02T06:50:00+08:00')
const tripThrough = (tripId: string, places: LatLon[]): RunningTrip => ({
  tripId,
  busId: `bus-${tripId}`,
  startsAt,
  endsAt: new Date(startsAt.getTime() + 3_600_000),
  firstStopAt: startsAt,
  lastStopAt: startsAt,
  stops: places.map((place, i) => ({ seq: i + 1, stopId: `${tripId}-${i + 1}`, ...place })),
})
const timetableOf = (trips: RunningTrip[]): TripTimetable => ({
  findRunningTrip: (busId) => trips.find((trip) => trip.busId === busId),
  listRunningTrips: () => trips,
})
const reportOf = (trip: RunningTrip) => ({ busId: trip.busId, ts: startsAt }) as PositionRow

function pathsWith(router: Router) {
  const routed: string[] = []
  const paths = createApprovedPaths({
    routeTrip: (stops) => {
      routed.push(stops.map((stop) => stop.stopId).join(' '))
      return buildTripRoute(stops, router)
    },
    loadPlaces: async (tripIds) => new Map(tripIds.map((id) => [id, [place(3)]])),
  })
  return { paths, routed }
}

describe('approved paths', () => {
  it('routes each trip once through its calls, as the trip is drawn, with its places', async () => {
    const trip = tripThrough('T1', [place(0), place(1), place(2)])
    const { paths, routed } = pathsWith(graphRouter)
    await paths.prepareFor([reportOf(trip), reportOf(trip)], timetableOf([trip]))
    await paths.prepareFor([reportOf(trip)], timetableOf([trip]))
    expect(routed).toEqual(['T1-1 T1-2 T1-3'])
    const path = paths.pathOf(trip)!
    const drawn = await buildTripRoute(
      trip.stops.map(({ seq, stopId, lat, lon }) => ({ seq, stopId, lat, lon })),
      graphRouter,
    )
    expect(path.route.geometry).toEqual(drawn.geometry)
    expect(path.places).toEqual([place(3)])
    // Calls moved: the trip is routed again.
    const moved = { ...trip, stops: trip.stops.slice(0, 2) }
    expect(paths.pathOf(moved)).toBeUndefined()
    await paths.prepareFor([reportOf(moved)], timetableOf([moved]))
    expect(routed).toHaveLength(2)
  })

  it('leaves unjudged a trip that cannot be routed, and fails while the router is unavailable', async () => {
    const oneCall = tripThrough('T2', [place(0)])
    const { paths } = pathsWith(graphRouter)
    await paths.prepareFor([reportOf(oneCall)], timetableOf([oneCall]))
    expect(paths.pathOf(oneCall)).toBeUndefined()

    const trip = tripThrough('T3', [place(0), place(1)])
    const down = pathsWith(createOsrmRouter({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 500, retries: 0 }))
    await expect(down.paths.prepareFor([reportOf(trip)], timetableOf([trip]))).rejects.toMatchObject({
      code: 'router_unavailable',
    })
    expect(down.paths.pathOf(trip)).toBeUndefined()
  })
})
