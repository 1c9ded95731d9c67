import { describe, expect, it } from 'vitest'
import { learnLegTimes, type LegObservation } from './learned-leg-times.js'

/** A leg departing at a local (UTC+8) time of day on a given day of March 2026, taking `durationS`. */
const leg = (
  tripId: string,
  fromSeq: number,
  day: number,
  time: string,
  durationS: number,
): LegObservation => {
  const departMs = Date.parse(`2026-03-${String(day).padStart(2, '0')}T${time}+08:00`)
  return { tripId, fromSeq, departMs, arriveMs: departMs + durationS * 1000 }
}
const morning = (day: number) => Date.parse(`2026-03-${String(day).padStart(2, '0')}T07:20:00+08:00`)
const afternoon = Date.parse('2026-03-20T16:20:00+08:00')

describe('learned leg times', () => {
  it('keeps the median of a leg, so one run held up does not move it', () => {
    const table = learnLegTimes(
      [200, 210, 190, 205, 900].map((s, day) => leg('T1', 1, day + 2, '07:15:00', s)),
    )
    expect(table.legS('T1', 1, morning(20))).toBe(205)
    expect(table.legObservationCount).toBe(5)
  })

  it('answers by time of day, and over the whole day where a bucket has too few runs', () => {
    const table = learnLegTimes(
      [
        ...[300, 310, 320].map((s, day) => leg('T1', 1, day + 2, '07:10:00', s)),
        ...[200, 210, 220].map((s, day) => leg('T1', 1, day + 2, '16:10:00', s)),
        leg('T1', 1, 9, '11:10:00', 150),
      ],
      { bucketMin: 60, minBucketSamples: 2 },
    )
    expect(table.legS('T1', 1, morning(20))).toBe(310)
    expect(table.legS('T1', 1, afternoon)).toBe(210)
    expect(table.legS('T1', 1, Date.parse('2026-03-20T11:30:00+08:00'))).toBe(220)
  })

  it('knows nothing of a leg never seen, without a reference to go by', () => {
    const table = learnLegTimes([leg('T1', 1, 2, '07:10:00', 300)])
    expect(table.legS('T1', 2, morning(20))).toBeNull()
    expect(table.legS('T2', 1, morning(20))).toBeNull()
    expect(table.dwellS('T1', 1, morning(20))).toBeNull()
  })

  it('learns the factor on the router time of all legs, for a leg seen rarely or never', () => {
    const routerLegS = (tripId: string, fromSeq: number) => (tripId === 'T9' ? 500 : 100 * fromSeq)
    const seen = [1, 2, 3].flatMap((fromSeq) =>
      [2, 3, 4].map((day) => leg('T1', fromSeq, day, '07:10:00', 120 * fromSeq)),
    )
    const once = leg('T2', 1, 4, '07:10:00', 300)
    const table = learnLegTimes([...seen, once], { routerLegS, priorRuns: 3 })
    // Every leg of T1 takes 1.2 times the router's time: so would one never seen.
    expect(table.legS('T9', 1, morning(20))).toBeCloseTo(600, 6)
    // Seen once at 3 times the router's, against three runs' worth of the fleet's 1.2 (the median of all).
    expect(table.legS('T2', 1, morning(20))).toBeCloseTo(100 * ((1 * 3 + 3 * 1.2) / 4), 6)
    expect(table.legS('T1', 2, morning(20))).toBeCloseTo(240, 6)
  })

  it('drops legs that cannot be: negative, or far longer than the router allows', () => {
    const table = learnLegTimes(
      [leg('T1', 1, 2, '07:10:00', 110), leg('T1', 1, 3, '07:10:00', -5), leg('T1', 1, 4, '07:10:00', 1000)],
      { routerLegS: () => 100, maxRouterFactor: 3 },
    )
    expect(table.legObservationCount).toBe(1)
    expect(table.legS('T1', 1, morning(20))).toBeCloseTo(110, 6)
  })

  it('learns dwells as a difference from the timetable', () => {
    const dwells = [30, 34, 32].map((s, i) => {
      const arriveMs = morning(i + 2)
      return { tripId: 'T1', seq: 2, arriveMs, departMs: arriveMs + (s + 20) * 1000 }
    })
    const table = learnLegTimes([], {
      dwells,
      scheduledDwellS: (_, seq) => (seq === 2 ? 20 : 60),
      priorRuns: 0,
    })
    expect(table.dwellS('T1', 2, morning(20))).toBe(52)
    // Another stop, with a longer timetable dwell, gets the same 32 s on top of it.
    expect(table.dwellS('T1', 3, morning(20))).toBe(92)
    expect(table.dwellObservationCount).toBe(3)
  })

  it('leans on the fleet-wide figure only once enough observations back it', () => {
    const observations = [leg('T1', 1, 2, '07:10:00', 240)]
    const routerLegS = () => 120
    const eager = learnLegTimes(observations, { routerLegS })
    const patient = learnLegTimes(observations, { routerLegS, minFleetSamples: 5 })
    // An unseen leg: the one run's factor of 2 stands in for it, or nothing does.
    expect(eager.legS('T2', 4, morning(20))).toBe(240)
    expect(patient.legS('T2', 4, morning(20))).toBeNull()
    expect(patient.legS('T1', 1, morning(20))).toBe(240)
  })
})
