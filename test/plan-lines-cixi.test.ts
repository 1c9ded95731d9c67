import { describe, expect, it } from 'vitest'
import { loadCixiWorld } from '../fixtures/cixi-world.js'
import type { LatLon } from '../geo/lat-lon.js'
import { buildGtfsFeed } from '../geo/planner/gtfs-feed.js'
import { validateFeed } from './support/gtfs-feed-checks.js'
import { planToGeoJson } from '../geo/planner/plan-geojson.js'
import { planLines } from '../geo/planner/plan-lines.js'
import { expectValidPlan } from './support/plan-result-checks.js'
import { createGraphRouter } from '../geo/routing/graph-router.js'
import { planInputFromRegisters } from '../server/planning/plan-input-from-registers.js'
import { registersFromCixiWorld } from '../fixtures/cixi-registers.js'

/** A clock that moves 1 ms each time it is read: the searches run the same iterations every time. */
const tickingClock = () => {
  let ms = 0
  return () => ms++
}

describe('planLines on the Cixi riders', () => {
  it(
    'keeps every invariant of a plan and compares it with today on the same pupils',
    { timeout: 180_000 },
    async () => {
      const world = await loadCixiWorld()
      const router = createGraphRouter(world.roads)
      const input = planInputFromRegisters(registersFromCixiWorld(world), {
        pupilScope: { kind: 'riders' },
        settings: {
          searchTimeLimitMs: 40,
          shiftWindows: [
            { schoolId: 'zhangqi-middle', waveId: 'zhangqi-middle-w1', earliestMin: -10, latestMin: 10 },
          ],
        },
      })
      const result = await planLines(input, { roads: router.graph, router }, { now: tickingClock() })

      const places = new Map<string, LatLon>([
        ...input.schools.map((s) => [s.id, s.location] as const),
        ...input.hubs.map((h) => [h.id, h.location] as const),
        ...result.stops.map((s) => [s.id, s.location] as const),
      ])
      const ids = [...places.keys()]
      const table = await router.table([...places.values()])
      const indexOf = new Map(ids.map((id, i) => [id, i]))
      expectValidPlan(input, result, (from, to) =>
        Math.round(table.durationsS[indexOf.get(from)!]![indexOf.get(to)!]!),
      )

      expect(result.unserved.length).toBeLessThan(0.05 * input.pupils.length)
      expect(result.lines.some((line) => line.kind === 'micro_bus')).toBe(true)
      for (const line of result.lines) expect(line.geometry.coordinates.length).toBeGreaterThanOrEqual(2)
      expect(result.comparisons.map((c) => c.scope)).toEqual(['riders', 'line_riders'])
      const [riders, lineRiders] = result.comparisons
      expect(riders!.today.pupils).toBe(input.pupils.length)
      expect(riders!.today.pupilsServed).toBe(input.pupils.length)
      // Today: the 36 regulation buses, and the four lines' runs on their own buses.
      expect(riders!.today.buses).toBeGreaterThan(36)
      expect(lineRiders!.today.pupils).toBe(167)
      expect(lineRiders!.proposed.pupils).toBe(167)
      expect(result.metrics.costPerDayYuan).toBeGreaterThan(0)
      validateFeed(
        buildGtfsFeed(result, input, {
          agencyName: '慈溪市教育局',
          startDate: '20260901',
          endDate: '20270115',
        }),
      )
      const geoJson = JSON.stringify(planToGeoJson(result))
      for (const pupil of world.pupils.slice(0, 200)) expect(geoJson).not.toContain(pupil.name)
      expect(result.shiftProposal!.busesAfter).toBeLessThanOrEqual(result.shiftProposal!.busesBefore)
    },
  )
})
