import { describe, expect, it } from 'vitest'
import { createTrackStretch } from './track-stretch.js'

describe('a stretch of track', () => {
  it('keeps every fix while short, and at most its bound, with its first and last, however long', () => {
    const short = createTrackStretch(10)
    for (let i = 0; i < 5; i++) short.add(30 + i / 1000, 121)
    expect(short.points()).toHaveLength(5)

    const long = createTrackStretch(10)
    for (let i = 0; i < 1000; i++) long.add(30 + i / 1e4, 121 + i / 1e4)
    const points = long.points()
    expect(points.length).toBeLessThanOrEqual(10)
    expect(points.length).toBeGreaterThanOrEqual(5)
    expect(points[0]).toEqual([121, 30])
    expect(points.at(-1)).toEqual([121.0999, 30.0999])
    // In order along the way.
    for (let i = 1; i < points.length; i++) expect(points[i]![0]).toBeGreaterThan(points[i - 1]![0])
  })

  it('gives the same points for the same fixes', () => {
    const make = () => {
      const stretch = createTrackStretch(7)
      for (let i = 0; i < 77; i++) stretch.add(30 + Math.sin(i) / 100, 121 + i / 1e4)
      return stretch.points()
    }
    expect(make()).toEqual(make())
  })
})
