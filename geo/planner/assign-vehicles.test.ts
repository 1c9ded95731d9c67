import { describe, expect, it } from 'vitest'
import {
  assignBusTypes,
  countFleetBuses,
  exchangeChainTails,
  scheduleChains,
  TURNAROUND_S,
} from './assign-vehicles.js'
import type { PlanBusType } from './plan-model.js'
import type { TravelTable } from './build-travel-table.js'
import type { DraftTrip } from './time-trip.js'

const type = (id: string, seats: number, available: number | null): PlanBusType => ({
  id,
  name: id,
  seats,
  available,
  costPerDayYuan: 100,
  costPerKmYuan: 1,
  costPerHourYuan: 1,
})

describe('assignBusTypes', () => {
  const fleet = [type('big', 56, 1), type('mid', 45, 1), type('owned-small', 24, 1), type('hired', 35, null)]

  it('gives the large buses to the chains that need them and prefers own buses', () => {
    const assigned = assignBusTypes([20, 50, 40, 20], fleet).map((t) => t?.id)
    expect(assigned).toEqual(['owned-small', 'big', 'mid', 'hired'])
  })

  it('leaves a chain without a bus when none large enough is left', () => {
    expect(assignBusTypes([50, 50], fleet).map((t) => t?.id ?? null)).toEqual(['big', null])
  })
})

describe('scheduleChains', () => {
  // Two places 600 s apart; trips of 300 s each with slack in the window.
  const table: TravelTable = {
    count: 2,
    durationS: Float64Array.from([0, 600, 600, 0]),
    distanceM: Float64Array.from([0, 6000, 6000, 0]),
  }
  const draft = (
    id: string,
    startS: number,
    earlierS: number,
    laterS: number,
    direction = 'to_school',
  ): DraftTrip => ({
    trip: {
      id,
      lineId: id,
      direction: direction as 'to_school',
      schoolIds: [],
      waveId: null,
      stops: [
        { stopId: 'x', arriveS: startS, departS: startS, board: [], alight: [] },
        { stopId: 'y', arriveS: startS + 300, departS: startS + 300, board: [], alight: [] },
      ],
      distanceM: 3000,
      durationS: 300,
    },
    places: [0, 1],
    load: 1,
    anchors: [],
    slack: { earlierS, laterS },
  })

  it('moves the first morning trip earlier just enough for the bus to reach the second', () => {
    // The second starts 900 s after the first: the bus needs 300 + 120 + 600 = 1020 s.
    const { chains, trips } = scheduleChains(
      [[0, 1]],
      [draft('a', 0, 900, 0), draft('b', 900, 900, 0)],
      table,
    )
    expect(chains).toEqual([[0, 1]])
    const firstEnd = trips[0]!.trip.stops.at(-1)!.departS
    expect(trips[1]!.trip.stops[0]!.arriveS).toBe(900)
    expect(firstEnd + TURNAROUND_S + 600).toBe(900)
  })

  it('cuts a chain where its trips cannot all fit', () => {
    const { chains } = scheduleChains([[0, 1]], [draft('a', 0, 0, 0), draft('b', 900, 0, 0)], table)
    expect(chains).toEqual([[0], [1]])
  })
})

describe('exchangeChainTails', () => {
  const table: TravelTable = {
    count: 1,
    durationS: Float64Array.from([0]),
    distanceM: Float64Array.from([0]),
  }
  const trip = (id: string, startS: number, load: number): DraftTrip => ({
    trip: {
      id,
      lineId: id,
      direction: 'to_school',
      schoolIds: [],
      waveId: null,
      stops: [
        { stopId: 'x', arriveS: startS, departS: startS, board: [], alight: [] },
        { stopId: 'x', arriveS: startS + 1800, departS: startS + 1800, board: [], alight: [] },
      ],
      distanceM: 0,
      durationS: 1800,
    },
    places: [0, 0],
    load,
    anchors: [],
    slack: { earlierS: 0, laterS: 0 },
  })
  const trips = [trip('a1', 0, 40), trip('a2', 3600, 10), trip('b1', 0, 10), trip('b2', 3600, 40)]
  const fleet = [type('big', 45, 1), type('hired', 35, null)]

  it('gathers the full trips on the one large bus', () => {
    expect(assignBusTypes([40, 40], fleet)).toContain(null)
    const days = exchangeChainTails(
      [
        [0, 1],
        [2, 3],
      ],
      trips,
      table,
      fleet,
    )
    expect(days.map((d) => d.map((t) => trips[t]!.trip.id))).toEqual([
      ['a1', 'b2'],
      ['b1', 'a2'],
    ])
  })

  it('counts a bus more for each full trip the large buses cannot take', () => {
    // Four trips at once: four buses, two of them for 40 pupils where one bus holds more than 35.
    const atOnce = [trip('a', 0, 40), trip('b', 0, 40), trip('c', 0, 10), trip('d', 0, 10)]
    expect(countFleetBuses(atOnce, table, [type('big', 45, 2), type('hired', 35, null)])).toBe(4)
    expect(countFleetBuses(atOnce, table, [type('big', 45, 1), type('hired', 35, null)])).toBe(5)
    // One after the other, the full trips share the one large bus.
    expect(countFleetBuses(trips, table, fleet)).toBe(2)
  })

  it('leaves chains alone when every chain has a bus', () => {
    const days = exchangeChainTails(
      [
        [0, 1],
        [2, 3],
      ],
      trips,
      table,
      [type('big', 45, 2)],
    )
    expect(days).toEqual([
      [0, 1],
      [2, 3],
    ])
  })
})
