import { describe, expect, it } from 'vitest'
import type { FleetBus } from './bureau-contract.js'
import { filterFleet, noFleetFilter } from './fleet-filters.js'

const bus = (plate: string, fields: Partial<FleetBus>): FleetBus => ({
  busId: plate,
  plate,
  kind: 'school_bus',
  seats: 36,
  townId: 'longshan',
  schoolIds: ['S1'],
  state: 'on_time',
  position: null,
  trip: null,
  crew: { driver: null, attendant: null },
  device: {
    gps: { state: 'ok', lastReportTs: null, satellites: null, accuracyM: null, faults: [] },
    limiter: { state: 'on', limitKmh: 60, since: null },
    video: { state: 'unknown', faults: [], channels: [], lastHealthTs: null },
    power: { state: 'ok' },
  },
  compliance: null,
  openCases: 0,
  ...fields,
})

const fleet = [
  bus('C', { state: 'parked' }),
  bus('A', { state: 'late' }),
  bus('B', { state: 'off_route', townId: 'zhangqi', schoolIds: ['S2'] }),
  bus('D', { state: 'late', schoolIds: ['S1', 'S2'] }),
  bus('E', { state: 'silent', townId: 'zhangqi', schoolIds: [] }),
]

describe('the fleet list', () => {
  it('shows the buses to look at first, by plate within a state', () => {
    const { shown, counts, total } = filterFleet(fleet, noFleetFilter)
    expect(shown.map((b) => b.plate)).toEqual(['B', 'E', 'A', 'D', 'C'])
    expect(counts).toEqual({ on_time: 0, late: 2, off_route: 1, deadhead: 0, parked: 1, silent: 1 })
    expect(total).toBe(5)
  })

  it('narrows by town, school and state, counting states within the town and school', () => {
    const inZhangqi = filterFleet(fleet, { ...noFleetFilter, townId: 'zhangqi' })
    expect(inZhangqi.shown.map((b) => b.plate)).toEqual(['B', 'E'])
    const ofS2 = filterFleet(fleet, { ...noFleetFilter, schoolId: 'S2' })
    expect(ofS2.shown.map((b) => b.plate)).toEqual(['B', 'D'])
    const lateOfS1 = filterFleet(fleet, { townId: null, schoolId: 'S1', state: 'late' })
    expect(lateOfS1.shown.map((b) => b.plate)).toEqual(['A', 'D'])
    // The other states keep their counts within the school while one state is chosen.
    expect(lateOfS1.counts).toMatchObject({ late: 2, parked: 1, off_route: 0 })
    expect(lateOfS1.total).toBe(3)
  })
})
