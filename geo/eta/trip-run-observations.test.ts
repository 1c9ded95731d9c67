import { describe, expect, it } from 'vitest'
import { observeTripRun } from './trip-run-observations.js'

const t0 = Date.parse('2026-03-02T07:00:00+08:00')
const at = (s: number) => t0 + s * 1000

describe('trip run observations', () => {
  it('turns a run’s stop visits into its legs and dwells', () => {
    const { legs, dwells } = observeTripRun('T1', [
      { seq: 2, arriveMs: at(300), departMs: at(340) },
      { seq: 1, arriveMs: at(0), departMs: at(60) },
      { seq: 3, arriveMs: at(600), departMs: null },
    ])
    expect(legs).toEqual([
      { tripId: 'T1', fromSeq: 1, departMs: at(60), arriveMs: at(300) },
      { tripId: 'T1', fromSeq: 2, departMs: at(340), arriveMs: at(600) },
    ])
    expect(dwells).toEqual([
      { tripId: 'T1', seq: 1, arriveMs: at(0), departMs: at(60) },
      { tripId: 'T1', seq: 2, arriveMs: at(300), departMs: at(340) },
    ])
  })

  it('leaves out a stop visited out of order, and the legs to and from it', () => {
    // Stop 2 was passed on the way to stop 1, before the trip left stop 1.
    const { legs, dwells } = observeTripRun('T1', [
      { seq: 1, arriveMs: at(100), departMs: at(160) },
      { seq: 2, arriveMs: at(0), departMs: at(20) },
      { seq: 3, arriveMs: at(700), departMs: at(730) },
      { seq: 4, arriveMs: at(900), departMs: null },
    ])
    expect(legs.map((l) => l.fromSeq)).toEqual([3])
    expect(dwells.map((d) => d.seq)).toEqual([1, 3])
  })

  it('leaves out a departure from the first stop long before the timetable’s', () => {
    const visits = [
      { seq: 1, arriveMs: at(0), departMs: at(30) },
      { seq: 2, arriveMs: at(900), departMs: at(930) },
      { seq: 3, arriveMs: at(1200), departMs: null },
    ]
    const early = observeTripRun('T1', visits, { scheduledFirstDepartMs: at(600), firstStopEarlyS: 120 })
    expect(early.legs.map((l) => l.fromSeq)).toEqual([2])
    const onTime = observeTripRun('T1', visits, { scheduledFirstDepartMs: at(100), firstStopEarlyS: 120 })
    expect(onTime.legs.map((l) => l.fromSeq)).toEqual([1, 2])
  })

  it('makes a leg from a departure whose arrival went unseen, but no dwell', () => {
    const { legs, dwells } = observeTripRun('T1', [
      { seq: 1, arriveMs: null, departMs: at(60) },
      { seq: 2, arriveMs: at(300), departMs: null },
    ])
    expect(legs).toEqual([{ tripId: 'T1', fromSeq: 1, departMs: at(60), arriveMs: at(300) }])
    expect(dwells).toEqual([])
  })
})
