import { describe, expect, it } from 'vitest'
import type { LatLon, LonLatPosition } from '../lat-lon.js'
import type { RoadNetwork } from '../roads/road-network.js'
import { createLocalProjection } from '../routing/earth-distance.js'
import { createGraphRouter } from '../routing/graph-router.js'
import { GeoError } from '../geo-error.js'
import { planLines } from './plan-lines.js'
import {
  defaultPlanSettings,
  type PlanInput,
  type PlanProgress,
  type PlanPupil,
  type PlanSettings,
} from './plan-model.js'
import { expectValidPlan } from '../../test/support/plan-result-checks.js'

/**
 * A 12 km road (长街) east from school A to school B at 36 km/h, with village V1 1.5 km from A
 * (ten pupils of A) and V2 1.5 km from B (ten pupils of B). Driving from A's end to V2, or from V1
 * to B, takes about 17.5 minutes: longer than the 15-minute arrival window, so one bus can serve
 * both schools only when their times are staggered.
 */
const projection = createLocalProjection(30.2, 121.3)
const at = (eastM: number, northM = 0): LatLon => ({
  lat: projection.lat(northM),
  lon: projection.lon(eastM),
})
const position = (eastM: number, northM: number): LonLatPosition => [
  projection.lon(eastM),
  projection.lat(northM),
]
const roads: RoadNetwork = {
  source: 'synthetic: one long road',
  ways: [
    {
      id: 'long-street',
      name: '长街',
      roadClass: 'tertiary',
      coords: Array.from({ length: 25 }, (_, k) => position(k * 500, 0)),
      speedKmh: 36,
      oneway: false,
    },
  ],
}
const router = createGraphRouter(roads)
const deps = { roads: router.graph, router }

const villagePupils = (schoolId: string, eastM: number): PlanPupil[] =>
  Array.from({ length: 10 }, (_, k) => ({
    id: `${schoolId}-p${k}`,
    home: at(eastM - 45 + k * 10, 40),
    grade: 4,
    schoolId,
    dismissalWaveId: `${schoolId}-w1`,
  }))

const school = (id: string, eastM: number, bellS: number, waveS: number) => ({
  id,
  name: `学校${id}`,
  location: at(eastM),
  startTimes: [{ grade: 4, timeS: bellS }],
  dismissalWaves: [{ id: `${id}-w1`, name: '放学', timeS: waveS, grades: [4] }],
})

const H = 3600
function makeInput(
  bTimes: { bellS: number; waveS: number },
  settings: Partial<PlanSettings> = {},
): PlanInput {
  return {
    pupils: [...villagePupils('a', 1500), ...villagePupils('b', 10_500)],
    schools: [school('a', 0, 8 * H, 15 * H), school('b', 12_000, bTimes.bellS, bTimes.waveS)],
    hubs: [],
    fleet: [
      {
        id: 'bus',
        name: '40座',
        seats: 40,
        available: null,
        costPerDayYuan: 500,
        costPerKmYuan: 2,
        costPerHourYuan: 30,
      },
    ],
    depots: [at(0)],
    settings: { ...defaultPlanSettings, searchTimeLimitMs: 20, ...settings },
  }
}

/** A clock that moves 1 ms each time it is read: the search runs the same iterations every time. */
const tickingClock = () => {
  let ms = 0
  return () => ms++
}

async function driveOn(input: PlanInput) {
  const ids = [...input.schools.map((s) => ({ id: s.id, location: s.location }))]
  return (result: Awaited<ReturnType<typeof planLines>>) => {
    const places = new Map<string, LatLon>([
      ...ids.map((p) => [p.id, p.location] as const),
      ...result.stops.map((s) => [s.id, s.location] as const),
    ])
    const list = [...places]
    return router.table(list.map(([, location]) => location)).then((table) => (from: string, to: string) => {
      const i = list.findIndex(([id]) => id === from)
      const j = list.findIndex(([id]) => id === to)
      return Math.round(table.durationsS[i]![j]!)
    })
  }
}

async function planAndCheck(input: PlanInput) {
  const result = await planLines(input, deps, { now: tickingClock() })
  expectValidPlan(input, result, await (await driveOn(input))(result))
  return result
}

