import { describe, expect, it } from 'vitest'
import { findSchoolBusSpeedLimit, type RoadSpeedAttributes } from '../../geo/speed/school-bus-speed-limit.js'
import type { DerivedEvent } from './derived-event.js'
import { defaultEventRuleOptions } from '../../server/core/schedule/event-rule-options.js'
import { createOverSpeedRule } from './over-speed-rule.js'

const t0 = Date.parse('2026-03-02T07:30:00+08:00')
const at = (s: number) => new Date(t0 + s * 1000)
const street: RoadSpeedAttributes & { name: string } = { roadClass: 'secondary', name: '浒山南七路' }
const bridge: RoadSpeedAttributes & { name: string } = {
  roadClass: 'secondary',
  name: '西直河桥',
  hazard: true,
}

/** Feeds one fix per entry: [second, speed] on the street, or [second, speed, road]. */
function replay(fixes: [number, number, (RoadSpeedAttributes & { name: string })?][]) {
  const events: DerivedEvent[] = []
  const rule = createOverSpeedRule('B1', defaultEventRuleOptions, (event) => events.push(event))
  for (const [second, speedKmh, road = street] of fixes) {
    rule.observe({
      ts: at(second),
      lat: 30.17 + second * 1e-5,
      lon: 121.26,
      speedKmh,
      limit: findSchoolBusSpeedLimit(road),
      road,
      tripId: 'T1',
    })
  }
  return { events, rule }
}

const everySecond = (from: number, speeds: number[]): [number, number][] =>
  speeds.map((speed, i) => [from + i, speed])

describe('over-speed rule', () => {
  it('raises nothing for one noisy fix far over the limit', () => {
    expect(replay(everySecond(0, [42, 45, 97, 44, 43, 41])).events).toEqual([])
  })

  it('raises nothing for a burst shorter than the minimum time, or with too few fixes', () => {
    expect(replay(everySecond(0, [50, 70, 71, 72, 70, 50, 50])).events).toEqual([])
    expect(
      replay([
        [0, 50],
        [10, 72],
        [20, 74],
        [30, 50],
      ]).events,
    ).toEqual([])
  })

  it('allows the tolerance over the limit', () => {
    expect(replay(everySecond(0, Array<number>(30).fill(62.9))).events).toEqual([])
    expect(replay(everySecond(0, Array<number>(30).fill(63.1))).events).toHaveLength(1)
  })

  it('raises one event per episode at once, then writes its end, peak and duration under the same key', () => {
    const { events } = replay(everySecond(10, [55, 66, 68, 75, 72, 70, 66, 64, 50, 48, 47]))
    expect(events).toHaveLength(2)
    const [raised, ended] = events
    expect(raised).toMatchObject({ busId: 'B1', kind: 'over_speed', ts: at(11), tripId: 'T1' })
    expect(raised!.details).toMatchObject({ peakKmh: 75, limitKmh: 60, durationS: 5, fixes: 6, endTs: null })
    expect(ended!.ts).toEqual(at(11))
    expect(ended!.details).toMatchObject({
      peakKmh: 75,
      limitKmh: 60,
      limitReason: 'other_road',
      roadClass: 'secondary',
      roadName: '浒山南七路',
      peakTs: at(13).toISOString(),
      durationS: 6,
      fixes: 7,
      endTs: at(17).toISOString(),
    })
  })

  it('does not split an episode at one fix under the limit, but does at two', () => {
    const one = replay(everySecond(0, [70, 70, 70, 70, 70, 70, 70, 50, 72, 72, 72, 50, 50]))
    expect(new Set(one.events.map((e) => e.ts.getTime()))).toEqual(new Set([at(0).getTime()]))
    expect(one.events.at(-1)!.details).toMatchObject({ fixes: 10, endTs: at(10).toISOString() })

    const two = replay(everySecond(0, [70, 70, 70, 70, 70, 70, 70, 50, 50, 72, 72, 72, 72, 72, 72, 50, 50]))
    expect(new Set(two.events.map((e) => e.ts.getTime()))).toEqual(
      new Set([at(0).getTime(), at(9).getTime()]),
    )
  })

  it('judges each fix by the road it is on and reports the fix most over its limit', () => {
    const { events } = replay([
      ...everySecond(0, [70, 74, 70, 70]),
      [4, 45, bridge],
      [5, 44, bridge],
      [6, 40, bridge],
      [7, 18, bridge],
      [8, 16, bridge],
    ])
    expect(events.at(-1)!.details).toMatchObject({
      peakKmh: 45,
      limitKmh: 20,
      limitReason: 'hazard',
      roadName: '西直河桥',
      durationS: 6,
      endTs: at(6).toISOString(),
    })
  })

  it('ends an episode at the last fix seen when the fixes stop or leave a gap', () => {
    const gap = replay([...everySecond(0, [70, 70, 70, 70, 70, 70]), [90, 70]])
    expect(gap.events).toHaveLength(2)
    expect(gap.events[1]!.details).toMatchObject({ endTs: at(5).toISOString(), durationS: 5 })

    const quiet = replay(everySecond(0, [70, 70, 70, 70, 70, 70, 70]))
    quiet.rule.expire(at(20))
    expect(quiet.events).toHaveLength(1)
    quiet.rule.expire(at(40))
    expect(quiet.events).toHaveLength(2)
    expect(quiet.events[1]!.details).toMatchObject({ endTs: at(6).toISOString(), fixes: 7 })
  })

  it('counts a fix with no limit (too slow to look one up) as under every limit', () => {
    const events: DerivedEvent[] = []
    const rule = createOverSpeedRule('B1', defaultEventRuleOptions, (event) => events.push(event))
    for (let s = 0; s < 20; s++) {
      rule.observe({
        ts: at(s),
        lat: 30.17,
        lon: 121.26,
        speedKmh: 18,
        limit: null,
        road: undefined,
        tripId: null,
      })
    }
    expect(events).toEqual([])
  })
})
