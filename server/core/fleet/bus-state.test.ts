import { describe, expect, it } from 'vitest'
import { decideBusState, defaultBusStateRules, type BusStateFacts } from './bus-state.js'

const now = new Date('2026-03-02T07:10:00+08:00')
const secondsAgo = (s: number) => new Date(now.getTime() - s * 1000)
const report = (ageS: number, speedKmh: number | null, ignition: boolean | null = true) => ({
  ts: secondsAgo(ageS),
  speedKmh,
  ignition,
})
const onTrip = (facts: Partial<BusStateFacts>): BusStateFacts => ({
  lastReport: report(5, 35),
  tripRunning: true,
  offRoute: false,
  lateS: 0,
  ...facts,
})
const noTrip = (lastReport: BusStateFacts['lastReport']): BusStateFacts => ({
  lastReport,
  tripRunning: false,
  offRoute: false,
  lateS: null,
})

describe('decideBusState', () => {
  it('judges a bus on a trip: silent first, then off route, then late, else on time', () => {
    expect(decideBusState(onTrip({}), now)).toBe('on_time')
    expect(decideBusState(onTrip({ lateS: null }), now)).toBe('on_time')
    expect(decideBusState(onTrip({ lateS: -120 }), now)).toBe('on_time')
    expect(decideBusState(onTrip({ lateS: defaultBusStateRules.lateAfterS - 1 }), now)).toBe('on_time')
    expect(decideBusState(onTrip({ lateS: defaultBusStateRules.lateAfterS }), now)).toBe('late')
    expect(decideBusState(onTrip({ lateS: 900, offRoute: true }), now)).toBe('off_route')
    // A quiet terminal cannot be judged on its route or its lateness.
    const quiet = report(defaultBusStateRules.silentAfterS + 1, 35)
    expect(decideBusState(onTrip({ lastReport: quiet, offRoute: true, lateS: 900 }), now)).toBe('silent')
    expect(decideBusState(onTrip({ lastReport: null }), now)).toBe('silent')
    // At the threshold itself the silence rule has not fired yet.
    expect(decideBusState(onTrip({ lastReport: report(defaultBusStateRules.silentAfterS, 35) }), now)).toBe(
      'on_time',
    )
  })

  it('judges a bus with no trip: parked, driving empty, or silent', () => {
    expect(decideBusState(noTrip(null), now)).toBe('silent')
    expect(decideBusState(noTrip(report(10, 0)), now)).toBe('parked')
    expect(decideBusState(noTrip(report(10, defaultBusStateRules.movingKmh)), now)).toBe('parked')
    expect(decideBusState(noTrip(report(10, 40)), now)).toBe('deadhead')
    expect(decideBusState(noTrip(report(10, null, null)), now)).toBe('parked')
    // Engine off: a parked terminal may report seldom, however long ago.
    expect(decideBusState(noTrip(report(6 * 3600, 0, false)), now)).toBe('parked')
    // Engine on (or not said) and quiet past the threshold: its terminal is silent.
    expect(decideBusState(noTrip(report(600, 0, true)), now)).toBe('silent')
    expect(decideBusState(noTrip(report(600, 40, null)), now)).toBe('silent')
  })

  it('follows the rules it is given', () => {
    const strict = { ...defaultBusStateRules, lateAfterS: 60, silentAfterS: 30 }
    expect(decideBusState(onTrip({ lateS: 90 }), now, strict)).toBe('late')
    expect(decideBusState(onTrip({ lastReport: report(45, 30) }), now, strict)).toBe('silent')
  })
})
