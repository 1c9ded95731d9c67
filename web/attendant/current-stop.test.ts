import { describe, expect, it } from 'vitest'
import type { TripEta } from '../shared/bus-live-contract.js'
import type { TripStop } from './attendant-contract.js'
import { findCurrentStop, stepStop } from './current-stop.js'

const stops: TripStop[] = ['07:00:00', '07:06:00', '07:20:00'].map((time, i) => ({
  seq: i + 1,
  stopId: `st-${i + 1}`,
  name: `Stop ${i + 1}`,
  lat: 30,
  lon: 121,
  arriveTime: time,
  departTime: time,
}))
const at = (hhmm: string) => Date.parse(`2026-03-02T${hhmm}:00+08:00`)
const eta = (passed: number): TripEta => ({
  status: 'on_route',
  lastReportTs: null,
  progressM: 0,
  nextSeq: passed + 1,
  stops: stops.map((s) => ({
    seq: s.seq,
    stopId: s.stopId,
    etaTs: null,
    etaS: null,
    passed: s.seq <= passed,
  })),
})
const base = { stops, serviceDate: '2026-03-02', chosenSeq: null, eta: null }

describe('the stop the bus is at', () => {
  it('follows the timetable when nothing better is known', () => {
    expect(findCurrentStop({ ...base, serverNowMs: at('06:50') })).toEqual({ seq: 1, source: 'timetable' })
    expect(findCurrentStop({ ...base, serverNowMs: at('07:07') })).toEqual({ seq: 2, source: 'timetable' })
    expect(findCurrentStop({ ...base, serverNowMs: at('08:00') })).toEqual({ seq: 3, source: 'timetable' })
  })

  it('prefers the last stop the bus’s GPS reached, and the attendant’s own choice above all', () => {
    expect(findCurrentStop({ ...base, eta: eta(1), serverNowMs: at('07:10') })).toEqual({
      seq: 1,
      source: 'gps',
    })
    expect(findCurrentStop({ ...base, eta: eta(0), serverNowMs: at('07:10') })).toEqual({
      seq: 2,
      source: 'timetable',
    })
    expect(findCurrentStop({ ...base, eta: eta(1), chosenSeq: 3, serverNowMs: at('07:00') })).toEqual({
      seq: 3,
      source: 'chosen',
    })
  })

  it('steps along the stops and stays at either end', () => {
    expect(stepStop(stops, 1, 1)).toBe(2)
    expect(stepStop(stops, 3, 1)).toBe(3)
    expect(stepStop(stops, 1, -1)).toBe(1)
  })
})