describe('planLines on a hand-built town', () => {
  it('chains both schools onto one bus when their times are staggered', async () => {
    const result = await planAndCheck(makeInput({ bellS: 8.5 * H, waveS: 15.5 * H }))
    expect(result.unserved).toEqual([])
    expect(result.trips).toHaveLength(4)
    expect(result.metrics.buses).toBe(1)
    expect(result.vehicles[0]!.tripIds).toHaveLength(4)
    expect(result.metrics.pupilsServed).toBe(20)
    expect(result.shiftProposal).toBeNull()
  })

  it('needs a second bus when a time shift puts both schools at the same time', async () => {
    const shifted = makeInput(
      { bellS: 8.5 * H, waveS: 15.5 * H },
      {
        timeShifts: [
          { schoolId: 'b', shiftMin: -30 },
          { schoolId: 'b', waveId: 'b-w1', shiftMin: -30 },
        ],
      },
    )
    const result = await planAndCheck(shifted)
    expect(result.metrics.buses).toBe(2)
  })

  it('proposes the shifts that bring it back to one bus, and the what-if confirms them', async () => {
    const windows = [
      { schoolId: 'b', earliestMin: 0, latestMin: 30 },
      { schoolId: 'b', waveId: 'b-w1', earliestMin: 0, latestMin: 30 },
    ]
    const result = await planAndCheck(makeInput({ bellS: 8 * H, waveS: 15 * H }, { shiftWindows: windows }))
    expect(result.metrics.buses).toBe(2)
    const proposal = result.shiftProposal!
    expect(proposal.busesBefore).toBe(2)
    expect(proposal.busesAfter).toBe(1)
    expect(proposal.shifts.map((s) => s.waveId ?? 'morning').sort()).toEqual(['b-w1', 'morning'])
    for (const shift of proposal.shifts) expect(shift.shiftMin % 5).toBe(0)
    const whatIf = await planAndCheck(
      makeInput({ bellS: 8 * H, waveS: 15 * H }, { timeShifts: proposal.shifts }),
    )
    expect(whatIf.metrics.buses).toBe(1)
    // The smallest moves that work: a shorter one leaves too little time to drive between schools.
    for (const shift of proposal.shifts) {
      const shorter = proposal.shifts.map((s) => (s === shift ? { ...s, shiftMin: s.shiftMin - 5 } : s))
      const tooShort = await planLines(
        makeInput({ bellS: 8 * H, waveS: 15 * H }, { timeShifts: shorter }),
        deps,
        {
          now: tickingClock(),
        },
      )
      expect(tooShort.metrics.buses).toBe(2)
    }
  })

  it('reports progress up to 1 and rejects with cancelled when asked to stop', async () => {
    const seen: PlanProgress[] = []
    await planLines(makeInput({ bellS: 8.5 * H, waveS: 15.5 * H }), deps, {
      now: tickingClock(),
      onProgress: (progress) => seen.push(progress),
    })
    expect(seen.map((p) => p.fraction)).toEqual([...seen.map((p) => p.fraction)].sort((a, b) => a - b))
    expect(seen.at(-1)!.fraction).toBe(1)
    expect(new Set(seen.map((p) => p.phase))).toEqual(
      new Set(['stops', 'table', 'routes', 'chaining', 'geometry', 'metrics']),
    )
    let polls = 0
    const cancelled = planLines(makeInput({ bellS: 8.5 * H, waveS: 15.5 * H }), deps, {
      now: tickingClock(),
      shouldStop: () => ++polls > 2,
    })
    await expect(cancelled).rejects.toSatisfy(
      (error) => error instanceof GeoError && error.code === 'cancelled',
    )
  })

  it('leaves a pupil farther than the longest ride unserved with ride_too_long', async () => {
    const result = await planAndCheck(makeInput({ bellS: 8.5 * H, waveS: 15.5 * H }, { maxRideS: 600 }))
    const tooLong = result.unserved.filter((u) => u.reason === 'ride_too_long').map((u) => u.pupilId)
    expect(tooLong).toHaveLength(0)
    const farInput = makeInput({ bellS: 8.5 * H, waveS: 15.5 * H }, { maxRideS: 600 })
    farInput.pupils.push({
      id: 'a-far',
      home: at(9000, 40),
      grade: 4,
      schoolId: 'a',
      dismissalWaveId: 'a-w1',
    })
    farInput.pupils.push({
      id: 'a-far2',
      home: at(9010, 40),
      grade: 4,
      schoolId: 'a',
      dismissalWaveId: 'a-w1',
    })
    const far = await planAndCheck(farInput)
    expect(
      far.unserved
        .filter((u) => u.reason === 'ride_too_long')
        .map((u) => u.pupilId)
        .sort(),
    ).toEqual(['a-far', 'a-far2'])
    // The result says whose they are by school and grade only.
    expect(far.unserved.find((u) => u.pupilId === 'a-far')).toEqual({
      pupilId: 'a-far',
      reason: 'ride_too_long',
      schoolId: 'a',
      grade: 4,
    })
  })
})
