import { describe, expect, it } from 'vitest'
import {
  awaitsSettling,
  marginOf,
  pointsForEvent,
  subjectsOfEvent,
  voidsPoints,
  type ScoreRule,
} from './score-rule.js'

/** The default over-speed rule of migration 16: 1, 2, 3 points from 0 %, 20 % and 50 % over the limit. */
const overSpeed: ScoreRule = {
  kind: 'over_speed',
  points: null,
  bands: {
    measure: 'over_limit_pct',
    steps: [
      { from: 0, points: 1 },
      { from: 20, points: 2 },
      { from: 50, points: 3 },
    ],
  },
  subjects: ['driver', 'company'],
  basis: null,
}
const limiterOff: ScoreRule = {
  kind: 'limiter_disabled',
  points: 3,
  bands: null,
  subjects: ['driver', 'company'],
  basis: null,
}
const episode = (peakKmh: number, limitKmh: number, endTs: string | null = '2026-03-02T07:06:00+08:00') => ({
  peakKmh,
  limitKmh,
  endTs,
})

describe('the points an event costs', () => {
  it('scores over-speed by its margin over the limit, each step from its lower bound', () => {
    expect(pointsForEvent(overSpeed, episode(64, 60))).toMatchObject({ points: 1, margin: 6.7 })
    // 72 on a 60 road is 20 % over: the second step, not the first.
    expect(pointsForEvent(overSpeed, episode(72, 60))).toMatchObject({
      points: 2,
      margin: 20,
      band: { from: 20 },
    })
    expect(pointsForEvent(overSpeed, episode(89.9, 60))).toMatchObject({ points: 2 })
    expect(pointsForEvent(overSpeed, episode(90, 60))).toMatchObject({ points: 3, margin: 50 })
    // The hazard limit of 20 km/h: 31 is 55 % over.
    expect(pointsForEvent(overSpeed, episode(31, 20))).toMatchObject({ points: 3, margin: 55 })
  })

  it('reads a margin in km/h when the bureau says so, and gives nothing below the first step', () => {
    const byKmh: ScoreRule = {
      ...overSpeed,
      bands: {
        measure: 'over_limit_kmh',
        steps: [
          { from: 5, points: 1 },
          { from: 15, points: 3 },
        ],
      },
    }
    expect(marginOf('over_limit_kmh', episode(64, 60))).toBe(4)
    expect(pointsForEvent(byKmh, episode(64, 60))).toEqual({
      points: 0,
      measure: 'over_limit_kmh',
      margin: 4,
      band: null,
    })
    expect(pointsForEvent(byKmh, episode(75, 60))).toMatchObject({ points: 3, margin: 15 })
  })

  it('gives the first step to a banded event that names no speeds, and fixed points without bands', () => {
    expect(pointsForEvent(overSpeed, {})).toMatchObject({ points: 1, margin: null })
    expect(pointsForEvent(overSpeed, { peakKmh: 70, limitKmh: 0 })).toMatchObject({ points: 1, margin: null })
    expect(pointsForEvent(limiterOff, { state: 'disabled' })).toEqual({
      points: 3,
      measure: null,
      margin: null,
      band: null,
    })
  })
})

describe('when an event is scored, on a fake clock', () => {
  const began = new Date('2026-03-02T07:05:00+08:00')
  const clock = { at: began }
  const tick = (minutes: number) => (clock.at = new Date(clock.at.getTime() + minutes * 60_000))
  const hourMs = 3_600_000

  it('waits for an over-speed episode still going to end, or an hour after it began', () => {
    const going = { ts: began, details: episode(70, 60, null) }
    expect(awaitsSettling(overSpeed, going, clock.at, hourMs)).toBe(true)
    tick(59)
    expect(awaitsSettling(overSpeed, going, clock.at, hourMs)).toBe(true)
    tick(1)
    expect(awaitsSettling(overSpeed, going, clock.at, hourMs)).toBe(false)
    expect(awaitsSettling(overSpeed, { ts: began, details: episode(70, 60) }, began, hourMs)).toBe(false)
  })

  it('scores a fixed-points kind at once, its end written or not', () => {
    expect(awaitsSettling(limiterOff, { ts: began, details: { endTs: null } }, began, hourMs)).toBe(false)
  })
})

describe('whom an event charges', () => {
  const bus = { driverId: 'D07', company: '龙山校车服务有限公司' }

  it("charges the bus's driver and its operator, as the rule names them", () => {
    expect(subjectsOfEvent(limiterOff, { kind: 'limiter_disabled', details: {} }, bus)).toEqual([
      { subject: 'driver', key: 'D07' },
      { subject: 'company', key: '龙山校车服务有限公司' },
    ])
    expect(
      subjectsOfEvent({ subjects: ['company'] }, { kind: 'limiter_disabled', details: {} }, bus),
    ).toEqual([{ subject: 'company', key: '龙山校车服务有限公司' }])
    expect(
      subjectsOfEvent(
        limiterOff,
        { kind: 'limiter_disabled', details: {} },
        { driverId: null, company: null },
      ),
    ).toEqual([])
  })

  it("charges a lapsed paper to the driver only when it is the driver's own", () => {
    const paper = (subject: string, key: string) => ({ kind: 'papers_expired', details: { subject, key } })
    expect(subjectsOfEvent(limiterOff, paper('driver', 'D09'), bus)).toEqual([
      { subject: 'driver', key: 'D09' },
      { subject: 'company', key: '龙山校车服务有限公司' },
    ])
    expect(subjectsOfEvent(limiterOff, paper('bus', '浙B·12345'), bus)).toEqual([
      { subject: 'company', key: '龙山校车服务有限公司' },
    ])
    expect(subjectsOfEvent(limiterOff, paper('attendant', 'A03'), bus).map((s) => s.subject)).toEqual([
      'company',
    ])
  })
})

describe('which outcomes of a case take its points back', () => {
  it('voids a false alarm, an equipment fault and a duplicate; keeps the rest', () => {
    expect(['false_alarm', 'equipment_fault', 'duplicate'].map(voidsPoints)).toEqual([true, true, true])
    expect(['resolved', 'referred', 'no_action_needed'].map(voidsPoints)).toEqual([false, false, false])
    expect(voidsPoints(null)).toBe(false)
  })
})
