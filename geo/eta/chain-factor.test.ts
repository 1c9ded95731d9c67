import { describe, expect, it } from 'vitest'
import { measureChainFactor } from './chain-factor.js'
import { learnLegTimes, type DwellObservation, type LegObservation } from './learned-leg-times.js'

const T0 = Date.parse('2026-03-02T07:00:00+08:00')

/**
 * Runs of one trip over `stops` stops, one run an hour: each leg takes `legS(run, leg)` and each
 * intermediate call 20 s. Built as observeTripRun would: a leg ends where the next call begins.
 */
function runs(count: number, stops: number, legS: (run: number, leg: number) => number) {
  const legs: LegObservation[] = []
  const dwells: DwellObservation[] = []
  for (let run = 0; run < count; run++) {
    let ms = T0 + run * 3_600_000
    for (let leg = 0; leg + 1 < stops; leg++) {
      const arriveMs = ms + legS(run, leg) * 1000
      legs.push({ tripId: 'T1', fromSeq: leg + 1, departMs: ms, arriveMs })
      ms = arriveMs + 20_000
      if (leg + 2 < stops) dwells.push({ tripId: 'T1', seq: leg + 2, arriveMs, departMs: ms })
    }
  }
  return { legs, dwells }
}

/** A red light on a third of the legs, at a different place on each run: the median leg misses it. */
const redLights = (run: number, leg: number) => ((run + leg) % 3 === 0 ? 100 : 60)
const fixed = (legS: number) => () => legS

describe('measureChainFactor', () => {
  it('finds how much longer whole stretches took than the median legs and calls add up to', () => {
    const { legs, dwells } = runs(30, 16, redLights)
    const factor = measureChainFactor(legs, dwells, fixed(60), fixed(20), { horizonS: 600 })
    // Eight legs and calls of 80 s expected: 640 s; driven with about a third of the lights red.
    expect(factor).toBeGreaterThan(1.12)
    expect(factor).toBeLessThan(1.22)
  })

  it('leaves figures that add up as they should alone', () => {
    const { legs, dwells } = runs(30, 16, (run, leg) => 60 + ((run * 7 + leg * 3) % 5) - 2)
    expect(measureChainFactor(legs, dwells, fixed(60), fixed(20))).toBe(1)
  })

  it('says nothing from too few stretches, and never goes past its bounds', () => {
    const few = runs(2, 16, redLights)
    expect(measureChainFactor(few.legs, few.dwells, fixed(60), fixed(20))).toBe(1)
    const jammed = runs(30, 16, fixed(240))
    expect(measureChainFactor(jammed.legs, jammed.dwells, fixed(60), fixed(20))).toBe(1.25)
  })

  it('does not chain across a call it has not seen, nor from one run into another', () => {
    const { legs } = runs(30, 16, fixed(120))
    // No calls at all: no stretch is longer than one leg, and 120 s is short of ten minutes.
    expect(measureChainFactor(legs, [], fixed(60), fixed(20))).toBe(1)
  })
})

describe('learnLegTimes with the chain factor', () => {
  it('scales every leg and call by it, and leaves them as learned when told to', () => {
    // Fewer runs than hours in a day: each time-of-day bucket holds one, and the figure is the day's.
    const { legs, dwells } = runs(20, 16, redLights)
    const scaled = learnLegTimes(legs, { dwells })
    const plain = learnLegTimes(legs, { dwells, chain: false })
    expect(plain.chainFactor).toBe(1)
    expect(scaled.chainFactor).toBeGreaterThan(1.1)
    const at = T0 + 3_600_000
    expect(plain.legS('T1', 3, at)).toBe(60)
    expect(scaled.legS('T1', 3, at)).toBeCloseTo(60 * scaled.chainFactor, 6)
    expect(scaled.dwellS('T1', 3, at)).toBeCloseTo(plain.dwellS('T1', 3, at)! * scaled.chainFactor, 6)
  })
})
