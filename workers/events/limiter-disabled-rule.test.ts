import { describe, expect, it } from 'vitest'
import type { LimiterRow } from '../../server/core/broker/telemetry-rows.js'
import type { DerivedEvent } from './derived-event.js'
import { defaultEventRuleOptions } from '../../server/core/schedule/event-rule-options.js'
import { createLimiterDisabledRule } from './limiter-disabled-rule.js'

const t0 = Date.parse('2026-03-02T07:30:00+08:00')
const at = (s: number) => new Date(t0 + s * 1000)

type Step = ['fix', number, number] | ['limiter', number, LimiterRow['state']]

function replay(steps: Step[]) {
  const events: DerivedEvent[] = []
  const rule = createLimiterDisabledRule('B1', defaultEventRuleOptions, (event) => events.push(event))
  for (const step of steps) {
    if (step[0] === 'fix') rule.observeFix({ ts: at(step[1]), speedKmh: step[2], tripId: 'T1' })
    else rule.observeLimiter({ ts: at(step[1]), state: step[2], limitKmh: 60 })
  }
  return events
}

describe('limiter disabled rule', () => {
  it('raises nothing while the limiter is off but the bus stands still', () => {
    expect(
      replay([
        ['limiter', 0, 'disabled'],
        ['fix', 1, 0],
        ['fix', 5, 3],
        ['limiter', 9, 'active'],
        ['fix', 10, 40],
      ]),
    ).toEqual([])
  })

  it('raises once the bus moves with the limiter off, and ends when it is active again', () => {
    const events = replay([
      ['fix', 0, 0],
      ['limiter', 1, 'disabled'],
      ['fix', 2, 2],
      ['fix', 3, 12],
      ['fix', 4, 25],
      ['limiter', 64, 'active'],
    ])
    expect(events).toHaveLength(2)
    expect(events[0]).toMatchObject({
      kind: 'limiter_disabled',
      ts: at(3),
      tripId: 'T1',
      details: { state: 'disabled', states: ['disabled'], speedKmh: 12, limitKmh: 60, endTs: null },
    })
    expect(events[1]).toMatchObject({
      ts: at(3),
      details: { endTs: at(64).toISOString(), durationS: 61 },
    })
  })

  it('dates the episode from the limiter report when the bus is already moving', () => {
    const events = replay([
      ['fix', 0, 40],
      ['limiter', 2, 'fault'],
    ])
    expect(events).toMatchObject([{ ts: at(2), details: { state: 'fault', speedKmh: 40 } }])
  })

  it('keeps one episode through stops and a change from disabled to fault', () => {
    const events = replay([
      ['limiter', 0, 'disabled'],
      ['fix', 1, 30],
      ['fix', 20, 0],
      ['fix', 50, 30],
      ['limiter', 60, 'disabled'],
      ['limiter', 61, 'fault'],
      ['fix', 62, 30],
    ])
    expect(new Set(events.map((e) => e.ts.getTime()))).toEqual(new Set([at(1).getTime()]))
    expect(events.at(-1)!.details).toMatchObject({ state: 'disabled', states: ['disabled', 'fault'] })
  })

  it('ignores a limiter report older than the one it knows', () => {
    const events = replay([
      ['fix', 0, 30],
      ['limiter', 10, 'active'],
      ['limiter', 5, 'disabled'],
      ['fix', 11, 30],
    ])
    expect(events).toEqual([])
  })
})
