import { describe, expect, it } from 'vitest'
import { explainChange, explainReplan, pairParts } from './explain-change.js'
import type { Metrics, Replanned, ServicePart } from './planner-contract.js'
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

describe('explainReplan', () => {
  const names: Record<string, string> = { s1: 'Longshan Primary', s2: 'Xinpu Middle' }
  const schoolName = (id: string) => names[id] ?? id
  const group = (schoolId: string, direction: 'to_school' | 'from_school', timeS: number) => ({
    key: `${schoolId}-${timeS}`,
    schoolId,
    direction,
    timeS,
    waveId: direction === 'from_school' ? 'w1' : null,
    pupils: 30,
  })
  const partial: Replanned = {
    mode: 'partial',
    reason: null,
    groups: [group('s2', 'from_school', 16 * 3600 + 20 * 60), group('s1', 'to_school', 8 * 3600 + 25 * 60)],
    reusedGroups: 75,
    microRuns: { retimed: 2, kept: 4 },
    comparison: null,
  }

  it('names the groups planned again by school and time, earliest first, and counts those kept', () => {
    const why = explainReplan(partial)
    expect(why).toEqual({
      mode: 'partial',
      reason: null,
      replanned: 2,
      reused: 75,
      shown: [
        { schoolId: 's1', direction: 'to_school', time: '08:25' },
        { schoolId: 's2', direction: 'from_school', time: '16:20' },
      ],
      more: 0,
      microRetimed: 2,
    })
    expect(plannerText.en.explainReplan(why, schoolName)).toBe(
      'Planned again: 2 of 77 ride groups (Longshan Primary morning 08:25, Xinpu Middle home 16:20); the other 75 kept the base plan’s routes. 2 micro-bus runs retimed.',
    )
    expect(plannerText.zh.explainReplan(why, schoolName)).toBe(
      '只重新排了 2 组线路（Longshan Primary上学 08:25、Xinpu Middle放学 16:20），其余 75 组沿用原方案。微公交 2 个班次按新时间重排。',
    )
  })

  it('counts rather than lists many groups, says when nothing moved, and why all was planned again', () => {
    const many = explainReplan({
      ...partial,
      groups: Array.from({ length: 6 }, (_, k) => group('s1', 'to_school', 7 * 3600 + k * 600)),
    })
    expect(many.shown).toHaveLength(4)
    expect(many.more).toBe(2)
    expect(plannerText.en.explainReplan(many, schoolName)).toContain('and 2 more')
    const none = explainReplan({ ...partial, groups: [], microRuns: { retimed: 0, kept: 6 } })
    expect(plannerText.en.explainReplan(none, schoolName)).toBe(
      'Nothing moved: all 75 ride groups kept the base plan’s routes.',
    )
    const microOnly = explainReplan({ ...partial, groups: [], reusedGroups: 0 })
    expect(plannerText.en.explainReplan(microOnly, schoolName)).toBe(
      'No ride group planned again (0 kept the base plan’s routes); 2 micro-bus runs retimed.',
    )
    expect(plannerText.zh.explainReplan(microOnly, schoolName)).toBe(
      '没有需要重新排的定制公交线路（0 组沿用原方案）；微公交 2 个班次按新时间重排。',
    )
    const full = explainReplan({ ...partial, mode: 'full', reason: 'base_without_workings', reusedGroups: 0 })
    expect(full.reason).toBe('base_without_workings')
    expect(plannerText.en.explainReplan(full, schoolName)).toBe(
      'Planned in full: the base plan kept nothing to re-use (it is older).',
    )
    expect(plannerText.zh.explainReplan(full, schoolName)).toBe(
      '全部重新规划：原方案没有保存可沿用的中间结果。',
    )
  })
})
