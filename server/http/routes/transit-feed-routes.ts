import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'
import { z } from 'zod'
import { toShanghaiTime } from '../../core/clock/shanghai-time.js'
import { AppError } from '../../core/errors/app-error.js'
import { createFleetQueries } from '../../core/store/fleet-queries.js'
import {
  createTransitServiceQueries,
  type TransitServiceDay,
} from '../../core/store/transit-service-queries.js'
import { createAddressRateLimit } from '../address-rate-limit.js'
import type { ApiDeps } from '../api-deps.js'
import { describeOperations } from '../openapi/api-operation.js'
import { parseInput } from '../parse-input.js'
import { requestOrigin } from '../request-origin.js'
import { encodeFeed, feedToJson, type FeedMessage } from '../transit/gtfs-realtime-message.js'
import { readLiveBusSnapshot, type LiveBusSnapshot } from '../transit/live-bus-snapshot.js'
import { listRunningTransitTrips } from '../transit/running-transit-trips.js'
import { buildTodayGtfsFiles } from '../transit/today-gtfs-files.js'
import type { TrackedTransitTrip } from '../transit/tracked-transit-trip.js'
import { buildTripUpdatesFeed } from '../transit/trip-updates-feed.js'
import { buildVehiclePositionsFeed } from '../transit/vehicle-positions-feed.js'
import { zipFiles } from '../zip-files.js'

/** A transit app polls each realtime feed every 10–30 s: one address may ask a request a second. */
export const transitFeedBurst = 30
export const transitFeedRequestsPerMin = 60
/** Realtime feeds change with every fix; a few seconds of caching spares the store a crowd of readers. */
const realtimeMaxAgeS = 5
const timetableMaxAgeS = 10

const realtimeQuery = z.object({ format: z.enum(['protobuf', 'json']).default('protobuf') })

const feedErrors = ['rate_limited', 'unavailable'] as const
const realtimeFeed = {
  description: 'A GTFS-Realtime FeedMessage: protobuf, or its JSON form with `format=json`',
  type: 'application/x-protobuf',
}

export const transitFeedOperations = describeOperations([
  {
    method: 'get',
    path: '/gtfs/today.zip',
    summary: "Today's timetable of the public micro-bus and custom-bus lines, as GTFS",
    callers: 'anyone',
    responses: { 200: { description: 'the GTFS files, zipped', type: 'application/zip' } },
    errors: feedErrors,
  },
  {
    method: 'get',
    path: '/gtfs-rt/vehicle-positions',
    summary: "Where the public lines' buses are",
    callers: 'anyone',
    query: realtimeQuery,
    responses: { 200: realtimeFeed },
    errors: feedErrors,
  },
  {
    method: 'get',
    path: '/gtfs-rt/trip-updates',
    summary: "When the public lines' buses will reach their stops",
    callers: 'anyone',
    query: realtimeQuery,
    responses: { 200: realtimeFeed },
    errors: feedErrors,
  },
])

/**
 * The public feeds of the micro-bus (微公交) and custom-bus (定制公交) lines: today's timetable as
 * GTFS (`/gtfs/today.zip`) and where their buses are and when they will reach their stops as
 * GTFS-Realtime (`/gtfs-rt/vehicle-positions`, `/gtfs-rt/trip-updates`).
 *
 * They are open, with no token, as a transit agency's feeds are, because these are public bus
 * lines that anyone may ride and transit apps read them unattended. They hold only what a bus stop
 * shows: lines, stops, timetables, buses by id and plate, their positions and ETAs while running a
 * published trip. No pupil, guardian or staff member appears in them, and no school-bus trip nor
 * trip a school bus drives (see transit-service-queries.ts): those stay behind the tokens and
 * scopes of `/api`. Each address has a budget of requests (past it, 429 with Retry-After), and
 * answers may be cached briefly.
 */
