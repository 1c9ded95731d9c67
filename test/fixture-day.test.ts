import { beforeAll, describe, expect, it } from 'vitest'
import { registersFromCixiWorld } from '../fixtures/cixi-registers.js'
import { loadCixiWorld, type CixiWorld } from '../fixtures/cixi-world.js'
import { haversineM } from '../geo/routing/earth-distance.js'
import { createGraphRouter } from '../geo/routing/graph-router.js'
import { telemetryTopic } from '../server/core/broker/telemetry-topics.js'
import { createJumpFilter } from '../workers/ingest/jump-filter.js'
import { validateTelemetry } from '../workers/ingest/validate-telemetry.js'
import type { BusPlan } from '../workers/simulator/bus-plan.js'
import { planFleetDay } from '../workers/simulator/fleet-day-plan.js'
import { prepareRegisterFleet, type RegisterFleet } from '../workers/simulator/fleet-from-registers.js'
import { createFleetSimulation } from '../workers/simulator/fleet-simulation.js'
import { createRoadConditions, type RoadConditions } from '../workers/simulator/road-conditions.js'
import { createRoadSpeedLookup } from '../workers/simulator/road-speed-lookup.js'
import type { GpsReport, SimulatedReport, StopCallEvent } from '../workers/simulator/simulated-report.js'
import { resolveSimulationSettings } from '../workers/simulator/simulation-settings.js'

const DATE = '2026-03-02'
const settings = resolveSimulationSettings({ seed: 11 })
let world: CixiWorld
let fleet: RegisterFleet
let plans: BusPlan[]
let conditions: RoadConditions
const reports: SimulatedReport[] = []
const calls: StopCallEvent[] = []

/** A third of the fleet through a whole school day, in hour-long windows. */
beforeAll(async () => {
  world = await loadCixiWorld()
  const router = createGraphRouter(world.roads)
  fleet = await prepareRegisterFleet(registersFromCixiWorld(world), router, {
    roadSpeedAt: createRoadSpeedLookup(router.graph),
    brakingMs2: settings.driving.brakingMs2,
  })
  plans = planFleetDay(fleet, DATE).filter((_, i) => i % 3 === 0)
  conditions = createRoadConditions(world.roads, settings, {
    origin: world.city.centre,
    trafficHotspots: world.schools.map((school) => school.location),
  })
  const simulation = createFleetSimulation({
    plans,
    settings,
    ...conditions,
    onStopCall: (event) => calls.push(event),
  })
  const dayStartMs = Date.parse(`${DATE}T00:00:00+08:00`)
  for (let hour = 0; hour < 24; hour++) {
    const window = simulation.simulateWindow(
      new Date(dayStartMs + hour * 3_600_000),
      new Date(dayStartMs + (hour + 1) * 3_600_000),
    )
    reports.push(...window)
  }
})

const tsMs = (ts: string | number) => (typeof ts === 'number' ? ts : Date.parse(ts))
const quantile = (sorted: number[], q: number) => sorted[Math.floor(q * (sorted.length - 1))]!

const fixesByBus = new Map<string, GpsReport[]>()
/** A bus's fixes in time order, each once. */
function fixesOf(busId: string): GpsReport[] {
  let fixes = fixesByBus.get(busId)
  if (!fixes) {
    const seen = new Set<number>()
    fixes = reports
      .flatMap((r) => (r.kind === 'gps' && r.busId === busId ? [r.payload] : []))
      .filter((fix) => !seen.has(fix.seq) && seen.add(fix.seq))
      .sort((a, b) => tsMs(a.ts) - tsMs(b.ts))
    fixesByBus.set(busId, fixes)
  }
  return fixes
}

