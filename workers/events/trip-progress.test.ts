import { describe, expect, it } from 'vitest'
import { defaultEventRuleOptions } from '../../server/core/schedule/event-rule-options.js'
import { defaultRouteComplianceOptions } from './route-compliance-options.js'
import { buildTestTrip, createTrackScript, localTime, type Metres } from './route-test-trip.js'
import { createTripProgress, type ProgressStep } from './trip-progress.js'

/** A straight street east: A at 0, B at 1000 m, C at 2000 m, D at 3000 m. */
const { trip, path } = buildTestTrip({
  line: [
    [0, 0],
    [3000, 0],
  ],
  calls: [
    { stopId: 'A', at: [0, 0], arrive: '07:00:00' },
    { stopId: 'B', at: [1000, 0], arrive: '07:02:00' },
    { stopId: 'C', at: [2000, 0], arrive: '07:04:00' },
    { stopId: 'D', at: [3000, 0], arrive: '07:06:00' },
  ],
})
const options = { ...defaultRouteComplianceOptions, ...defaultEventRuleOptions }

/** Feeds the fixes; `arrivals` gives the calls arrived at with the fix at that index. */
function follow(rows: ReturnType<typeof createTrackScript>['rows'], arrivals = new Map<number, number[]>()) {
  const progress = createTripProgress(trip, path, options)
  const steps = rows.map((row, i) => progress.observe(row, arrivals.get(i) ?? []))
  return { progress, steps }
}
const crossings = (steps: (ProgressStep | undefined)[]) =>
  steps.flatMap((step) => step?.crossed.map((c) => [path.route.stops[c.index]!.stopId, c.witnessed]) ?? [])

describe('a bus’s progress along its trip', () => {
  it('begins at the first call, goes past the calls it drives by, and sees them go', () => {
    const s = createTrackScript([-800, 0] as Metres, localTime('06:58:00'))
      .drive([0, 0])
      .stand(5)
      .drive([2500, 0])
    const { progress, steps } = follow(s.rows)
    const firstStep = steps.findIndex((step) => step !== undefined)
    expect(s.rows[firstStep]!.lon).toBeGreaterThan(s.rows[0]!.lon)
    expect(crossings(steps)).toEqual([
      ['B', true],
      ['C', true],
    ])
    expect(progress.alongM).toBeCloseTo(2500, -1)
    expect(progress.finished).toBe(false)
  })

  it('does not see a call passed inside a coverage hole', () => {
    const s = createTrackScript([0, 0], localTime('07:00:00'))
      .drive([500, 0])
      .driveUnseen([1500, 0])
      .drive([2500, 0])
    expect(crossings(follow(s.rows).steps)).toEqual([
      ['B', false],
      ['C', true],
    ])
  })

  it('begins at a later call only from the first call’s time, and ends at the last call', () => {
    const early = createTrackScript([1000, 0], localTime('06:58:00')).stand(10)
    expect(follow(early.rows, new Map([[0, [1]]])).progress.engaged).toBe(false)
    const late = createTrackScript([1000, 0], localTime('07:01:00')).stand(10).drive([3000, 0]).stand(5)
    const arriveAtD = late.rows.length - 1
    const { progress, steps } = follow(
      late.rows,
      new Map([
        [0, [1]],
        [arriveAtD, [3]],
      ]),
    )
    expect(progress.engaged).toBe(true)
    // A, before where it began, was never gone past: only the trip's end can tell about it. D was
    // reached a fix before the stop rule had the bus arrive there.
    expect(crossings(steps)).toEqual([
      ['C', true],
      ['D', true],
    ])
    expect(steps[arriveAtD]!.finished).toBe(true)
    expect(progress.observe(late.rows[arriveAtD]!, [])).toBeUndefined()
  })

  it('stays where it got to when the bus turns back, until it arrives at a call behind', () => {
    const s = createTrackScript([0, 0], localTime('07:00:00')).drive([1600, 0]).drive([1000, 0]).stand(10)
    const backAt = s.rows.length - 1
    const turned = follow(s.rows.slice(0, backAt))
    expect(turned.progress.alongM).toBeGreaterThan(1550)
    const { progress } = follow(s.rows, new Map([[backAt, [1]]]))
    expect(progress.alongM).toBeCloseTo(1000, 0)
  })
})
