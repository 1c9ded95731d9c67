import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LatLon } from '../geo/lat-lon.js'
import { createRoadAtPointIndex } from '../geo/roads/road-at-point.js'
import { createLocalProjection, haversineM } from '../geo/routing/earth-distance.js'
import { createGraphRouter } from '../geo/routing/graph-router.js'
import { telemetryTopic } from '../server/core/broker/telemetry-topics.js'
import type { PositionRow, LimiterRow } from '../server/core/broker/telemetry-rows.js'
import type { Clock } from '../server/core/clock/clock.js'
import { createLogger } from '../server/core/log/logger.js'
import { emptyRegisterSet, type RegisterSet } from '../server/core/registers/register-records.js'
import { writeRegisters } from '../server/core/registers/write-registers.js'
import { migrateDatabase } from '../server/core/store/migrate-database.js'
import type {
  DerivedEvent,
  RouteOffCorridorDetails,
  StopSkippedDetails,
  StopUnapprovedDetails,
} from '../workers/events/derived-event.js'
import { eventsConsumer, type EventStream } from '../workers/events/start-event-stream.js'
import { validateTelemetry } from '../workers/ingest/validate-telemetry.js'
import { writeTelemetryBatch } from '../workers/ingest/write-telemetry-batch.js'
import { planFleetDay } from '../workers/simulator/fleet-day-plan.js'
import { prepareRegisterFleet } from '../workers/simulator/fleet-from-registers.js'
import { createFleetSimulation } from '../workers/simulator/fleet-simulation.js'
import { createGridRoadNetwork, gridPlace } from '../workers/simulator/grid-road-network.js'
import { createRoadConditions } from '../workers/simulator/road-conditions.js'
import { createRoadSpeedLookup } from '../workers/simulator/road-speed-lookup.js'
import { applyRouteDeviations, type AppliedDeviation } from '../workers/simulator/route-deviations.js'
import { noFaults, resolveSimulationSettings } from '../workers/simulator/simulation-settings.js'
import { storeBackends, type TestDatabase } from './support/store-backends.js'
import {
  startTestEventStream,
  testStreamSettings,
  waitUntilStreamed as waitUntilStreamedIn,
} from './support/test-event-stream.js'

/**
 * Route compliance end to end: a grid town (4 km of main road east, residential streets north of
 * it every 500 m), one school-bus line along the main road, and two buses running it on a Monday
 * morning, simulated with GPS noise and reported through the store. B1 drives a known detour round
 * a block, drives through a known call without stopping and stands 90 s where no call is; B2 drives
 * the line as approved. The events stream, routing each trip's approved path itself, must find
 * exactly B1's three deviations, where they happened, and nothing of B2's.
 */
const network = createGridRoadNetwork({ columns: 8, rows: 3, blockM: 500 })
const router = createGraphRouter(network)
const roads = createRoadAtPointIndex(router.graph)
const monday = (time: string) => new Date(`2026-03-02T${time}+08:00`)
const callSites = { ST1: 500, ST2: 1500, ST3: 2500, ST4: 3250, 'ST-S1': 4000 }
const callTimes = ['07:00:00', '07:04:00', '07:08:00', '07:11:00', '07:15:00']

function gridTown(): RegisterSet {
  const registers = emptyRegisterSet()
  const centre = gridPlace(2000, 700)
  registers.towns.push({ code: 'grid', kind: 'town', nameZh: '网格镇', nameEn: null, ...centre })
  registers.stops.push(
    ...Object.entries(callSites).map(([code, eastM]) => ({
      code,
      nameZh: code,
      townCode: 'grid',
      kind: code === 'ST-S1' ? ('school_gate' as const) : ('village' as const),
      ...gridPlace(eastM, 0),
    })),
  )
  registers.schools.push({
    code: 'S1',
    nameZh: '网格小学',
    nameEn: null,
    townCode: 'grid',
    kind: 'primary',
    ...gridPlace(4000, 80),
    gateStopCode: 'ST-S1',
  })
  for (const [i, code] of ['B1', 'B2'].entries()) {
    const depot = gridPlace(0, 500 + 500 * i)
    registers.buses.push({
      plate: `浙B·R000${i + 1}`,
      code,
      kind: 'school_bus',
      seats: 35,
      townCode: 'grid',
      schoolCode: 'S1',
      operator: '网格校车',
      depotLat: depot.lat,
      depotLon: depot.lon,
      terminalNo: null,
      permitNo: null,
      permitValidUntil: null,
      inspectedOn: null,
      insuranceUntil: null,
    })
    const tripCode = `T${i + 1}`
    registers.trips.push({
      code: tripCode,
      busPlate: `浙B·R000${i + 1}`,
      lineCode: null,
      schoolCode: 'S1',
      direction: 'to_school',
      waveCode: null,
      weekdays: [1, 2, 3, 4, 5],
      distanceM: null,
      durationS: null,
    })
    Object.keys(callSites).forEach((stopCode, k) => {
      registers.tripCalls.push({
        tripCode,
        seq: k + 1,
        stopCode,
        arrive: callTimes[k]!,
        depart: callTimes[k]!,
      })
    })
  }
  return registers
}

