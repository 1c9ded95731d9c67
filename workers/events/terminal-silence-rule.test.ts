import { describe, expect, it } from 'vitest'
import type { DerivedEvent } from './derived-event.js'
import { defaultEventRuleOptions } from '../../server/core/schedule/event-rule-options.js'
import { createTerminalSilenceRule } from './terminal-silence-rule.js'
import type { RunningTrip } from '../../server/core/schedule/trip-calendar.js'

const t0 = Date.parse('2026-03-02T07:00:00+08:00')
const at = (s: number) => new Date(t0 + s * 1000)
const trip: RunningTrip = {
  tripId: 'T1',
  busId: 'B1',
  startsAt: at(0),
  endsAt: at(3600),
  firstStopAt: at(600),
  lastStopAt: at(1800),
  stops: [],
}

const endTs = (event: DerivedEvent) => (event.kind === 'terminal_silent' ? event.details.endTs : undefined)

function setUp() {
  const events: DerivedEvent[] = []
  const rule = createTerminalSilenceRule('B1', defaultEventRuleOptions, (event) => events.push(event))
  return { events, rule }
}

describe('terminal silence rule', () => {
  it('stays quiet while reports come more often than the threshold', () => {
    const { events, rule } = setUp()
    for (let s = 0; s <= 1200; s += 100) {
      rule.observeReport(at(s))
      rule.check(at(s + 99), trip)
    }
    expect(events).toEqual([])
  })

  it('raises one silence dated from the last report, then ends it at the next report', () => {
    const { events, rule } = setUp()
    rule.observeReport(at(300))
    rule.check(at(420), trip)
    expect(events).toEqual([])
    for (let s = 421; s < 600; s += 5) rule.check(at(s), trip)
    expect(events).toEqual([
      {
        busId: 'B1',
        kind: 'terminal_silent',
        ts: at(300),
        tripId: 'T1',
        details: { lastReportTs: at(300).toISOString(), thresholdS: 120, endTs: null, silentS: null },
      },
    ])
    rule.observeReport(at(650))
    expect(events[1]).toMatchObject({ ts: at(300), details: { endTs: at(650).toISOString(), silentS: 350 } })
    rule.check(at(700), trip)
    expect(events).toHaveLength(2)
  })

  it('dates the silence from the trip start when no report came since', () => {
    const { events, rule } = setUp()
    rule.observeReport(at(-5000))
    rule.check(at(121), trip)
    expect(events).toMatchObject([{ ts: at(0), details: { lastReportTs: null } }])
  })

  it('ends the silence with a buffered report that arrives late but was made during the gap', () => {
    const { events, rule } = setUp()
    rule.observeReport(at(100))
    rule.check(at(300), trip)
    rule.observeReport(at(400))
    rule.observeReport(at(250))
    expect(events.map(endTs)).toEqual([null, at(400).toISOString()])

    const late = setUp()
    late.rule.observeReport(at(100))
    late.rule.check(at(300), trip)
    late.rule.observeReport(at(180))
    late.rule.observeReport(at(400))
    expect(late.events.map(endTs)).toEqual([null, at(180).toISOString()])
  })

  it('raises no second silence while the fixes kept through a coverage hole are still coming in', () => {
    const { events, rule } = setUp()
    rule.observeReport(at(300))
    rule.check(at(425), trip)
    // At 600 the terminal is back and sends what it kept, oldest first, over more than one tick.
    rule.observeReport(at(301))
    rule.observeReport(at(302))
    rule.check(at(600), trip)
    for (let s = 303; s <= 600; s++) rule.observeReport(at(s))
    rule.check(at(605), trip)
    expect(events.map((e) => [e.ts.getTime(), endTs(e)])).toEqual([
      [at(300).getTime(), null],
      [at(300).getTime(), at(301).toISOString()],
    ])
    // A terminal silent again afterwards is.
    rule.check(at(750), trip)
    expect(events.at(-1)?.ts).toEqual(at(600))
  })
})
