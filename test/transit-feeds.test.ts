import { strFromU8, unzipSync } from 'fflate'
import GtfsRealtimeBindings from 'gtfs-realtime-bindings'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGraphRouter } from '../geo/routing/graph-router.js'
import { createLogger } from '../server/core/log/logger.js'
import type { Database } from '../server/core/store/database.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import { openPgliteDatabase } from '../server/core/store/pglite-database.js'
import { createHttpApp, type HttpApp } from '../server/http/create-http-app.js'
import { transitFeedBurst } from '../server/http/routes/transit-feed-routes.js'
import { createBusLiveFeed } from '../server/live/bus-live-feed.js'
import { openBusLiveState } from '../server/live/bus-live-state.js'
import { createLiveTripEtas } from '../server/live/live-trip-etas.js'
import { parseCsv } from './support/gtfs-feed-checks.js'
import { createTestAccess, settableClock } from './support/test-platform-parts.js'
import {
  drivenFixes,
  loadMicroBusScenario,
  microBusRoad,
  microBusScenario,
} from './scenarios/micro-bus-and-school-bus.js'

/**
 * The public GTFS and GTFS-Realtime feeds over the store and the live channel's own ETA engine:
 * four buses drive their morning trips, and a transit app with no token reads today's timetable
 * and the realtime feeds. The micro-bus runs are in them, whoever rides them; school buses never.
 */
const { transit_realtime: rt } = GtfsRealtimeBindings
const log = createLogger({ level: 'silent' })
const now = microBusScenario.monday0706
const nowS = now.getTime() / 1000
const clock = settableClock(now)
let db: Database
let app: HttpApp
/** What a transit app downloads: today's GTFS tables by file name. */
let gtfs: Record<string, Record<string, string>[]>
let nextAddress = 1
let liveSnapshot: (busId: string) => Promise<unknown>

/** A request from an address of its own, so that each test has its own budget. */
const get = (path: string, app_ = app) =>
  app_.request(path, { headers: { 'x-forwarded-for': `198.51.100.${nextAddress++}` } })

async function readFeed(path: string) {
  const response = await get(path)
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toBe('application/x-protobuf')
  expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d$/)
  return rt.FeedMessage.decode(new Uint8Array(await response.arrayBuffer()))
}

const ids = (table: string, column: string) => new Set(gtfs[table]!.map((row) => row[column]))

beforeAll(async () => {
  db = await openPgliteDatabase()
  await migrateDatabase(db)
  await loadMicroBusScenario(db)
  const etas = createLiveTripEtas({
    db,
    router: createGraphRouter(microBusRoad),
    clock,
    log,
    learned: () => undefined,
  })
  const feed = createBusLiveFeed({
    live: { publishToBusWatchers: () => undefined },
    state: await openBusLiveState({ log }),
    etas,
    log,
  })
  // The fixes arrive as the buses send them, each read by the live channel when it is stored.
  for (const fix of drivenFixes(now)) {
    clock.set(fix.ts)
    await db.query(
      `INSERT INTO positions (bus_id, ts, lat, lon, speed_kmh, heading_deg) VALUES ($1, $2, $3, $4, $5, $6)`,
      [fix.busId, fix.ts, fix.lat, fix.lon, fix.speedKmh, fix.headingDeg],
    )
    await feed.consume([fix])
  }
  clock.set(now)
  liveSnapshot = feed.snapshotOf
  const access = createTestAccess(db, clock)
  app = createHttpApp({
    deps: {
      db,
      access: access.access,
      clock,
      sessions: access.sessions,
      audit: access.audit,
      trustProxy: true,
      liveSnapshot: feed.snapshotOf,
      tripGeometry: async (tripId) => (await etas.tripRoute(tripId)).geometry,
    },
    tokens: access.tokens,
    health: async () => ({ status: 'ok', parts: {} }),
    log,
  })

  const response = await get('/gtfs/today.zip')
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toBe('application/zip')
  const files = unzipSync(new Uint8Array(await response.arrayBuffer()))
  gtfs = Object.fromEntries(
    Object.entries(files).map(([name, bytes]) => [name.replace(/\.txt$/, ''), parseCsv(strFromU8(bytes))]),
  )
}, 60_000)
afterAll(() => db.close())

