import { describe, expect, it } from 'vitest'
import { explainChange, pairParts } from './explain-change.js'
import type { Metrics, ServicePart } from './planner-contract.js'
import { plannerText } from './planner-text.js'

const part = (busTypeId: string, seats: number, hired: boolean, buses: number, costPerDayYuan: number) =>
  ({
    busTypeId,
    seats,
    hired,
    buses,
    busKmPerDay: 40 * buses,
    busHoursPerDay: 2 * buses,
    costPerDayYuan,
  }) satisfies ServicePart

const service = (parts: ServicePart[]): Metrics => ({
  pupils: 300,
  pupilsServed: 290,
  coverageWithinWalk: 0.9,
  meanWalkM: 300,
  maxWalkM: 500,
  meanRideS: 1200,
  maxRideS: 2400,
  buses: parts.reduce((sum, p) => sum + p.buses, 0),
  busKmPerDay: parts.reduce((sum, p) => sum + p.busKmPerDay, 0),
  busHoursPerDay: parts.reduce((sum, p) => sum + p.busHoursPerDay, 0),
  seatUse: 0.6,
  costPerDayYuan: parts.reduce((sum, p) => sum + p.costPerDayYuan, 0),
  parts,
})

const before = service([part('regulation-45', 45, false, 5, 4000), part('micro-bus', 24, true, 1, 900)])
const after = service([part('regulation-45', 45, false, 3, 2400), part('micro-bus', 24, true, 4, 3600)])

describe('pairParts', () => {
  it('sets each bus type of both services side by side, the bureau’s own first', () => {
    const pairs = pairParts(before, service([part('custom-bus', 35, true, 1, 1000)]))
    expect(pairs.map((p) => [p.busTypeId, p.before?.buses ?? null, p.after?.buses ?? null])).toEqual([
      ['regulation-45', 5, null],
      ['custom-bus', null, 1],
      ['micro-bus', 1, null],
    ])
  })
})

describe('explainChange', () => {
  it('says fewer regulation buses but more hired ones made the day dearer, and which type most', () => {
    const why = explainChange(before, after)
    expect(why).toEqual({
      costDeltaYuan: 1100,
      busDeltas: [
        { who: 'regulation', delta: -2 },
        { who: 'hired', delta: 3 },
      ],
      kmDelta: 40,
      largest: { seats: 24, hired: true, costDeltaYuan: 2700 },
    })
    expect(plannerText.en.explainChange(why)).toBe(
      'Cost per day +1,100 yuan: 2 fewer regulation buses but 3 more hired buses, 40 km more driving; most of the change: hired 24-seat buses (+2,700 yuan).',
    )
    expect(plannerText.zh.explainChange(why)).toBe(
      '每日成本 +1,100 元：校车少 2 辆，但租用车多 3 辆，多行驶 40 公里；变化主要来自租用 24 座车（+2,700 元）。',
    )
  })

  it('says nothing moved when the two services are the same', () => {
    const why = explainChange(before, before)
    expect(why).toEqual({ costDeltaYuan: 0, busDeltas: [], kmDelta: 0, largest: null })
    expect(plannerText.en.explainChange(why)).toBe('Same cost per day and the same buses.')
  })

  it('counts buses in all when a plan stored before the parts were counted has none', () => {
    const { parts: _parts, ...old } = before
    const why = explainChange(old, after)
    expect(why.busDeltas).toEqual([{ who: 'all', delta: 1 }])
    expect(why.largest).toBeNull()
    expect(plannerText.en.explainChange(why)).toBe(
      'Cost per day +1,100 yuan: 1 more bus, 40 km more driving.',
    )
  })
})