export function transitFeedRoutes(deps: ApiDeps) {
  const { db, clock } = deps
  const service = createTransitServiceQueries(db)
  const fleet = createFleetQueries(db)
  const requests = createAddressRateLimit({
    burst: transitFeedBurst,
    perMin: transitFeedRequestsPerMin,
    clock,
  })

  const limitPerAddress: MiddlewareHandler = async (c, next) => {
    requests.take(requestOrigin(c, { trustProxy: deps.trustProxy }).ip)
    await next()
  }
  /** An error is not kept by caches: the next poll asks again. */
  const errorsUncached: MiddlewareHandler = async (c, next) => {
    await next()
    if (c.res.status >= 400) c.header('Cache-Control', 'no-store')
  }

  const today = async (): Promise<TransitServiceDay> => {
    const local = toShanghaiTime(clock.now())
    return service.serviceDay(local.date, local.isoWeekday)
  }

  /** The bus's live state as the live channel last sent it; without one in reach, its newest stored fix. */
  const snapshotOf = async (busId: string): Promise<LiveBusSnapshot | undefined> => {
    if (deps.liveSnapshot) {
      const live = await deps.liveSnapshot(busId).catch((error: unknown) => {
        throw new AppError('unavailable', 'the buses’ live state cannot be read now', { cause: error })
      })
      return readLiveBusSnapshot(live)
    }
    const fix = await fleet.latestPosition(busId)
    if (!fix) return undefined
    const position = { ...fix, ts: fix.ts.toISOString() }
    return { position, tripId: null, eta: null }
  }

  const trackRunningTrips = async (): Promise<TrackedTransitTrip[]> => {
    const running = listRunningTransitTrips(await today(), clock.now())
    return Promise.all(
      running.map(async (trip) => ({ running: trip, snapshot: await snapshotOf(trip.busId) })),
    )
  }

  const realtime = async (c: Context, build: (trips: TrackedTransitTrip[], now: Date) => FeedMessage) => {
    const { format } = parseInput(realtimeQuery, c.req.query(), 'query')
    const message = build(await trackRunningTrips(), clock.now())
    c.header('Cache-Control', `public, max-age=${realtimeMaxAgeS}`)
    if (format === 'json') return c.json(feedToJson(message))
    c.header('Content-Type', 'application/x-protobuf')
    return c.body(new Uint8Array(encodeFeed(message)))
  }

  /**
   * A trip planner in a browser on another site may read them, as it may a transit agency's feeds:
   * they hold nothing a visitor's cookies or tokens would unlock, so any origin may.
   */
  const openToEveryOrigin: MiddlewareHandler[] = [
    cors({ origin: '*', allowMethods: ['GET'], exposeHeaders: ['Retry-After'] }),
    async (c, next) => {
      await next()
      c.res.headers.set('Cross-Origin-Resource-Policy', 'cross-origin')
    },
  ]

  // Mounted at the root beside the pages: each middleware names its paths, so it touches nothing else.
  return new Hono()
    .use('/gtfs/*', ...openToEveryOrigin, errorsUncached, limitPerAddress)
    .use('/gtfs-rt/*', ...openToEveryOrigin, errorsUncached, limitPerAddress)
    .get('/gtfs/today.zip', async (c) => {
      const day = await today()
      const shapes = new Map<string, [number, number][]>()
      if (deps.tripGeometry) {
        const geometryOf = deps.tripGeometry
        await Promise.all(
          day.trips.map(async (trip) => {
            // A trip the router cannot draw goes without a shape; its stops still say where it runs.
            const geometry = await geometryOf(trip.id).catch(() => undefined)
            if (geometry) shapes.set(trip.id, geometry.coordinates)
          }),
        )
      }
      const zip = zipFiles(
        Object.entries(buildTodayGtfsFiles(day, shapes)).map(([name, content]) => ({ name, content })),
        { modified: clock.now() },
      )
      c.header('Content-Type', 'application/zip')
      c.header('Content-Disposition', `attachment; filename="gtfs-${day.date}.zip"`)
      c.header('Cache-Control', `public, max-age=${timetableMaxAgeS}`)
      return c.body(new Uint8Array(zip))
    })
    .get('/gtfs-rt/vehicle-positions', (c) => realtime(c, buildVehiclePositionsFeed))
    .get('/gtfs-rt/trip-updates', (c) => realtime(c, buildTripUpdatesFeed))
}