describe('today.zip', () => {
  it('holds today’s published micro-bus and custom-bus trips, each on its line and stops', () => {
    expect(Object.keys(gtfs).sort()).toEqual([
      'agency',
      'calendar_dates',
      'feed_info',
      'routes',
      'shapes',
      'stop_times',
      'stops',
      'trips',
    ])
    expect(gtfs.trips!.map((trip) => trip.trip_id).sort()).toEqual(microBusScenario.publishedTripIds)
    expect(gtfs.routes!.map((route) => [route.route_id, route.route_type])).toEqual([
      ['L1', '3'],
      ['L2', '3'],
    ])
    expect(gtfs.calendar_dates).toEqual([{ service_id: '20260302', date: '20260302', exception_type: '1' }])
    const agencies = ids('agency', 'agency_id')
    for (const route of gtfs.routes!) expect(agencies).toContain(route.agency_id)
    for (const trip of gtfs.trips!) {
      expect(ids('routes', 'route_id')).toContain(trip.route_id)
      expect(ids('calendar_dates', 'service_id')).toContain(trip.service_id)
    }
    for (const call of gtfs.stop_times!) {
      expect(ids('stops', 'stop_id')).toContain(call.stop_id)
      expect(call.arrival_time).toMatch(/^\d{2}:\d{2}:\d{2}$/)
    }
    expect(
      gtfs.stop_times!.filter((call) => call.trip_id === 'L1-am1').map((call) => call.arrival_time),
    ).toEqual(['07:00:00', '07:05:00', '07:10:00', '07:15:00'])
    // The router drew both trips' roads.
    const shapeIds = ids('shapes', 'shape_id')
    for (const trip of gtfs.trips!) expect(shapeIds).toContain(trip.shape_id)
  })
})

describe('the realtime feeds', () => {
  it('place the published trips’ buses, fresh, and nothing else', async () => {
    const feed = await readFeed('/gtfs-rt/vehicle-positions')
    expect(feed.header).toMatchObject({ gtfsRealtimeVersion: '2.0', incrementality: 0 })
    expect(Number(feed.header.timestamp)).toBe(nowS)
    expect(feed.entity.map((entity) => entity.vehicle?.trip?.tripId)).toEqual(['L1-am1', 'L1-am2'])
    expect(feed.entity[1]!.vehicle!.vehicle).toMatchObject({ id: 'MB2' })
    const vehicle = feed.entity[0]!.vehicle!
    expect(vehicle.vehicle).toMatchObject({ id: 'MB1', label: '浙B·D0001' })
    expect(vehicle.trip).toMatchObject({ routeId: 'L1', startDate: '20260302' })
    expect(ids('trips', 'trip_id')).toContain(vehicle.trip!.tripId)
    expect(ids('routes', 'route_id')).toContain(vehicle.trip!.routeId)
    expect(ids('stops', 'stop_id')).toContain(vehicle.stopId)
    expect(vehicle.position!.speed).toBeCloseTo(20 / 3.6, 3)
    expect(vehicle.position!.bearing).toBe(90)
    expect(nowS - Number(vehicle.timestamp)).toBeGreaterThanOrEqual(0)
    expect(nowS - Number(vehicle.timestamp)).toBeLessThanOrEqual(30)
  })

  it('give the published trips’ arrivals at the stops still ahead, in order, from a fresh estimate', async () => {
    const feed = await readFeed('/gtfs-rt/trip-updates')
    expect(feed.header.gtfsRealtimeVersion).toBe('2.0')
    expect(Number(feed.header.timestamp)).toBe(nowS)
    expect(feed.entity.map((entity) => entity.tripUpdate?.trip.tripId)).toEqual(['L1-am1', 'L1-am2'])
    const update = feed.entity[0]!.tripUpdate!
    expect(ids('routes', 'route_id')).toContain(update.trip.routeId)
    expect(nowS - Number(update.timestamp)).toBeGreaterThanOrEqual(0)
    expect(nowS - Number(update.timestamp)).toBeLessThanOrEqual(30)
    // By 07:06 the bus has passed HUB and ST2: ST3 and GATE are ahead.
    const updates = update.stopTimeUpdate!
    expect(updates.map((u) => [u.stopSequence, u.stopId])).toEqual([
      [3, 'ST3'],
      [4, 'GATE'],
    ])
    const calls = gtfs.stop_times!.filter((call) => call.trip_id === 'L1-am1')
    let previousS = nowS
    for (const u of updates) {
      expect(calls).toContainEqual(
        expect.objectContaining({ stop_id: u.stopId, stop_sequence: String(u.stopSequence) }),
      )
      expect(Number(u.arrival!.time)).toBeGreaterThanOrEqual(previousS)
      previousS = Number(u.arrival!.time)
    }
  })

  it('never show a school bus, nor a line’s run a school bus drives', async () => {
    // Those buses are running, with a position and an ETA on the live channel.
    for (const [busId, tripId] of [
      ['SB1', 'SB-am1'],
      ['SB2', 'L1-am3'],
    ])
      expect(await liveSnapshot(busId!)).toMatchObject({
        tripId,
        position: expect.objectContaining({ lat: expect.any(Number) }),
        eta: expect.objectContaining({ status: 'on_route' }),
      })
    for (const path of ['/gtfs-rt/vehicle-positions', '/gtfs-rt/trip-updates']) {
      const feed = await readFeed(path)
      for (const entity of feed.entity) {
        const trip = entity.vehicle?.trip ?? entity.tripUpdate?.trip
        const bus = entity.vehicle?.vehicle ?? entity.tripUpdate?.vehicle
        expect(microBusScenario.unpublishedTripIds).not.toContain(trip?.tripId)
        expect(microBusScenario.busesOfUnpublishedTrips).not.toContain(bus?.id)
      }
    }
    for (const tripId of microBusScenario.unpublishedTripIds)
      expect(ids('trips', 'trip_id')).not.toContain(tripId)
  })

  it('read as JSON the same as the protocol buffers', async () => {
    const response = await get('/gtfs-rt/trip-updates?format=json')
    expect(response.status).toBe(200)
    const json = (await response.json()) as { header: object; entity: { id: string }[] }
    expect(json.header).toEqual({
      gtfsRealtimeVersion: '2.0',
      incrementality: 'FULL_DATASET',
      timestamp: nowS,
    })
    expect(json.entity.map((entity) => entity.id)).toEqual(['L1-am1', 'L1-am2'])
    expect((await get('/gtfs-rt/trip-updates?format=xml')).status).toBe(400)
  })
})

