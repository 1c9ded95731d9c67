import { describe, expect, it } from 'vitest'
import { corner, distanceToM, routeEvents, runTrip, st } from './route-test-line.js'

/** On trip T1 of route-test-line: main street, a dead-end lane, the school's stop up a side road. */
describe('standing where no call is', () => {
  it('raises a stand away from the approved places, and not a traffic halt, a call or the depot', () => {
    const derived = routeEvents(
      runTrip({
        toSt2: (s) => s.drive([500, 0]).stand(30).drive(st.ST2).stand(150),
        toSt5: (s) =>
          s
            .driveVia([corner, [4000, 700]])
            .stand(90)
            .drive(st.ST5)
            .stand(60),
      }),
    )
    expect(derived.route.map((event) => event.kind)).toEqual(['stop_unapproved'])
    const [stand] = derived.ofKind('stop_unapproved')
    const { details } = stand!
    expect(distanceToM(details, [4000, 700])).toBeLessThan(30)
    expect(details.durationS).toBeGreaterThanOrEqual(85)
    expect(details.durationS).toBeLessThanOrEqual(90)
    expect(details.endTs).not.toBeNull()
    expect(details.doorsOpened).toBeNull()
    expect(details.nearestStopId).toBe('ST5')
    expect(details.nearestStopM).toBeGreaterThan(750)
    expect(details.offPathM).toBeLessThan(50)
  })

  it('does not take a bus creeping on in a queue under walking pace for one standing', () => {
    // Three minutes at 4 km/h up the road to the school's stop, 200 m in all.
    const creeping = (kmh: number) =>
      routeEvents(
        runTrip({
          toSt5: (s) =>
            s
              .driveVia([corner, [4000, 600]])
              .drive([4000, 800], kmh)
              .drive(st.ST5)
              .stand(60),
        }),
      ).ofKind('stop_unapproved')
    expect(creeping(4)).toEqual([])
    expect(creeping(3)).toEqual([])
    // A terminal reading 1 km/h, next to nothing, is standing, wherever its position wanders.
    expect(creeping(1).length).toBeGreaterThan(0)
  })

  it('counts a stand only with the doors open where the terminal reports its doors', () => {
    const standing = (doors: number[]) =>
      routeEvents(
        runTrip({
          toSt5: (s) =>
            s
              .driveVia([corner, [4000, 700]])
              .stand(90, doors)
              .drive(st.ST5)
              .stand(60),
        }),
      ).ofKind('stop_unapproved')
    expect(standing([])).toEqual([])
    expect(standing([1]).map((event) => event.details.doorsOpened)).toEqual([true])
  })
})
