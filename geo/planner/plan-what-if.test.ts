import { describe, expect, it } from 'vitest'
import type { LatLon, LonLatPosition } from '../lat-lon.js'
import type { RoadNetwork } from '../roads/road-network.js'
import { createLocalProjection } from '../routing/earth-distance.js'
import { createGraphRouter } from '../routing/graph-router.js'
import { planLinesWithWorkings } from './plan-lines.js'
import {
  defaultPlanSettings,
  type PlanInput,
  type PlanPupil,
  type PlanResult,
  type PlanSchool,
  type TimeShift,
  type TodayTrip,
} from './plan-model.js'
import { expectValidPlan } from '../../test/support/plan-result-checks.js'

/**
 * A 12 km street (长街) with school A at its west end, C in the middle and B at the east end, each
 * with two grades and two dismissal waves, villages of pupils along it, a bus station beside C
 * (so that C's nearest pupils ride a micro-bus line), and one custom-bus line running today. A's
 * two morning bells are ten minutes apart and share one arrival window: one ride group.
 */
const projection = createLocalProjection(30.2, 121.3)
const at = (eastM: number, northM = 0): LatLon => ({
  lat: projection.lat(northM),
  lon: projection.lon(eastM),
})
const position = (eastM: number): LonLatPosition => [projection.lon(eastM), projection.lat(0)]
const roads: RoadNetwork = {
  source: 'synthetic: one long street',
  ways: [
    {
      id: 'long-street',
      name: '长街',
      roadClass: 'tertiary',
      coords: Array.from({ length: 25 }, (_, k) => position(k * 500)),
      speedKmh: 36,
      oneway: false,
    },
  ],
}
const router = createGraphRouter(roads)
const deps = { roads: router.graph, router }
const H = 3600

const school = (
  id: string,
  eastM: number,
  bellsS: [number, number],
  wavesS: [number, number],
): PlanSchool => ({
  id,
  name: `学校${id}`,
  location: at(eastM),
  startTimes: [
    { grade: 1, timeS: bellsS[0] },
    { grade: 4, timeS: bellsS[1] },
  ],
  dismissalWaves: [
    { id: `${id}-w1`, name: '一批', timeS: wavesS[0], grades: [1] },
    { id: `${id}-w2`, name: '二批', timeS: wavesS[1], grades: [4] },
  ],
})

/** Twelve homes 10 m apart north of the street, grades 1 and 4 in turn. */
const village = (schoolId: string, name: string, eastM: number): PlanPupil[] =>
  Array.from({ length: 12 }, (_, k) => {
    const grade = k % 2 === 0 ? 1 : 4
    return {
      id: `${schoolId}-${name}-${k}`,
      home: at(eastM - 55 + k * 10, 40),
      grade,
      schoolId,
      dismissalWaveId: `${schoolId}-w${grade === 1 ? 1 : 2}`,
    }
  })

const pupils = [
  ...village('a', 'v1', 1500),
  ...village('a', 'v2', 3500),
  ...village('c', 'v3', 4500),
  ...village('c', 'v4', 6600),
  ...village('b', 'v5', 8000),
  ...village('b', 'v6', 10_500),
]

/** Today: one custom-bus line carrying A's pupils of the first village to school and home. */
const todayRiders = pupils.filter((p) => p.id.startsWith('a-v1-')).map((p) => p.id)
const todayTrip = (direction: TodayTrip['direction']): TodayTrip => {
  const morning = direction === 'to_school'
  const startS = morning ? 7.6 * H : 15 * H
  const [first, second] = morning ? ['today-v1', 'a'] : ['a', 'today-v1']
  return {
    id: `today-line-${direction}`,
    lineId: 'today-line',
    direction,
    schoolIds: ['a'],
    waveId: morning ? null : 'a-w1',
    stops: [
      { stopId: first, arriveS: startS, departS: startS + 60, board: todayRiders, alight: [] },
      { stopId: second, arriveS: startS + 300, departS: startS + 360, board: [], alight: todayRiders },
    ],
    distanceM: 1500,
    durationS: 240,
    kind: 'custom_bus',
    busTypeId: 'coach',
    vehicleId: null,
  }
}