describe('what the feeds hold and who may read them', () => {
  it('name no pupil, guardian or member of staff, and locate no home', async () => {
    const zip = unzipSync(new Uint8Array(await (await get('/gtfs/today.zip')).arrayBuffer()))
    const texts = [
      ...Object.values(zip).map((bytes) => strFromU8(bytes)),
      await (await get('/gtfs-rt/vehicle-positions?format=json')).text(),
      await (await get('/gtfs-rt/trip-updates?format=json')).text(),
    ].join('\n')
    const people = await db.query<{ value: string }>(
      `SELECT name AS value FROM pupils UNION ALL SELECT code FROM pupils
       UNION ALL SELECT name FROM guardians UNION ALL SELECT phone FROM guardians
       UNION ALL SELECT name FROM staff UNION ALL SELECT phone FROM staff
       UNION ALL SELECT home_lat::text FROM pupils UNION ALL SELECT home_lon::text FROM pupils`,
    )
    expect(people.length).toBeGreaterThan(0)
    for (const { value } of people) expect(texts).not.toContain(value)
  })

  it('need no token, and limit each address, answering 429 uncached past its budget', async () => {
    const address = { 'x-forwarded-for': '203.0.113.9' }
    let last: Response | undefined
    for (let k = 0; k <= transitFeedBurst; k++)
      last = await app.request('/gtfs-rt/vehicle-positions', { headers: address })
    expect(last!.status).toBe(429)
    expect(last!.headers.get('cache-control')).toBe('no-store')
    // A poller told when to come back: the bucket refills one request a second.
    expect(last!.headers.get('retry-after')).toBe('1')
    expect(last!.headers.get('access-control-allow-origin')).toBe('*')
    expect(await last!.json()).toMatchObject({ error: { code: 'rate_limited' } })
    // Another address, and the rest of the platform, are not held back.
    expect((await get('/gtfs-rt/vehicle-positions')).status).toBe(200)
    expect((await app.request('/health', { headers: address })).status).toBe(200)
    expect((await app.request('/api/me', { headers: address })).status).toBe(401)
  })

  it('may be read by a page of any other site, and only read', async () => {
    const origin = { origin: 'https://trip-planner.example', 'x-forwarded-for': '203.0.113.10' }
    for (const path of ['/gtfs-rt/trip-updates', '/gtfs/today.zip']) {
      const response = await app.request(path, { headers: origin })
      expect(response.status).toBe(200)
      expect(response.headers.get('access-control-allow-origin')).toBe('*')
      expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin')
    }
    const preflight = await app.request('/gtfs-rt/vehicle-positions', {
      method: 'OPTIONS',
      headers: { ...origin, 'access-control-request-method': 'GET' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET')
    // The rest of the platform stays closed to other sites' pages.
    const api = await app.request('/api/me', { headers: origin })
    expect(api.headers.get('access-control-allow-origin')).toBeNull()
    expect(api.headers.get('cross-origin-resource-policy')).toBe('same-origin')
  })

  it('place the buses from the store where no live state is in reach', async () => {
    const access = createTestAccess(db, clock)
    const withoutLive = createHttpApp({
      deps: { db, access: access.access, clock, sessions: access.sessions, audit: access.audit },
      tokens: access.tokens,
      health: async () => ({ status: 'ok', parts: {} }),
      log,
    })
    const response = await withoutLive.request('/gtfs-rt/vehicle-positions')
    const feed = rt.FeedMessage.decode(new Uint8Array(await response.arrayBuffer()))
    expect(feed.entity.map((entity) => [entity.vehicle?.trip?.tripId, entity.vehicle?.vehicle?.id])).toEqual([
      ['L1-am1', 'MB1'],
      ['L1-am2', 'MB2'],
    ])
    const trips = rt.FeedMessage.decode(
      new Uint8Array(await (await withoutLive.request('/gtfs-rt/trip-updates')).arrayBuffer()),
    )
    expect(trips.entity).toEqual([])
  })
})
