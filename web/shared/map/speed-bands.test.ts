import { describe, expect, it } from 'vitest'
import { fixIndexAt, speedBandOf, speedBands, splitBySpeedBand, thinTrack } from './speed-bands.js'

const fix = (speedKmh: number | null, second = 0) => ({
  speedKmh,
  ts: new Date(Date.UTC(2026, 2, 2, 0, 0, second)).toISOString(),
})

describe('speed bands', () => {
  it('puts each speed in its band at the Decree 617 limits, an unknown speed as standing', () => {
    expect([0, 19.9, 20, 45, 60, 79, 80, 120].map((s) => speedBandOf(s).id)).toEqual([0, 0, 1, 2, 3, 3, 4, 4])
    expect(speedBandOf(null).id).toBe(0)
    expect(new Set(speedBands.map((band) => band.colour)).size).toBe(speedBands.length)
  })

  it('cuts a track where the band changes, each run joined to the one before', () => {
    const track = [fix(10, 0), fix(15, 1), fix(35, 2), fix(38, 3), fix(65, 4), fix(10, 5)]
    const runs = splitBySpeedBand(track)
    expect(runs.map((run) => run.band.id)).toEqual([0, 1, 3, 0])
    expect(runs.map((run) => run.points.map((p) => p.speedKmh))).toEqual([
      [10, 15],
      [15, 35, 38],
      [38, 65],
      [65, 10],
    ])
    expect(splitBySpeedBand([])).toEqual([])
  })

  it('thins a long track to about as many points as asked, keeping its ends and its peak', () => {
    const track = Array.from({ length: 1000 }, (_, i) => fix(i === 517 ? 95 : 30, i))
    const thin = thinTrack(track, 100)
    expect(thin.length).toBeGreaterThanOrEqual(100)
    expect(thin.length).toBeLessThanOrEqual(101)
    expect(thin[0]).toBe(track[0])
    expect(thin.at(-1)).toBe(track.at(-1))
    expect(thin).toContain(track[517])
    expect(thinTrack(track.slice(0, 10), 100)).toHaveLength(10)
  })

  it('finds the fix at a moment of the track', () => {
    const track = [fix(0, 0), fix(0, 10), fix(0, 20), fix(0, 30)]
    const at = (second: number) => Date.parse(fix(0, 0).ts) + second * 1000
    expect([-5, 0, 9, 10, 25, 30, 99].map((s) => fixIndexAt(track, at(s)))).toEqual([0, 0, 0, 1, 2, 3, 3])
    expect(fixIndexAt([], at(0))).toBe(0)
  })
})
