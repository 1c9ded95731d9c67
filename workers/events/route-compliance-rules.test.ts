import { describe, expect, it } from 'vitest'
import {
  afterTrip,
  approved,
  corner,
  junction,
  path,
  routeEvents,
  runTrip,
  st,
  stopIdOf,
  trip,
} from './route-test-line.js'
import {
  createTrackScript,
  deriveRouteEvents,
  localTime,
  realisticNoise,
  routeKinds,
} from './route-test-trip.js'

/** On trip T1 of route-test-line: main street, a dead-end lane, the school's stop up a side road. */
describe('route compliance of a bus on its trip', () => {
  it('raises nothing on the approved trip, under realistic GPS noise with jumps, for any seed', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const derived = routeEvents(runTrip({}, realisticNoise, seed))
      expect(derived.route).toEqual([])
      // The stop rule saw every call, the dead-end lane's included (ST2 now and then as the bus
      // passed it slowly on its way to ST1).
      expect(
        derived
          .ofKind('stop_arrival')
          .map((event) => event.details.stopId)
          .sort(),
      ).toEqual(['ST1', 'ST2', 'ST3', 'ST4', 'ST5'])
    }
  })

  it('judges nothing before the bus reaches its first call, nor after its last', () => {
    // The runs all come from the depot along main street past ST2, and wait 200 m short of ST1;
    // after the school they drive off the path and stand. A clean run shows it.
    const derived = routeEvents(runTrip({}, undefined))
    expect(derived.route).toEqual([])
    expect(derived.ofKind('stop_arrival')[0]!.details.stopId).toBe('ST1')
  })

  it('ends a trip the bus abandoned: the detour ends off the path, the calls not reached are skipped', () => {
    const s = createTrackScript(st.ST1, localTime('06:59:00'), realisticNoise, 3)
    s.stand(60)
    approved.toSt2(s)
    s.driveVia([
      [1500, 0],
      [1500, 2000],
    ]).stand(25 * 60)
    expect(s.now > localTime('07:20:00')).toBe(true)
    const derived = routeEvents(s.rows)
    const kinds = derived.route.map((event) => [event.kind, stopIdOf(event)])
    expect(kinds).toEqual([
      ['route_off_corridor', null],
      ['stop_unapproved', null],
      ['stop_skipped', 'ST3'],
      ['stop_skipped', 'ST4'],
      ['stop_skipped', 'ST5'],
    ])
    const [detour] = derived.ofKind('route_off_corridor')
    expect(detour!.details.rejoined).toBeNull()
    expect(detour!.details.endTs).not.toBeNull()
    for (const skip of derived.ofKind('stop_skipped')) {
      expect(skip.details.decidedBy).toBe('not_reached')
      expect(skip.ts.toISOString()).toBe(skip.details.plannedTs)
    }
    // Before the trip's window is over nothing says the bus will not come back.
    const early = routeEvents(s.rows, new Date(s.now.getTime() + 1000))
    expect(early.ofKind('stop_skipped')).toEqual([])
  })

  it('takes a bus seen again off its path after a silence that hid its last call for one gone on, not astray', () => {
    // Unseen from ST4 to the school's stop and 600 m on past it (a terminal without power), then
    // seen driving on away from the path: it called at ST5 unseen and finished its trip.
    const finishedUnseen = (unseenTo: [number, number]) =>
      routeEvents(
        runTrip(
          {
            toSt5: (s) =>
              s
                .driveUnseen(corner)
                .driveUnseen(st.ST5)
                .driveUnseen(unseenTo)
                .drive([unseenTo[0] + 900, unseenTo[1]]),
          },
          realisticNoise,
        ),
      ).route
    expect(finishedUnseen([4600, 1500])).toEqual([])
    // Seen again off the path short of the corner, the bus could not have called at ST5 meanwhile.
    const astray = routeEvents(
      runTrip({ toSt5: (s) => s.driveUnseen([3500, 0]).driveUnseen([3500, 400]).drive([3500, 1400]) }),
    )
    expect(astray.route.map((event) => event.kind)).toContain('route_off_corridor')
  })

  it('takes a bus seen again coming back along its path after such a silence for one that finished, then left', () => {
    // Unseen from ST4 to the school's stop and back down the side road, seen again on it heading
    // for the corner, then gone east off the path: it called at ST5 unseen and drove home.
    const cameBack = routeEvents(
      runTrip(
        {
          toSt5: (s) =>
            s
              .driveUnseen(corner)
              .driveUnseen([4000, 1490])
              // Its stop at the school, unseen too.
              .driveUnseen(st.ST5, 1)
              .driveUnseen([4000, 900])
              .drive(corner)
              .drive([5500, 0]),
        },
        realisticNoise,
      ),
    ).route
    expect(cameBack).toEqual([])
    // Seen again on the path after a silence too short for ST5 (well before its time), then off
    // it: astray.
    const astray = routeEvents(
      runTrip({ toSt4: (s) => s.driveUnseen([2500, 0]).drive([2800, 0]).drive([2800, -1000]).stand(120) }),
    )
    expect(astray.route.map((event) => event.kind)).toContain('route_off_corridor')
  })

  it('derives the same events from the same fixes whichever way they are batched', () => {
    const rows = runTrip({ toSt4: (s) => s.driveVia([junction, corner], 55) })
    const byMinute = deriveRouteEvents(rows, trip, path, { endTs: afterTrip }).events
    const byFix = deriveRouteEvents(rows, trip, path, { endTs: afterTrip, batchSize: 1 }).events
    const whole = deriveRouteEvents(rows, trip, path, { endTs: afterTrip, batchSize: rows.length }).events
    expect(byMinute.filter((event) => routeKinds.includes(event.kind))).toHaveLength(1)
    expect(byFix).toEqual(byMinute)
    expect(whole).toEqual(byMinute)
  })
})
