import { describe, expect, it } from 'vitest'
import { corner, junction, routeEvents, runTrip, st } from './route-test-line.js'
import { metresOf } from './route-test-trip.js'

/** On trip T1 of route-test-line: main street, a dead-end lane, the school's stop up a side road. */
describe('driving off the approved path', () => {
  it('raises a detour once, when sure, and writes where the bus left and rejoined the path', () => {
    const derived = routeEvents(
      runTrip({
        toSt2: (s) => s.driveVia([[300, 0], [300, 400], [900, 400], [900, 0], st.ST2]).stand(30),
      }),
    )
    expect(derived.route.map((event) => event.kind)).toEqual(['route_off_corridor'])
    const [detour] = derived.ofKind('route_off_corridor')
    const { details } = detour!
    expect(details.left.alongM).toBeGreaterThan(250)
    expect(details.left.alongM).toBeLessThan(350)
    expect(details.rejoined!.alongM).toBeGreaterThan(850)
    expect(details.rejoined!.alongM).toBeLessThan(950)
    expect(details.offKm).toBeGreaterThan(0.9)
    expect(details.offKm).toBeLessThan(1.4)
    expect(details.maxOffM).toBeGreaterThan(350)
    expect(details.maxOffM).toBeLessThan(500)
    expect(details.durationS).toBeGreaterThan(80)
    expect(details.endTs).toBe(details.rejoined!.ts)
    // The stretch runs from where it left to where it rejoined, by the detour's far side.
    const points = details.stretch.map(([lon, lat]) => metresOf({ lat, lon }))
    expect(points[0]![0]).toBeCloseTo(metresOf(details.left)[0], 0)
    expect(points.at(-1)![0]).toBeCloseTo(metresOf(details.rejoined!)[0], 0)
    expect(points.some(([east, north]) => Math.abs(east - 600) < 100 && Math.abs(north - 400) < 60)).toBe(
      true,
    )
    expect(points.length).toBeLessThanOrEqual(120)
    // Raised while the bus was still away, then written once more with its end: one key.
    const versions = derived.emitted.filter((event) => event.kind === 'route_off_corridor')
    expect(versions.map((event) => event.details.endTs === null)).toEqual([true, false])
    expect(new Set(versions.map((event) => event.ts.getTime())).size).toBe(1)
    expect(Date.parse(details.left.ts)).toBeLessThan(versions[0]!.ts.getTime())
  })

  it('keeps a detour that follows its path for a block and leaves it again one detour, under one key', () => {
    const derived = routeEvents(
      runTrip({
        toSt2: (s) =>
          s
            .driveVia([
              [200, 0],
              [200, -500],
              [500, -500],
              [500, 0],
              // 50 m along the path, then away again.
              [550, 0],
              [550, -500],
              [850, -500],
              [850, 0],
              st.ST2,
            ])
            .stand(30),
      }),
    )
    expect(derived.route.map((event) => event.kind)).toEqual(['route_off_corridor'])
    const { details } = derived.ofKind('route_off_corridor')[0]!
    expect(details.left.alongM).toBeLessThan(300)
    expect(details.rejoined!.alongM).toBeGreaterThan(800)
    expect(details.offKm).toBeGreaterThan(2)
    // Written as ended where it first came back, then as under way again, then with its end.
    const versions = derived.emitted.filter((event) => event.kind === 'route_off_corridor')
    expect(new Set(versions.map((event) => event.ts.getTime())).size).toBe(1)
    expect(versions.at(-1)!.details.endTs).toBe(details.rejoined!.ts)

    // Back on its trip in between (a call made), a second detour is one of its own.
    const twice = routeEvents(
      runTrip({
        toSt2: (s) => s.driveVia([[200, 0], [200, -500], [500, -500], [500, 0], st.ST2]).stand(30),
        toSt4: (s) =>
          s.driveVia([junction, [2200, 0], [2200, -500], [2700, -500], [2700, 0], st.ST4]).stand(30),
      }),
    )
    expect(twice.route.map((event) => event.kind)).toEqual(['route_off_corridor', 'route_off_corridor'])
  })

  it('raises nothing for a brush off the path: a side street in and out again, or a U-turn', () => {
    const derived = routeEvents(
      runTrip({
        toSt2: (s) => s.driveVia([[400, 0], [400, 250], [400, 0], st.ST2], 30).stand(30),
        // Past the junction by mistake, turned round 200 m on, and back up the lane.
        toSt3: (s) => s.driveVia([[2200, 0], junction, st.ST3]).stand(30),
      }),
    )
    expect(derived.route).toEqual([])
  })

  it('takes a coverage hole for no detour, nor a bus seen again on the path far along after one', () => {
    const derived = routeEvents(
      runTrip({
        // Seen leaving, unseen for most of the way round, seen coming back.
        toSt2: (s) =>
          s
            .driveVia([
              [300, 0],
              [300, 400],
            ])
            .driveUnseen([900, 400])
            .driveVia([[900, 0], st.ST2])
            .stand(30),
        // Unseen from the junction to past ST4: had it called at ST4, nothing would show it.
        toSt4: (s) => s.drive(junction).driveUnseen([3600, 0]).drive(corner),
        toSt5: (s) => s.drive(st.ST5).stand(60),
      }),
    )
    expect(derived.route).toEqual([])
  })
})