const projection = createLocalProjection(30.22, 121.25)
const metresOf = (place: LatLon): [number, number] => [projection.xM(place.lon), projection.yM(place.lat)]

/** From a point to a polyline, in metres of the projection. */
function distanceToLineM([x, y]: [number, number], line: [number, number][]): number {
  let best = Infinity
  for (let i = 0; i + 1 < line.length; i++) {
    const [ax, ay] = line[i]!
    const [dx, dy] = [line[i + 1]![0] - ax, line[i + 1]![1] - ay]
    const lengthSq = dx * dx + dy * dy
    const t = lengthSq > 0 ? Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / lengthSq)) : 0
    best = Math.min(best, Math.hypot(x - (ax + t * dx), y - (ay + t * dy)))
  }
  return best
}

const streamSettings = testStreamSettings(2)
/** The terminals' fixes stray by 10–15 m (σ), like a cheap terminal's in town. */
const settings = resolveSimulationSettings({ seed: 17, faults: { ...noFaults, gpsAccuracyM: [20, 30] } })
const routeKinds = new Set(['route_off_corridor', 'stop_skipped', 'stop_unapproved'])

describe.each(storeBackends())('route compliance on $name', (backend) => {
  let store: TestDatabase
  let now = monday('06:30:00')
  const clock: Clock = { now: () => now }
  const published: DerivedEvent[] = []
  const log = createLogger({ level: 'silent' })
  let stream: EventStream | undefined
  let applied: AppliedDeviation[] = []
  const fixesOf = new Map<string, PositionRow[]>()
  /** The transaction of each batch of reports, in order. */
  const xids: string[] = []

  const start = async (member: string) => {
    stream = await startTestEventStream({
      db: store.db,
      roads,
      router,
      clock,
      log,
      member,
      publish: (event) => published.push(event),
      stream: streamSettings,
    })
  }

  const waitUntilStreamed = (xid: string) => waitUntilStreamedIn(store.db, xid)

  const storedRouteEvents = async () =>
    (
      await store.db.query<{
        bus_id: string
        kind: string
        ts: Date
        trip_id: string
        details: { stopId?: string }
      }>(`SELECT bus_id, kind, ts, trip_id, details FROM events ORDER BY bus_id, ts, kind`)
    ).filter((event) => routeKinds.has(event.kind))
  /** The details of the one stored event of a kind. */
  const detailsOf = async <T>(kind: string) => {
    const [event] = (await storedRouteEvents()).filter((stored) => stored.kind === kind)
    return { ts: event!.ts, details: event!.details as unknown as T }
  }

  beforeAll(async () => {
    store = await backend.open()
    await migrateDatabase(store.db)
    const registers = gridTown()
    await store.db.transaction((tx) => writeRegisters(tx, { upserts: registers, removals: {} }))

    const roadSpeedAt = createRoadSpeedLookup(router.graph)
    const fleet = await prepareRegisterFleet(registers, router, {
      roadSpeedAt,
      brakingMs2: settings.driving.brakingMs2,
    })
    const plans = planFleetDay(fleet, '2026-03-02')
    const deviating = await applyRouteDeviations(
      plans.find((plan) => plan.busId === 'B1')!,
      [
        // Round the block north of the main road between ST1 and ST2.
        { kind: 'detour', tripId: 'T1', fromStopIndex: 0, via: [gridPlace(750, 500)] },
        { kind: 'skip_call', tripId: 'T1', stopIndex: 2 },
        // Halfway from ST4 to the school's stop.
        { kind: 'unapproved_stand', tripId: 'T1', fromStopIndex: 3, atFraction: 0.5, standS: 90 },
      ],
      { router, roadSpeedAt, brakingMs2: settings.driving.brakingMs2 },
    )
    applied = deviating.applied
    const simulation = createFleetSimulation({
      plans: plans.map((plan) => (plan.busId === 'B1' ? deviating.plan : plan)),
      settings,
      ...createRoadConditions(network, settings, { origin: gridPlace(2000, 700), trafficHotspots: [] }),
    })

    await start('events-1')
    const area = { minLat: 30.2, maxLat: 30.26, minLon: 121.2, maxLon: 121.32 }
    // Five minutes of reports at a time, stored as the ingest stores them and handed to the stream.
    const windowMs = 5 * 60_000
    for (let ms = monday('06:30:00').getTime(); ms < monday('07:50:00').getTime(); ms += windowMs) {
      const reports = simulation.simulateWindow(new Date(ms), new Date(ms + windowMs))
      now = new Date(ms + windowMs)
      const positions: PositionRow[] = []
      const limiterStates: LimiterRow[] = []
      for (const report of reports) {
        const payload = Buffer.from(JSON.stringify(report.payload))
        const result = validateTelemetry(telemetryTopic(report.busId, report.kind), payload, {
          knownBus: (busId) => busId === 'B1' || busId === 'B2',
          area,
          now: new Date(report.deliverAtMs),
        })
        if (result.kind === 'gps') positions.push(result.row)
        else if (result.kind === 'limiter') limiterStates.push(result.row)
        else throw new Error(`the simulated report was refused: ${result.reason}`)
      }
      for (const position of positions) {
        const list = fixesOf.get(position.busId) ?? []
        list.push(position)
        fixesOf.set(position.busId, list)
      }
      const xid = await store.db.transaction(async (tx) => {
        await writeTelemetryBatch(tx, { positions, limiterStates, deadLetters: [] }, now)
        const [row] = await tx.query<{ xid: string }>(`SELECT pg_current_xact_id()::text AS xid`)
        return row!.xid
      })
      xids.push(xid)
      stream!.wake()
      await waitUntilStreamed(xid)
    }
    // The trips' running windows are over (07:15 and half an hour's grace).
    now = monday('07:50:00')
    await stream!.tick()
  }, 180_000)

  afterAll(async () => {
    await Promise.race([stream?.stop(), new Promise((resolve) => setTimeout(resolve, 2000))])
    await store?.dispose()
  })

  const near = (point: { lat: number; lon: number }, place: LatLon) =>
    haversineM(point.lat, point.lon, place.lat, place.lon)
  /** What the simulator made the bus do, by kind. */
  const truthOf = <K extends AppliedDeviation['kind']>(kind: K) =>
    applied.find((deviation): deviation is Extract<AppliedDeviation, { kind: K }> => deviation.kind === kind)!

  it('raises exactly the three deviations of the deviating bus, and none of the bus on its route', async () => {
    const events = await storedRouteEvents()
    expect(
      events.map((event) => [event.bus_id, event.kind, event.trip_id, event.details.stopId ?? null]),
    ).toEqual([
      ['B1', 'route_off_corridor', 'T1', null],
      ['B1', 'stop_skipped', 'T1', 'ST3'],
      ['B1', 'stop_unapproved', 'T1', null],
    ])
    // Both buses called at every other stop, as the stop rule saw.
    const arrivals = await store.db.query<{ bus_id: string; stop: string }>(
      `SELECT bus_id, details->>'stopId' AS stop FROM events WHERE kind = 'stop_arrival' ORDER BY bus_id, ts`,
    )
    expect(arrivals.filter((row) => row.bus_id === 'B2').map((row) => row.stop)).toEqual(
      Object.keys(callSites),
    )
    expect(arrivals.filter((row) => row.bus_id === 'B1').map((row) => row.stop)).toEqual([
      'ST1',
      'ST2',
      'ST4',
      'ST-S1',
    ])
  })

  it('writes the detour with where the bus left and rejoined the line and the stretch it drove', async () => {
    const { details } = await detailsOf<RouteOffCorridorDetails>('route_off_corridor')
    const { left, stretch, offKm, maxOffM, endTs } = details
    const rejoined = details.rejoined!
    // Off the main road north at ST1's corner (500 m east), back on it at the next corner (1000 m).
    expect(near(left, gridPlace(500, 0))).toBeLessThan(200)
    expect(near(rejoined, gridPlace(1000, 0))).toBeLessThan(200)
    expect(left.alongM).toBeLessThan(150)
    expect(rejoined.alongM).toBeGreaterThan(350)
    expect(rejoined.alongM).toBeLessThan(650)
    expect(endTs).toBe(rejoined.ts)
    // Round the block: 500 m up, 500 m along, 500 m down, less what lies within the corridor.
    expect(offKm).toBeGreaterThan(1)
    expect(offKm).toBeLessThan(2)
    expect(maxOffM).toBeGreaterThan(450)
    expect(maxOffM).toBeLessThan(600)
    // Every point of the stretch lies on the detour as driven, the terminal's noise aside.
    const driven = truthOf('detour').driven.map(([lon, lat]) => metresOf({ lat, lon }))
    for (const [lon, lat] of stretch) expect(distanceToLineM(metresOf({ lat, lon }), driven)).toBeLessThan(60)
    expect(stretch.some(([lon, lat]) => near({ lat, lon }, gridPlace(750, 500)) < 80)).toBe(true)
  })

  it('writes the skipped call with its time and the stretch where the bus drove past it', async () => {
    const { ts, details } = await detailsOf<StopSkippedDetails>('stop_skipped')
    const nearest = details.nearest!
    expect(details.plannedTs).toBe(monday('07:08:00').toISOString())
    expect(details.decidedBy).toBe('passed')
    expect(details.calledTs).toBeNull()
    expect(nearest.distanceM).toBeLessThan(50)
    expect(nearest.speedKmh).toBeGreaterThan(25)
    expect(ts.toISOString()).toBe(nearest.ts)
    const st3 = gridPlace(callSites.ST3, 0)
    expect(details.stretch.length).toBeGreaterThan(10)
    for (const [lon, lat] of details.stretch) expect(near({ lat, lon }, st3)).toBeLessThan(320)
    // The bus really was there then, at speed: its stored fix at the event's time.
    const fix = fixesOf.get('B1')!.find((row) => row.ts.getTime() === ts.getTime())!
    expect(near(fix, st3)).toBeLessThan(50)
  })

  it('writes the unapproved stand with where and how long', async () => {
    const { details } = await detailsOf<StopUnapprovedDetails>('stop_unapproved')
    expect(near(details, truthOf('unapproved_stand').at)).toBeLessThan(30)
    // 90 s standing, and the last seconds of braking and first of moving off below walking pace.
    expect(details.durationS).toBeGreaterThanOrEqual(88)
    expect(details.durationS).toBeLessThanOrEqual(100)
    expect(details.endTs).not.toBeNull()
    expect(details.doorsOpened).toBeNull()
    expect(details.nearestStopM).toBeGreaterThan(300)
  })

  /** Hands every partition to a new stream member whose checkpoint is `xid`, and lets it catch up. */
  const handOver = async (member: string, xid: string) => {
    await stream!.stop()
    await store.db.query(`UPDATE stream_leases SET checkpoint = $2::text::xid8 WHERE consumer = $1`, [
      eventsConsumer,
      xid,
    ])
    await start(member)
    const [{ xid: latest }] = await store.db.query<{ xid: string }>(
      `SELECT pg_current_xact_id()::text AS xid`,
    )
    await waitUntilStreamed(latest!)
    await stream!.tick()
  }

  it('derives the same events again from the same reports: the same keys and details', async () => {
    const before = await storedRouteEvents()
    await store.db.exec(
      `DELETE FROM events WHERE kind IN ('route_off_corridor', 'stop_skipped', 'stop_unapproved')`,
    )
    await handOver('events-2', xids[0]!)
    expect(await storedRouteEvents()).toEqual(before)
  })

  it('takes a partition over in mid-trip without a second event or a changed one', async () => {
    const before = await storedRouteEvents()
    const publishedBefore = published.length
    // The new holder warms up on the trip's reports so far (from the trip's start), then goes on.
    await handOver('events-3', xids[Math.floor(xids.length / 2)]!)
    expect(await storedRouteEvents()).toEqual(before)
    expect(published.slice(publishedBefore).filter((event) => routeKinds.has(event.kind))).toEqual([])
  })
})