describe('the Cixi fleet through a school day', () => {
  it('drives every bus with trips on a school day, and none at the weekend, when no trip runs', () => {
    expect(fleet.buses.map((bus) => bus.busId).sort()).toEqual(world.buses.map((bus) => bus.id).sort())
    expect(planFleetDay(fleet, DATE)).toHaveLength(world.buses.length)
    expect(planFleetDay(fleet, '2026-03-07')).toEqual([])
  })

  it('calls at every stop of every trip, in timetable order', () => {
    for (const plan of plans) {
      const expected = world.trips
        .filter((trip) => trip.busId === plan.busId)
        .sort((a, b) => a.stops[0]!.arrive.localeCompare(b.stops[0]!.arrive))
        .flatMap((trip) =>
          trip.stops.flatMap((stop) => [
            `${trip.id} ${stop.stopId} arrive`,
            `${trip.id} ${stop.stopId} depart`,
          ]),
        )
      const seen = calls.filter((c) => c.busId === plan.busId)
      expect(seen.map((c) => `${c.tripId} ${c.stopId} ${c.event}`)).toEqual(expected)
      for (let i = 1; i < seen.length; i++) expect(seen[i]!.atMs).toBeGreaterThanOrEqual(seen[i - 1]!.atMs)
    }
  })

  it('reaches its stops near the scheduled times and never leaves a trip’s first stop early', () => {
    const lateS = calls
      .filter((c) => c.event === 'arrive' && c.stopIndex > 0)
      .map((c) => (c.atMs - c.scheduledMs!) / 1000)
      .sort((a, b) => a - b)
    expect(quantile(lateS, 0.5)).toBeGreaterThan(-60)
    expect(quantile(lateS, 0.5)).toBeLessThan(240)
    expect(quantile(lateS, 0.95)).toBeLessThan(15 * 60)
    expect(quantile(lateS, 1)).toBeLessThan(30 * 60)
    for (const start of calls.filter((c) => c.event === 'depart' && c.stopIndex === 0)) {
      expect(start.atMs).toBeGreaterThanOrEqual(start.scheduledMs!)
    }
  })

  it('stands at each stop for the doors and every pupil, and the fixes show it standing there', () => {
    const stopAt = new Map(world.stops.map((stop) => [stop.id, stop.location]))
    const pupils = new Map(
      world.trips.flatMap((trip) =>
        trip.stops.map((s) => [`${trip.id} ${s.stopId}`, s.board.length + s.alight.length]),
      ),
    )
    for (const plan of plans) {
      const fixes = fixesOf(plan.busId)
      const own = calls.filter((c) => c.busId === plan.busId)
      for (let i = 0; i < own.length; i += 2) {
        const [arrive, depart] = [own[i]!, own[i + 1]!]
        const count = pupils.get(`${arrive.tripId} ${arrive.stopId}`)!
        const minDwellS = settings.driving.dwellBaseS[0] + count * settings.driving.dwellPerPupilS[0]
        expect(depart.atMs - arrive.atMs).toBeGreaterThanOrEqual(Math.floor(minDwellS) * 1000)
        const stop = stopAt.get(arrive.stopId)!
        const standing = fixes.filter((f) => tsMs(f.ts) > arrive.atMs && tsMs(f.ts) < depart.atMs)
        if (standing.length === 0) {
          // Only a stop in a coverage hole, with a terminal that keeps nothing, leaves no fixes.
          const inHole = conditions.coverage.holes.some(
            (hole) => haversineM(hole.lat, hole.lon, stop.lat, stop.lon) <= hole.radiusM + 80,
          )
          expect(inHole).toBe(true)
        }
        for (const fix of standing) {
          expect(fix.speedKmh).toBe(0)
          expect(haversineM(fix.lat, fix.lon, stop.lat, stop.lon)).toBeLessThan(100)
        }
      }
    }
  })

  it('drives at realistic speeds and accelerations', () => {
    let moving = 0
    let above60 = 0
    let topKmh = 0
    let largestChangeKmh = 0
    let fastestStepKmh = 0
    for (const plan of plans) {
      const fixes = fixesOf(plan.busId)
      for (let i = 1; i < fixes.length; i++) {
        const [a, b] = [fixes[i - 1]!, fixes[i]!]
        topKmh = Math.max(topKmh, b.speedKmh)
        if (b.speedKmh > 0) moving++
        if (b.speedKmh > 60) above60++
        if (tsMs(b.ts) - tsMs(a.ts) !== 1000) continue
        largestChangeKmh = Math.max(largestChangeKmh, Math.abs(b.speedKmh - a.speedKmh))
        fastestStepKmh = Math.max(fastestStepKmh, (haversineM(a.lat, a.lon, b.lat, b.lon) / 1000) * 3600)
      }
    }
    expect(moving).toBeGreaterThan(10_000)
    expect(topKmh).toBeLessThanOrEqual(100)
    expect(above60 / moving).toBeLessThan(0.02)
    expect(largestChangeKmh).toBeLessThan(settings.driving.hardBrakingMs2 * 3.6 + 2)
    // GPS noise moves a fix by metres from one second to the next: never like a jump.
    expect(fastestStepKmh).toBeLessThan(130)
  })

  it('scatters parked fixes by about the accuracy it reports', () => {
    for (const plan of plans) {
      // The longest stay with the engine off: at the depot between the morning and the afternoon.
      let longest: GpsReport[] = []
      let run: GpsReport[] = []
      for (const fix of fixesOf(plan.busId)) {
        run =
          !fix.ignition && (run.length === 0 || tsMs(fix.ts) - tsMs(run.at(-1)!.ts) <= 61_000)
            ? [...run, fix]
            : []
        if (run.length > longest.length) longest = run
      }
      expect(longest.length).toBeGreaterThan(100)
      const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length
      const [lat, lon] = [mean(longest.map((f) => f.lat)), mean(longest.map((f) => f.lon))]
      const spreadM = Math.sqrt(mean(longest.map((f) => haversineM(f.lat, f.lon, lat, lon) ** 2)) / 2)
      const accuracyM = mean(longest.map((f) => f.accuracyM))
      expect(spreadM).toBeGreaterThan(0.3 * accuracyM)
      expect(spreadM).toBeLessThan(0.8 * accuracyM)
    }
  })

  it('sends only what the ingest accepts: valid reports and no position jumps', () => {
    const lats = world.stops.map((s) => s.location.lat)
    const lons = world.stops.map((s) => s.location.lon)
    const area = {
      minLat: Math.min(...lats) - 0.1,
      maxLat: Math.max(...lats) + 0.1,
      minLon: Math.min(...lons) - 0.1,
      maxLon: Math.max(...lons) + 0.1,
    }
    const jumps = createJumpFilter()
    const knownBus = (busId: string) => world.buses.some((bus) => bus.id === busId)
    const someBuses = new Set(plans.slice(0, 4).map((plan) => plan.busId))
    for (const report of reports.filter((r) => someBuses.has(r.busId))) {
      const payload = Buffer.from(JSON.stringify(report.payload))
      const now = new Date(report.deliverAtMs)
      const result = validateTelemetry(telemetryTopic(report.busId, report.kind), payload, {
        knownBus,
        area,
        now,
      })
      expect(result.kind).toBe(report.kind)
      if (result.kind === 'gps') expect(jumps.check(result.row)).toBeUndefined()
    }
  })
})
