import { describe, expect, it } from 'vitest'
import type { EtaView } from './eta-display.js'
import type { ParentNotice } from './notice-log.js'
import { approachNotice, delayedNotice } from './notice-rules.js'

const minutes = (n: number, lateMin = 0): EtaView => ({
  kind: 'minutes',
  minutes: n,
  remainingS: n * 60,
  lastReport: '07:15',
  lateMin,
})

/** Runs a rule over a sequence of ETA views the way the page does, keeping what fired. */
function run(
  views: EtaView[],
  rule: typeof delayedNotice,
  options: { date?: string; fired?: Set<string> } = {},
) {
  const fired = options.fired ?? new Set<string>()
  const notices: { step: number; notice: ParentNotice }[] = []
  views.forEach((view, step) => {
    const notice = rule({
      view,
      date: options.date ?? '2026-03-02',
      tripId: 'bus-01-am1',
      pupilId: 'pu-00102',
      stopName: '龙山村',
      at: '2026-03-02T07:15:00+08:00',
      alreadyFired: (key) => fired.has(key),
    })
    if (notice) {
      fired.add(notice.key)
      notices.push({ step, notice })
    }
  })
  return notices
}

describe('the bus is N minutes away', () => {
  const approach = (thresholdMin: number) => (input: Parameters<typeof delayedNotice>[0]) =>
    approachNotice({ ...input, thresholdMin })

  it('fires once, when the ETA to the child’s stop first drops to N or below', () => {
    const notices = run([minutes(9), minutes(7), minutes(5), minutes(4), minutes(6), minutes(3)], approach(5))
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatchObject({
      step: 2,
      notice: { kind: 'approach', minutes: 5, stopName: '龙山村' },
    })
  })

  it('follows the parent’s N', () => {
    expect(run([minutes(9), minutes(7), minutes(5)], approach(10))[0]?.step).toBe(0)
    expect(run([minutes(9), minutes(7), minutes(5)], approach(2))).toEqual([])
  })

  it('does not fire on an unknown ETA, and fires on a bus arriving that had not fired yet', () => {
    const silent: EtaView = { kind: 'no_signal', since: '07:10' }
    const arriving: EtaView = { kind: 'arriving', remainingS: 20, lastReport: '07:15', lateMin: 0 }
    expect(run([minutes(12), silent, { kind: 'off_route', since: null }], approach(5))).toEqual([])
    expect(run([minutes(12), silent, arriving], approach(5))).toMatchObject([
      { step: 2, notice: { minutes: 1 } },
    ])
  })

  it('fires again for the same trip on another school day', () => {
    const fired = new Set<string>()
    expect(run([minutes(4)], approach(5), { fired })).toHaveLength(1)
    expect(run([minutes(4)], approach(5), { fired })).toHaveLength(0)
    expect(run([minutes(4)], approach(5), { fired, date: '2026-03-03' })).toHaveLength(1)
  })
})

describe('the trip is delayed', () => {
  it('fires once when the child’s stop will be reached five minutes late or more', () => {
    const notices = run([minutes(10, 2), minutes(9, 4), minutes(9, 6), minutes(8, 8)], delayedNotice)
    expect(notices).toMatchObject([{ step: 2, notice: { kind: 'delayed', minutes: 6 } }])
  })

  it('says nothing about a delay it cannot know', () => {
    expect(run([{ kind: 'no_signal', since: null }, { kind: 'passed' }], delayedNotice)).toEqual([])
  })
})
