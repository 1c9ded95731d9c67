import { describe, expect, it } from 'vitest'
import { judgeTripProgress, type TimetabledCall } from './trip-progress-now.js'

const at = (time: string) => new Date(`2026-03-02T${time}+08:00`)
const calls: TimetabledCall[] = [
  { seq: 1, stopId: 'ST1', name: '一号站', arriveAt: at('07:00:00'), departAt: at('07:01:00') },
  { seq: 2, stopId: 'ST2', name: '二号站', arriveAt: at('07:08:00'), departAt: at('07:09:00') },
  { seq: 3, stopId: 'ST3', name: '学校', arriveAt: at('07:20:00'), departAt: at('07:22:00') },
]

describe('judgeTripProgress', () => {
  it('reads the lateness from the live ETA of the next call', () => {
    const progress = judgeTripProgress({
      calls,
      visits: [],
      eta: {
        status: 'on_route',
        nextSeq: 2,
        stops: [
          { seq: 1, etaTs: at('07:03:00').toISOString(), passed: true },
          { seq: 2, etaTs: at('07:15:30').toISOString(), passed: false },
          { seq: 3, etaTs: at('07:27:00').toISOString(), passed: false },
        ],
      },
      now: at('07:10:00'),
    })
    expect(progress).toEqual({
      nextCall: {
        seq: 2,
        stopId: 'ST2',
        name: '二号站',
        plannedAt: at('07:08:00'),
        expectedAt: at('07:15:30'),
      },
      lateS: 450,
      source: 'eta',
    })
  })

  it('without an ETA, takes what the stop events prove: overdue at the next call, or late leaving the last', () => {
    // Left the first call 3 minutes late; the second is not due yet.
    const leftLate = judgeTripProgress({
      calls,
      visits: [
        { seq: 1, kind: 'arrival', ts: at('07:03:30') },
        { seq: 1, kind: 'departure', ts: at('07:04:00') },
      ],
      eta: null,
      now: at('07:05:00'),
    })
    expect(leftLate.nextCall?.seq).toBe(2)
    expect(leftLate).toMatchObject({ lateS: 180, source: 'timetable' })
    // Not at the second call 6 minutes after its time: at least that late.
    const overdue = judgeTripProgress({
      calls,
      visits: [{ seq: 1, kind: 'departure', ts: at('07:01:00') }],
      eta: null,
      now: at('07:14:00'),
    })
    expect(overdue).toMatchObject({ lateS: 360, source: 'timetable', nextCall: { seq: 2, expectedAt: null } })
    // Before the first call's time, nothing says late.
    const early = judgeTripProgress({ calls, visits: [], eta: null, now: at('06:55:00') })
    expect(early).toMatchObject({ lateS: -300, nextCall: { seq: 1 } })
  })

  it('ignores an ETA of a finished trip and one with no estimate for the call', () => {
    const finished = judgeTripProgress({
      calls,
      visits: [{ seq: 3, kind: 'arrival', ts: at('07:21:00') }],
      eta: { status: 'finished', nextSeq: null, stops: [] },
      now: at('07:21:30'),
    })
    expect(finished).toEqual({ nextCall: null, lateS: null, source: null })
    const unknown = judgeTripProgress({
      calls,
      visits: [],
      eta: { status: 'not_started', nextSeq: 1, stops: [{ seq: 1, etaTs: null, passed: false }] },
      now: at('07:02:00'),
    })
    expect(unknown).toMatchObject({ lateS: 120, source: 'timetable', nextCall: { seq: 1 } })
  })
})