function makeInput(timeShifts: TimeShift[] = []): PlanInput {
  return {
    pupils,
    schools: [
      school('a', 0, [8 * H, 8 * H + 600], [15 * H, 16 * H]),
      school('c', 6000, [7 * H + 50 * 60, 8 * H + 20 * 60], [15 * H + 600, 16 * H + 600]),
      school('b', 12_000, [8 * H, 8.5 * H], [15 * H, 16 * H]),
    ],
    hubs: [{ id: 'hub-east', name: '东站', location: at(7000) }],
    fleet: [
      {
        id: 'micro',
        name: '19座',
        seats: 19,
        available: null,
        costPerDayYuan: 300,
        costPerKmYuan: 1.5,
        costPerHourYuan: 20,
      },
      {
        id: 'coach',
        name: '40座',
        seats: 40,
        available: null,
        costPerDayYuan: 500,
        costPerKmYuan: 2,
        costPerHourYuan: 30,
      },
    ],
    depots: [at(0)],
    settings: { ...defaultPlanSettings, searchTimeLimitMs: 20, timeShifts },
    today: {
      scope: 'riders',
      stops: [{ id: 'today-v1', name: '一村', location: at(1500) }],
      trips: [todayTrip('to_school'), todayTrip('from_school')],
    },
  }
}

/** A clock that moves 1 ms each time it is read: the search runs the same iterations every time. */
const tickingClock = () => {
  let ms = 0
  return () => ms++
}

async function checkPlan(input: PlanInput, result: PlanResult) {
  const places = new Map<string, LatLon>([
    ...input.schools.map((s) => [s.id, s.location] as const),
    ...input.hubs.map((h) => [h.id, h.location] as const),
    ...result.stops.map((s) => [s.id, s.location] as const),
  ])
  const ids = [...places.keys()]
  const table = await router.table([...places.values()])
  expectValidPlan(input, result, (from, to) =>
    Math.round(table.durationsS[ids.indexOf(from)]![ids.indexOf(to)]!),
  )
  // Every pupil is served or listed once with a reason, and the metrics add up.
  const served = new Set(result.trips.flatMap((trip) => trip.stops.flatMap((stop) => stop.board)))
  expect(served.size + result.unserved.length).toBe(input.pupils.length)
  expect(result.metrics.pupilsServed).toBe(input.pupils.length - result.unserved.length)
  const { parts } = result.metrics
  expect(parts.reduce((sum, part) => sum + part.buses, 0)).toBe(result.metrics.buses)
  expect(parts.reduce((sum, part) => sum + part.costPerDayYuan, 0)).toBeCloseTo(
    result.metrics.costPerDayYuan,
    6,
  )
  expect(parts.reduce((sum, part) => sum + part.busKmPerDay, 0)).toBeCloseTo(result.metrics.busKmPerDay, 6)
}

/** A line's route: its calls and who gets on and off where, leaving out the times. */
function routesOf(result: PlanResult, lineIds: string[]) {
  return lineIds.map((id) => {
    const line = result.lines.find((l) => l.id === id)!
    return {
      id,
      stopIds: line.stopIds,
      busTypeId: line.busTypeId,
      geometry: line.geometry,
      trips: line.tripIds.map((tripId) =>
        result.trips
          .find((t) => t.id === tripId)!
          .stops.map(({ stopId, board, alight }) => ({ stopId, board, alight })),
      ),
    }
  })
}

const plan = (input: PlanInput, whatIf?: Parameters<typeof planLinesWithWorkings>[3]) =>
  planLinesWithWorkings(input, deps, { now: tickingClock() }, whatIf)

