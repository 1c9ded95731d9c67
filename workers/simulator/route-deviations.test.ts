import { describe, expect, it } from 'vitest'
import type { LatLon } from '../../geo/lat-lon.js'
import { haversineM } from '../../geo/routing/earth-distance.js'
import { createGraphRouter } from '../../geo/routing/graph-router.js'
import type { Activity, BusPlan } from './bus-plan.js'
import { buildDrivePath } from './drive-path.js'
import { createFleetSimulation } from './fleet-simulation.js'
import { createGridRoadNetwork, gridPlace } from './grid-road-network.js'
import { createRoadConditions } from './road-conditions.js'
import { createRoadSpeedLookup } from './road-speed-lookup.js'
import { applyRouteDeviations } from './route-deviations.js'
import type { GpsReport, StopCallEvent } from './simulated-report.js'
import { noFaults, resolveSimulationSettings } from './simulation-settings.js'

const network = createGridRoadNetwork({ columns: 6, rows: 3, blockM: 500 })
const router = createGraphRouter(network)
const roads = { router, roadSpeedAt: createRoadSpeedLookup(router.graph), brakingMs2: 1 }
const settings = resolveSimulationSettings({ seed: 5, faults: noFaults })
/** Trip T1's calls along the main road: 0, 1, 2, 2.5 and 3 km east. */
const calls = [0, 1000, 2000, 2500, 3000].map((eastM) => gridPlace(eastM, 0))
const startMs = Date.parse('2026-03-02T07:00:00+08:00')

async function tripPlan(): Promise<BusPlan> {
  const activities: Activity[] = []
  for (let i = 0; i < calls.length; i++) {
    if (i > 0) {
      const route = await router.route([calls[i - 1]!, calls[i]!])
      const path = buildDrivePath(route.geometry.coordinates, roads.roadSpeedAt, {
        brakingMs2: 1,
        nominalDurationS: route.durationS,
      })
      activities.push({ kind: 'drive', path })
    }
    activities.push({
      kind: 'call',
      call: {
        tripId: 'T1',
        stopId: `ST${i}`,
        stopIndex: i,
        pupilCount: 1,
        boardingFromMs: undefined,
        departNotBeforeMs: undefined,
        scheduledArriveMs: null,
        scheduledDepartMs: null,
      },
    })
  }
  return {
    busId: 'B1',
    start: { ...calls[0]!, headingDeg: 90 },
    wakeMs: startMs,
    activities,
    repeat: false,
    phaseMs: 0,
  }
}

function simulate(plan: BusPlan) {
  const stopCalls: StopCallEvent[] = []
  const simulation = createFleetSimulation({
    plans: [plan],
    settings,
    ...createRoadConditions(network, settings, { origin: calls[0]!, trafficHotspots: [] }),
    onStopCall: (event) => stopCalls.push(event),
  })
  const fixes = simulation
    .simulateWindow(new Date(startMs), new Date(startMs + 3_600_000))
    .flatMap((report) => (report.kind === 'gps' ? [report.payload] : []))
  return { fixes, stopCalls }
}

const near = (fix: GpsReport, place: LatLon) => haversineM(fix.lat, fix.lon, place.lat, place.lon)

describe('route deviations of a simulated bus', () => {
  it('drives a detour, through a skipped call and stands where told, and says where', async () => {
    const plan = await tripPlan()
    const via = gridPlace(500, 500)
    const { plan: deviating, applied } = await applyRouteDeviations(
      plan,
      [
        { kind: 'detour', tripId: 'T1', fromStopIndex: 0, via: [via] },
        { kind: 'skip_call', tripId: 'T1', stopIndex: 2 },
        { kind: 'unapproved_stand', tripId: 'T1', fromStopIndex: 3, atFraction: 0.5, standS: 60 },
      ],
      roads,
    )
    expect(plan.activities).toHaveLength(9)
    expect(deviating.activities.map((activity) => activity.kind)).toEqual([
      'call',
      'drive',
      'call',
      'drive',
      'call',
      'drive',
      'stand',
      'drive',
      'call',
    ])
    expect(applied.map((deviation) => deviation.kind)).toEqual(['detour', 'skip_call', 'unapproved_stand'])
    const stand = applied[2]!.kind === 'unapproved_stand' ? applied[2]!.at : undefined
    expect(haversineM(stand!.lat, stand!.lon, gridPlace(2750, 0).lat, gridPlace(2750, 0).lon)).toBeLessThan(1)

    const { fixes, stopCalls } = simulate(deviating)
    expect([...new Set(stopCalls.map((event) => event.stopId))]).toEqual(['ST0', 'ST1', 'ST3', 'ST4'])
    // By way of the detour's corner, 500 m north of the main road.
    expect(Math.min(...fixes.map((fix) => near(fix, via)))).toBeLessThan(20)
    // Through the skipped call at speed.
    const atSkipped = fixes.filter((fix) => near(fix, calls[2]!) < 50)
    expect(atSkipped.length).toBeGreaterThan(0)
    expect(Math.min(...atSkipped.map((fix) => fix.speedKmh))).toBeGreaterThan(20)
    // Standing a minute halfway to the last call.
    const standing = fixes.filter((fix) => fix.speedKmh === 0 && near(fix, stand!) < 20)
    expect(standing.length).toBeGreaterThanOrEqual(58)
    expect(standing.length).toBeLessThanOrEqual(62)

    // The plan as approved calls everywhere and never goes north.
    const approved = simulate(plan)
    expect(new Set(approved.stopCalls.map((event) => event.stopId)).size).toBe(5)
    expect(Math.min(...approved.fixes.map((fix) => near(fix, via)))).toBeGreaterThan(400)
  })

  it('refuses a deviation on a call the bus does not make', async () => {
    await expect(
      applyRouteDeviations(await tripPlan(), [{ kind: 'skip_call', tripId: 'T9', stopIndex: 1 }], roads),
    ).rejects.toThrow(RangeError)
  })
})
