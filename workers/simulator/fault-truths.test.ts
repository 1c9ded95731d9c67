import { describe, expect, it } from 'vitest'
import {
  endFaultTruths,
  faultTruthKinds,
  sampleLimiter,
  sampleSpeeding,
  type FaultTruths,
} from './fault-truths.js'

const at = { busId: 'B1', atMs: 10_000, stepMs: 1000 }

describe('fault records under way', () => {
  it('keeps a speeding record from the episode until the bus is back within the limit', () => {
    const truths: FaultTruths = {}
    expect(sampleSpeeding(truths, { atMs: 0, speedKmh: 50, legalKmh: 60, episodeUnderWay: false })).toBe(
      false,
    )
    expect(truths.speeding).toBeUndefined()
    sampleSpeeding(truths, { atMs: 1000, speedKmh: 58, legalKmh: 60, episodeUnderWay: true })
    sampleSpeeding(truths, { atMs: 2000, speedKmh: 71.26, legalKmh: 60, episodeUnderWay: true })
    // The episode is over but the bus is still 3 km/h over: the record goes on.
    expect(sampleSpeeding(truths, { atMs: 3000, speedKmh: 63, legalKmh: 60, episodeUnderWay: false })).toBe(
      false,
    )
    expect(sampleSpeeding(truths, { atMs: 4000, speedKmh: 59, legalKmh: 60, episodeUnderWay: false })).toBe(
      true,
    )
    const [fault] = endFaultTruths(truths, ['speeding'], at)
    expect(fault).toEqual({
      kind: 'speeding',
      busId: 'B1',
      startMs: 1000,
      // The last sample's time, not the time it was ended at.
      endMs: 4000,
      stepMs: 1000,
      excessKmh: [-2, 11.3, 3, -1],
      peakKmh: 71.3,
      peakLimitKmh: 60,
    })
    expect(truths.speeding).toBeUndefined()
  })

  it('counts a limiter fault’s moving time only above walking-the-bus speeds', () => {
    const truths: FaultTruths = {
      limiter: { state: 'disabled', startMs: 0, maxSpeedKmh: 0, movingMs: 0, firstMovingMs: null },
    }
    sampleLimiter(truths, 1000, 8, 1000)
    sampleLimiter(truths, 2000, 42.04, 1000)
    sampleLimiter(truths, 3000, 30, 1000)
    expect(truths.limiter).toEqual({
      state: 'disabled',
      startMs: 0,
      maxSpeedKmh: 42,
      movingMs: 2000,
      firstMovingMs: 2000,
    })
  })

  it('ends every record under way at once, in a fixed order, and only those', () => {
    const truths: FaultTruths = {
      tagged: { tag: 'detour', startMs: 5000 },
      powerCut: { startMs: 2000, untilMs: 900_000, lastSentMs: 1000 },
    }
    expect(endFaultTruths(truths, faultTruthKinds, at)).toEqual([
      { kind: 'terminal_off', busId: 'B1', startMs: 2000, endMs: 10_000, lastSentMs: 1000 },
      { kind: 'activity', busId: 'B1', tag: 'detour', startMs: 5000, endMs: 10_000 },
    ])
    expect(truths).toEqual({})
    expect(endFaultTruths(truths, faultTruthKinds, at)).toEqual([])
  })
})
