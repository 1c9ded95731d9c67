import { describe, expect, it } from 'vitest'
import { defaultPlanSettings, type PlanBusType, type PlannedTrip, type PlanPupil } from './plan-model.js'
import { measureService, type MeasureContext } from './plan-metrics.js'

const pupil = (id: string, grade: number): PlanPupil => ({
  id,
  home: { lat: 30.17, lon: 121.26 },
  grade,
  schoolId: 'school',
  dismissalWaveId: 'w1',
})
const pupils = [pupil('p1', 1), pupil('p2', 5), pupil('p3', 5), pupil('p4', 5)]

const trip = (id: string, direction: PlannedTrip['direction'], startS: number): PlannedTrip => {
  const morning = direction === 'to_school'
  const riders = ['p1', 'p2', 'p3']
  const [first, last] = morning ? ['stop', 'school'] : ['school', 'stop']
  return {
    id,
    lineId: 'line',
    direction,
    schoolIds: ['school'],
    waveId: null,
    stops: [
      { stopId: first, arriveS: startS, departS: startS + 30, board: riders, alight: [] },
      { stopId: last, arriveS: startS + 630, departS: startS + 660, board: [], alight: riders },
    ],
    distanceM: 6000,
    durationS: 600,
  }
}

const fleet: PlanBusType[] = [
  {
    id: 'small',
    name: '10座',
    seats: 10,
    available: 1,
    costPerDayYuan: 100,
    costPerKmYuan: 2,
    costPerHourYuan: 36,
  },
]
const context: MeasureContext = {
  fleet,
  settings: defaultPlanSettings,
  drive: () => ({ distanceM: 1000, durationS: 120 }),
  driveDepot: () => ({ distanceM: 500, durationS: 60 }),
}

describe('measureService', () => {
  it('counts pupils, walks, rides, driving and cost on one bus', () => {
    const metrics = measureService(
      {
        pupils,
        trips: [trip('am', 'to_school', 25_000), trip('pm', 'from_school', 55_000)],
        vehicles: [{ id: 'bus-1', busTypeId: 'small', tripIds: ['am', 'pm'] }],
        // p1 is young (300 m limit) and walks 350 m: served, but not within the walk limit.
        walkM: new Map([
          ['p1', 350],
          ['p2', 100],
          ['p3', 150],
        ]),
      },
      context,
    )
    expect(metrics).toMatchObject({ pupils: 4, pupilsServed: 3, buses: 1, maxWalkM: 350, maxRideS: 600 })
    expect(metrics.coverageWithinWalk).toBeCloseTo(2 / 4)
    expect(metrics.meanWalkM).toBeCloseTo(200)
    expect(metrics.meanRideS).toBeCloseTo(600)
    // Two trips of 6 km, 1 km between them, 0.5 km out of and back to the depot.
    expect(metrics.busKmPerDay).toBeCloseTo(14)
    expect(metrics.busHoursPerDay).toBeCloseTo((1200 + 120 + 120) / 3600)
    expect(metrics.seatUse).toBeCloseTo(0.3)
    expect(metrics.costPerDayYuan).toBeCloseTo(100 + 14 * 2 + 0.4 * 36)
  })

  it('splits buses, driving and cost by bus type, owned first, adding up to the totals', () => {
    const hired: PlanBusType = { ...fleet[0]!, id: 'hired', seats: 24, available: null, costPerDayYuan: 300 }
    const metrics = measureService(
      {
        pupils,
        trips: [trip('am', 'to_school', 25_000), trip('pm', 'from_school', 55_000)],
        vehicles: [
          { id: 'bus-1', busTypeId: 'hired', tripIds: ['am'] },
          { id: 'bus-2', busTypeId: 'small', tripIds: ['pm'] },
        ],
        walkM: new Map(),
      },
      { ...context, fleet: [...fleet, hired] },
    )
    expect(metrics.parts.map((p) => [p.busTypeId, p.hired, p.buses, p.busKmPerDay])).toEqual([
      ['small', false, 1, 7],
      ['hired', true, 1, 7],
    ])
    expect(metrics.parts[1]!.costPerDayYuan).toBeCloseTo(300 + 7 * 2 + (720 / 3600) * 36)
    const sum = (key: 'costPerDayYuan' | 'busHoursPerDay') =>
      metrics.parts.reduce((total, part) => total + part[key], 0)
    expect(sum('costPerDayYuan')).toBeCloseTo(metrics.costPerDayYuan)
    expect(sum('busHoursPerDay')).toBeCloseTo(metrics.busHoursPerDay)
  })

  it('measures an empty service as zeros', () => {
    const metrics = measureService({ pupils, trips: [], vehicles: [], walkM: new Map() }, context)
    expect(metrics).toMatchObject({
      pupilsServed: 0,
      buses: 0,
      busKmPerDay: 0,
      meanRideS: 0,
      costPerDayYuan: 0,
      parts: [],
    })
  })
})
