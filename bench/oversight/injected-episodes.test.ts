import { describe, expect, it } from 'vitest'
import { defaultEventRuleOptions } from '../../server/core/schedule/event-rule-options.js'
import type { InjectedFault } from '../../workers/simulator/injected-fault.js'
import { listInjectedEpisodes, type DayTruth } from './injected-episodes.js'

const S = 1000
const T0 = Date.parse('2026-03-02T07:00:00+08:00')
const at = (s: number) => T0 + s * S

const truth = (fields: Partial<DayTruth>): DayTruth => ({
  faults: [],
  deviations: [],
  leftAboard: [],
  tripWindows: [{ busId: 'B1', tripId: 'T1', startMs: at(0), endMs: at(3600) }],
  dayEndMs: at(12 * 3600),
  rules: defaultEventRuleOptions,
  ...fields,
})

/** A speeding episode from `startS`, one excess a second. */
const speeding = (startS: number, excessKmh: number[], busId = 'B1'): InjectedFault => ({
  kind: 'speeding',
  busId,
  startMs: at(startS),
  endMs: at(startS + excessKmh.length - 1),
  stepMs: S,
  excessKmh,
  peakKmh: 60 + Math.max(...excessKmh),
  peakLimitKmh: 60,
})

const expectations = (t: DayTruth) =>
  listInjectedEpisodes(t).map((e) => [e.kind, e.expected, (e.startMs - T0) / S, (e.endMs - T0) / S, e.tripId])