describe('a what-if that plans again only what its time shifts touch', () => {
  it('keeps the routes of the untouched groups and meets the moved wave’s window', async () => {
    const base = await plan(makeInput())
    await checkPlan(makeInput(), base.result)
    expect(base.result.replanned).toBeUndefined()
    expect(base.result.comparisons.map((c) => c.scope)).toEqual(['riders', 'line_riders'])
    expect(base.result.lines.some((line) => line.kind === 'micro_bus')).toBe(true)
    const groupCount = base.workings.groups.length
    expect(groupCount).toBeGreaterThanOrEqual(8)

    const input = makeInput([{ schoolId: 'b', waveId: 'b-w2', shiftMin: 20 }])
    const whatIf = await plan(input, { base: { workings: base.workings, lines: base.result.lines } })
    await checkPlan(input, whatIf.result)
    const replanned = whatIf.result.replanned!
    expect(replanned).toMatchObject({ mode: 'partial', reason: null, reusedGroups: groupCount - 1 })
    expect(replanned.groups.map((g) => [g.key, g.timeS])).toEqual([['b-pm-b-w2', 16 * H + 20 * 60]])
    expect(replanned.groups[0]!.pupils).toBeGreaterThan(0)
    // The micro-bus line to C runs at C's times, which did not move.
    expect(replanned.microRuns.retimed).toBe(0)
    expect(replanned.microRuns.kept).toBeGreaterThan(0)
    expect(replanned.comparison).not.toBeNull()

    const touched = (id: string) => id.startsWith('cb-b-pm-b-w2-')
    const customLines = (result: PlanResult) =>
      result.lines.filter((line) => line.kind === 'custom_bus' && !touched(line.id)).map((line) => line.id)
    expect(customLines(whatIf.result)).toEqual(customLines(base.result))
    expect(routesOf(whatIf.result, customLines(base.result))).toEqual(
      routesOf(base.result, customLines(base.result)),
    )
    // The moved wave's trips leave B within its new window (checkPlan holds every window).
    const moved = whatIf.result.trips.filter((trip) => touched(trip.lineId))
    expect(moved.length).toBeGreaterThan(0)
    for (const trip of moved) expect(trip.stops[0]!.arriveS).toBeGreaterThanOrEqual(16 * H + 20 * 60)
  })

  it('reproduces the base plan’s result when no time moves', async () => {
    const base = await plan(makeInput([{ schoolId: 'c', waveId: 'c-w1', shiftMin: -10 }]))
    const again = await plan(makeInput([{ schoolId: 'c', waveId: 'c-w1', shiftMin: -10 }]), {
      base: { workings: base.workings, lines: base.result.lines },
    })
    const { replanned, ...result } = again.result
    expect(result).toEqual(base.result)
    expect(replanned).toMatchObject({
      mode: 'partial',
      groups: [],
      reusedGroups: base.workings.groups.length,
      microRuns: { retimed: 0 },
      comparison: { groups: 0 },
    })
    expect(again.workings).toEqual(base.workings)
  })

  it('plans a merged bell again when one of its grades moves within it, and times the micro-bus again', async () => {
    const base = await plan(makeInput())
    // A's grade 4 moves from 8:10 to 8:05: still merged with grade 1's 8:00, its window is not the same.
    const input = makeInput([
      { schoolId: 'a', grade: 4, shiftMin: -5 },
      { schoolId: 'c', grade: 4, shiftMin: 15 },
    ])
    const whatIf = await plan(input, { base: { workings: base.workings, lines: base.result.lines } })
    await checkPlan(input, whatIf.result)
    const keys = whatIf.result.replanned!.groups.map((g) => g.key)
    expect(keys).toContain('a-am0800')
    expect(keys).toContain('c-am0835')
    expect(keys.every((key) => key.startsWith('a-am') || key.startsWith('c-am'))).toBe(true)
    expect(whatIf.result.replanned!.microRuns.retimed).toBeGreaterThan(0)
  })

  it('plans everything again, and says why, when the workings are not the input’s', async () => {
    const base = await plan(makeInput())
    const input = makeInput([{ schoolId: 'b', waveId: 'b-w2', shiftMin: 20 }])
    const other = { ...input, pupils: input.pupils.slice(1) }
    const whatIf = await plan(other, { base: { workings: base.workings, lines: base.result.lines } })
    await checkPlan(other, whatIf.result)
    expect(whatIf.result.replanned).toMatchObject({
      mode: 'full',
      reason: 'workings_unusable',
      reusedGroups: 0,
    })
    expect(whatIf.result.replanned!.groups.length).toBe(base.workings.groups.length)
    const told = await plan(input, { fullBecause: 'base_without_workings' })
    expect(told.result.replanned).toMatchObject({ mode: 'full', reason: 'base_without_workings' })
  })
})
