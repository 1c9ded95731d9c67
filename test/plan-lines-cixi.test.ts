import { describe, expect, it } from 'vitest'
import { loadCixiWorld } from '../fixtures/cixi-world.js'
import type { LatLon } from '../geo/lat-lon.js'
import { buildGtfsFeed } from '../geo/planner/gtfs-feed.js'
import { validateFeed } from './support/gtfs-feed-checks.js'
import { planToGeoJson } from '../geo/planner/plan-geojson.js'
import { planLinesWithWorkings } from '../geo/planner/plan-lines.js'
import type { PlanResult } from '../geo/planner/plan-model.js'
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
      const deps = { roads: router.graph, router }
      const { result, workings } = await planLinesWithWorkings(input, deps, { now: tickingClock() })

      const places = new Map<string, LatLon>([
        ...input.schools.map((s) => [s.id, s.location] as const),
        ...input.hubs.map((h) => [h.id, h.location] as const),
        ...result.stops.map((s) => [s.id, s.location] as const),
      ])
      const ids = [...places.keys()]
      const table = await router.table([...places.values()])
      const indexOf = new Map(ids.map((id, i) => [id, i]))
      const driveS = (from: string, to: string) =>
        Math.round(table.durationsS[indexOf.get(from)!]![indexOf.get(to)!]!)
      expectValidPlan(input, result, driveS)

      expect(result.unserved.length).toBeLessThan(0.05 * input.pupils.length)
      expect(result.lines.some((line) => line.kind === 'micro_bus')).toBe(true)
      // Every micro-bus line starts at a hub the result names, and no hub is listed that no line calls at.
      const hubIds = new Set(result.hubs.map((hub) => hub.id))
      for (const line of result.lines.filter((l) => l.kind === 'micro_bus')) {
        expect(hubIds.has(line.stopIds[0]!)).toBe(true)
      }
      for (const hub of result.hubs) expect(result.lines.some((l) => l.stopIds.includes(hub.id))).toBe(true)
      expect(result.hubs.every((hub) => hub.name.length > 0)).toBe(true)
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

      // A what-if on the plan's workings: one school's grade 20 minutes later. Only that school's
      // morning groups are routed again; the plan keeps every invariant on the new times.
      const morningLine = result.lines.find((line) => line.kind === 'custom_bus' && line.id.includes('-am'))!
      const schoolId = morningLine.schoolIds[0]!
      const { grade } = input.pupils.find((pupil) => pupil.schoolId === schoolId)!
      const shifted = {
        ...input,
        settings: { ...input.settings, timeShifts: [{ schoolId, grade, shiftMin: 20 }] },
      }
      const whatIf = (
        await planLinesWithWorkings(
          shifted,
          deps,
          { now: tickingClock() },
          { base: { workings, lines: result.lines } },
        )
      ).result
      expectValidPlan(shifted, whatIf, driveS)
      const replanned = whatIf.replanned!
      expect(replanned.mode).toBe('partial')
      expect(replanned.groups.length).toBeGreaterThan(0)
      expect(replanned.reusedGroups).toBeGreaterThan(10 * replanned.groups.length)
      for (const group of replanned.groups) expect(group).toMatchObject({ schoolId, direction: 'to_school' })
      const kept = (plan: PlanResult) =>
        plan.lines
          .filter((line) => line.kind === 'custom_bus' && !line.id.startsWith(`cb-${schoolId}-am`))
          .map((line) => [line.id, line.stopIds.join(' ')])
      expect(kept(whatIf)).toEqual(kept(result))
      expect(whatIf.stops).toEqual(result.stops)
    },
  )
})
