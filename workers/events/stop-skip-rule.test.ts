import { describe, expect, it } from 'vitest'
import {
  approved,
  corner,
  distanceToM,
  junction,
  routeEvents,
  runTrip,
  st,
  stopIdOf,
} from './route-test-line.js'
import { localTime } from './route-test-trip.js'

/** On trip T1 of route-test-line: main street, a dead-end lane, the school's stop up a side road. */
describe('skipping an approved call', () => {
  it('raises a skipped stop once the bus is past it, with where it passed', () => {
    const derived = routeEvents(runTrip({ toSt4: (s) => s.driveVia([junction, corner], 55) }))
    expect(derived.route.map((event) => [event.kind, event.details])).toEqual([
      [
        'stop_skipped',
        expect.objectContaining({ stopId: 'ST4', seq: 4, decidedBy: 'passed', calledTs: null }),
      ],
    ])
    const [skip] = derived.ofKind('stop_skipped')
    const { details } = skip!
    expect(details.plannedTs).toBe(localTime('07:12:00').toISOString())
    expect(details.nearest!.distanceM).toBeLessThan(50)
    expect(details.nearest!.speedKmh).toBe(55)
    expect(skip!.ts.toISOString()).toBe(details.nearest!.ts)
    expect(details.stretch.length).toBeGreaterThan(20)
    for (const [lon, lat] of details.stretch) expect(distanceToM({ lat, lon }, st.ST4)).toBeLessThan(400)
  })

  it('skips the stop up a dead-end lane when the bus turns round short of it, without a detour', () => {
    const derived = routeEvents(
      runTrip({ toSt3: (s) => s.driveVia([junction, [2000, 300], junction]), toSt4: approved.toSt4 }),
    )
    expect(derived.route.map((event) => [event.kind, stopIdOf(event)])).toEqual([['stop_skipped', 'ST3']])
    const [skip] = derived.ofKind('stop_skipped')
    // It came no nearer than where it turned, 500 m short: farther than the pass radius.
    expect(skip!.details.nearest!.distanceM).toBeGreaterThan(400)
    expect(skip!.details.stretch).toEqual([])
  })

  it('writes a skipped stop again when the bus comes back and calls there after all', () => {
    const derived = routeEvents(runTrip({ toSt2: (s) => s.driveVia([st.ST2, [1600, 0], st.ST2]).stand(30) }))
    expect(derived.route.map((event) => [event.kind, stopIdOf(event)])).toEqual([['stop_skipped', 'ST2']])
    const [skip] = derived.ofKind('stop_skipped')
    const arrival = derived.ofKind('stop_arrival').find((event) => event.details.stopId === 'ST2')!
    expect(Date.parse(skip!.details.calledTs!)).toBeGreaterThanOrEqual(arrival.ts.getTime())
    const versions = derived.emitted.filter((event) => event.kind === 'stop_skipped')
    expect(versions.map((event) => event.details.calledTs === null)).toEqual([true, false])
    expect(versions[1]!.ts).toEqual(versions[0]!.ts)
  })

  it('decides nothing for a stop passed inside a coverage hole', () => {
    const derived = routeEvents(
      runTrip({ toSt4: (s) => s.drive(junction).driveUnseen([3400, 0], 55).driveVia([corner], 55) }),
    )
    expect(derived.route).toEqual([])
  })
})