describe('the episodes a simulated day injected', () => {
  it('judges speeding by how far and how long the true speed was over the limit and the tolerance', () => {
    expect(
      expectations(
        truth({
          faults: [
            // 10 s at 8 km/h over: plainly over the 3 km/h tolerance for the 5 s the rule asks.
            speeding(100, [-2, 2, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 2, -1]),
            // 2 km/h over for 20 s: within the tolerance.
            speeding(200, [0.5, ...Array<number>(20).fill(0.9), -1]),
            // 4 km/h over: within the margin of the tolerance.
            speeding(300, Array<number>(12).fill(4)),
            // Begun while braking: never over the limit.
            speeding(400, [-5, -9, -12]),
            // Back under the limit for 3 s (a bend) between two stretches over it: two episodes.
            speeding(500, [...Array<number>(9).fill(9), -4, -4, -4, ...Array<number>(9).fill(9)]),
            // Under the threshold for 1 s only: one episode.
            speeding(600, [...Array<number>(9).fill(9), 2, ...Array<number>(9).fill(9)]),
          ],
        }),
      ),
    ).toEqual([
      ['over_speed', 'must', 101, 112, 'T1'],
      ['over_speed', 'must_not', 200, 220, 'T1'],
      ['over_speed', 'may', 300, 311, 'T1'],
      ['over_speed', 'must', 500, 508, 'T1'],
      ['over_speed', 'must', 512, 520, 'T1'],
      ['over_speed', 'must', 600, 618, 'T1'],
    ])
  })

  it('expects a limiter episode raised once the bus drove, and none for one it stood through', () => {
    const limiter = (startS: number, movingMs: number, maxSpeedKmh: number): InjectedFault => ({
      kind: 'limiter',
      busId: 'B1',
      state: 'disabled',
      startMs: at(startS),
      endMs: at(startS + 600),
      maxSpeedKmh,
      movingMs,
      firstMovingMs: movingMs > 0 ? at(startS + 30) : null,
    })
    expect(
      expectations(
        truth({ faults: [limiter(100, 300_000, 55), limiter(1000, 0, 0), limiter(2000, 2000, 12)] }),
      ),
    ).toEqual([
      ['limiter_disabled', 'must', 100, 700, 'T1'],
      ['limiter_disabled', 'must_not', 1000, 1600, 'T1'],
      ['limiter_disabled', 'may', 2000, 2600, 'T1'],
    ])
  })

  it('finds the silences heard while a trip ran, from the last report before, and hides what they hid', () => {
    const faults: InjectedFault[] = [
      // 5 minutes without power, well inside the trip.
      { kind: 'terminal_off', busId: 'B1', startMs: at(600), endMs: at(900), lastSentMs: at(599) },
      // A buffering terminal 100 s in a hole, then another 40 s after 2 s of coverage: 142 s in all.
      {
        kind: 'coverage_gap',
        busId: 'B1',
        startMs: at(2000),
        endMs: at(2100),
        lastSentMs: at(1999),
        buffered: true,
      },
      {
        kind: 'coverage_gap',
        busId: 'B1',
        startMs: at(2101),
        endMs: at(2141),
        lastSentMs: at(2100),
        buffered: true,
      },
      // Silent across the end of the trip's window: only 60 s of it while the trip ran.
      { kind: 'terminal_off', busId: 'B1', startMs: at(3540), endMs: at(4000), lastSentMs: at(3540) },
      // Silent after the bus got to the last call of T2, which the platform heard: no longer a trip.
      { kind: 'terminal_off', busId: 'B2', startMs: at(1500), endMs: at(2000), lastSentMs: at(1500) },
      // Silent before it got to T3's last call and after: to the platform, T3 still ran.
      { kind: 'terminal_off', busId: 'B3', startMs: at(900), endMs: at(1200), lastSentMs: at(900) },
      // Speeding while the terminal had no power: the platform could not see it.
      speeding(700, Array<number>(20).fill(10)),
    ]
    const tripWindows = [
      { busId: 'B1', tripId: 'T1', startMs: at(0), endMs: at(3600) },
      { busId: 'B2', tripId: 'T2', startMs: at(0), endMs: at(3600), arrivedLastMs: at(1400) },
      { busId: 'B3', tripId: 'T3', startMs: at(0), endMs: at(3600), arrivedLastMs: at(1000) },
    ]
    expect(expectations(truth({ faults, tripWindows }))).toEqual([
      ['terminal_silent', 'must', 599, 900, 'T1'],
      ['over_speed', 'may', 700, 719, 'T1'],
      ['terminal_silent', 'must', 900, 1200, 'T3'],
      ['terminal_silent', 'must', 1999, 2141, 'T1'],
    ])
  })

  it('turns route deviations and pupils left aboard into the events they should raise', () => {
    const faults: InjectedFault[] = [
      { kind: 'activity', busId: 'B1', tag: 'detour:T1:0', startMs: at(100), endMs: at(400) },
      { kind: 'activity', busId: 'B1', tag: 'skip_call:T1:2', startMs: at(500), endMs: at(700) },
      {
        kind: 'coverage_gap',
        busId: 'B1',
        startMs: at(800),
        endMs: at(830),
        lastSentMs: at(799),
        buffered: false,
      },
      { kind: 'activity', busId: 'B1', tag: 'unapproved_stand:T1:3', startMs: at(810), endMs: at(930) },
    ]
    const episodes = listInjectedEpisodes(
      truth({
        faults,
        deviations: [
          { busId: 'B1', tag: 'detour:T1:0', kind: 'detour', tripId: 'T1', fromStopIndex: 0, driven: [] },
          { busId: 'B1', tag: 'skip_call:T1:2', kind: 'skip_call', tripId: 'T1', stopIndex: 2, stopId: 'S3' },
          {
            busId: 'B1',
            tag: 'unapproved_stand:T1:3',
            kind: 'unapproved_stand',
            tripId: 'T1',
            fromStopIndex: 3,
            at: { lat: 30, lon: 121 },
            standS: 120,
          },
          // Never driven: the bus's plan did not have it.
          { busId: 'B2', tag: 'detour:T9:0', kind: 'detour', tripId: 'T9', fromStopIndex: 0, driven: [] },
        ],
        leftAboard: [{ busId: 'B1', tripId: 'T1', pupilId: 'p1', arrivedLastMs: at(3000) }],
      }),
    )
    expect(episodes.map((e) => [e.kind, e.expected, e.stopId, (e.startMs - T0) / S])).toEqual([
      ['route_off_corridor', 'must', null, 100],
      ['stop_skipped', 'must', 'S3', 500],
      ['stop_unapproved', 'may', null, 810],
      ['child_left_on_bus', 'must', null, 3000],
    ])
  })
})
