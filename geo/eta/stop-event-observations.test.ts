import { describe, expect, it } from 'vitest'
import { observeStopEvents, type StopEvent } from './stop-event-observations.js'

const at = (day: number, time: string) => Date.parse(`2026-03-0${day}T${time}+08:00`)
const event = (kind: StopEvent['kind'], seq: number, tsMs: number, tripId = 'T1'): StopEvent => ({
  tripId,
  kind,
  seq,
  tsMs,
})

describe('observeStopEvents', () => {
  it('makes legs from a departure and the next arrival, and dwells from a stop’s arrival and departure', () => {
    const { legs, dwells } = observeStopEvents([
      event('stop_departure', 1, at(2, '07:01:00')),
      event('stop_arrival', 2, at(2, '07:07:30')),
      event('stop_departure', 2, at(2, '07:08:10')),
      event('stop_arrival', 3, at(2, '07:19:00')),
    ])
    expect(legs).toEqual([
      { tripId: 'T1', fromSeq: 1, departMs: at(2, '07:01:00'), arriveMs: at(2, '07:07:30') },
      { tripId: 'T1', fromSeq: 2, departMs: at(2, '07:08:10'), arriveMs: at(2, '07:19:00') },
    ])
    expect(dwells).toEqual([
      { tripId: 'T1', seq: 2, arriveMs: at(2, '07:07:30'), departMs: at(2, '07:08:10') },
    ])
  })

  it('never joins one day’s departure to another day’s arrival, nor one trip’s to another’s', () => {
    const { legs } = observeStopEvents([
      event('stop_departure', 1, at(2, '07:01:00')),
      event('stop_arrival', 2, at(3, '07:07:00')),
      event('stop_departure', 1, at(4, '07:01:00'), 'T2'),
      event('stop_arrival', 2, at(4, '07:09:00'), 'T1'),
    ])
    expect(legs).toEqual([])
  })

  it('keeps a leg missing its arrival out, instead of guessing', () => {
    const { legs, dwells } = observeStopEvents([
      event('stop_departure', 1, at(2, '07:01:00')),
      event('stop_arrival', 3, at(2, '07:19:00')),
    ])
    expect(legs).toEqual([])
    expect(dwells).toEqual([])
  })

  it('reads each run in the trip’s order: a stop passed on the way to an earlier one, or an early start, teaches nothing', () => {
    const events = [
      event('stop_arrival', 1, at(2, '06:40:00')),
      event('stop_departure', 1, at(2, '06:41:00')),
      event('stop_arrival', 3, at(2, '06:45:00')),
      event('stop_departure', 3, at(2, '06:45:30')),
      event('stop_arrival', 2, at(2, '06:52:00')),
      event('stop_departure', 2, at(2, '06:53:00')),
      event('stop_arrival', 4, at(2, '07:10:00')),
    ]
    expect(observeStopEvents(events).legs.map((leg) => leg.fromSeq)).toEqual([1])
    const timetable = { scheduledFirstDepartMs: () => at(2, '06:50:00') }
    expect(observeStopEvents(events, timetable).legs).toEqual([])
  })
})
