import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TripEta } from '../geo/eta/eta-tracker.js'
import type { TripRoute } from '../geo/eta/trip-route.js'
import { createGraphRouter } from '../geo/routing/graph-router.js'
import { loadCixiWorld } from '../fixtures/cixi-world.js'
import { fromShanghaiTime } from '../server/core/clock/shanghai-time.js'
import { createLiveTripEtas } from '../server/live/live-trip-etas.js'
import { createLogger } from '../server/core/log/logger.js'
import type { Database } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { openPgliteDatabase } from '../server/core/store/pglite-database.js'
import { seedCixiWorld } from '../server/seed/seed-cixi-world.js'
import type { PositionRow } from '../server/core/broker/telemetry-rows.js'
import { settableClock } from './support/test-platform-parts.js'

/**
 * The ETA engine of the live path over the seeded Cixi world: a bus driving its morning trip
 * gets estimates that count down, says when it goes silent, and has none once the trip is over.
 */
const monday = '2026-03-02'
let db: Database
let trip: { tripId: string; busId: string; firstDepart: string; lastArrive: string }
let route: TripRoute
const clock = settableClock(new Date())
let engine: ReturnType<typeof createLiveTripEtas>

beforeAll(async () => {
  const world = await loadCixiWorld()
  db = await openPgliteDatabase()
  await migrateDatabase(db)
  await seedCixiWorld(db, world)
  const [row] = await db.query<typeof trip>(
    `SELECT t.id AS "tripId", t.bus_id AS "busId",
            to_char(min(s.depart_time), 'HH24:MI:SS') AS "firstDepart",
            to_char(max(s.arrive_time), 'HH24:MI:SS') AS "lastArrive"
     FROM trips t JOIN trip_stops s ON s.trip_id = t.id
     WHERE t.bus_id = 'bus-05' AND t.direction = 'to_school' GROUP BY t.id ORDER BY 3 LIMIT 1`,
  )
  trip = row!
  engine = createLiveTripEtas({
    db,
    router: createGraphRouter(world.roads),
    clock,
    log: createLogger({ level: 'silent' }),
    learned: () => undefined,
  })
  route = await engine.tripRoute(trip.tripId)
}, 60_000)
afterAll(() => db.close())

/** Where the bus is after `s` seconds at a steady 25 km/h from the first stop, on the trip's road. */
function fixAfter(s: number): PositionRow {
  const alongM = Math.min(route.lengthM, (s * 25) / 3.6)
  let i = 1
  while (i < route.alongM.length - 1 && route.alongM[i]! < alongM) i++
  const [lon0, lat0] = route.geometry.coordinates[i - 1]!
  const [lon1, lat1] = route.geometry.coordinates[i]!
  const share = (alongM - route.alongM[i - 1]!) / Math.max(1e-9, route.alongM[i]! - route.alongM[i - 1]!)
  const startMs = fromShanghaiTime(monday, trip.firstDepart).getTime()
  return {
    busId: trip.busId,
    ts: new Date(startMs + s * 1000),
    lat: lat0! + (lat1! - lat0!) * share,
    lon: lon0! + (lon1! - lon0!) * share,
    speedKmh: 25,
    headingDeg: null,
    altM: null,
    accuracyM: null,
    ignition: true,
    seq: null,
  }
}

const lastStopEtaMs = (eta: TripEta | null) => Date.parse(eta!.stops.at(-1)!.etaTs!)

describe('live trip ETAs', () => {
  it('follows a bus along its trip, and estimates its arrival at the school', async () => {
    const etas: (TripEta | null)[] = []
    for (let s = 0; s <= 240; s += 5) {
      const fix = fixAfter(s)
      clock.set(fix.ts)
      for (const update of await engine.observe([fix])) {
        expect(update).toMatchObject({ busId: trip.busId, tripId: trip.tripId })
        etas.push(update.eta)
      }
    }
    expect(etas.length).toBeGreaterThan(10)
    const last = etas.at(-1)!
    expect(last.status).toBe('on_route')
    expect(last.progressM).toBeGreaterThan(1000)
    // Driven at a steady pace, the estimate of the school's arrival holds within a few minutes…
    const firstMs = lastStopEtaMs(etas[0]!)
    expect(Math.abs(lastStopEtaMs(last) - firstMs)).toBeLessThan(5 * 60_000)
    // …and the seconds to go count down.
    expect(last.stops.at(-1)!.etaS!).toBeLessThan(etas[0]!.stops.at(-1)!.etaS!)
  })

  it('says it does not know while the bus is silent, and sends nothing new while nothing changes', async () => {
    const lastFix = fixAfter(240)
    const silentAt = lastFix.ts.getTime() + 5 * 60_000
    const [update] = await engine.tick(silentAt)
    expect(update?.eta).toMatchObject({ status: 'silent', lastReportTs: lastFix.ts.toISOString() })
    expect(update!.eta!.stops.filter((stop) => !stop.passed).every((stop) => stop.etaTs === null)).toBe(true)
    expect(await engine.tick(silentAt)).toEqual([])
  })

  it('ends the bus’s ETA once its trip is over', async () => {
    const afterTrip = fromShanghaiTime(monday, trip.lastArrive).getTime() + 3 * 3600_000
    expect(await engine.tick(afterTrip)).toEqual([{ busId: trip.busId, tripId: null, eta: null }])
    expect(await engine.tick(afterTrip)).toEqual([])
  })
})
