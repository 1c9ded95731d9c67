import { describe, expect, it } from 'vitest'
import { createSeededRandom } from '../../geo/random/seeded-random.js'
import { createTrafficModel, defaultTrafficOptions } from './traffic-model.js'

const origin = { lat: 30.17, lon: 121.26 }
const school = { lat: 30.2, lon: 121.3 }
const day = Date.parse('2026-03-02T00:00:00+08:00')
const hourMs = 3_600_000

/** Random places within 20 km of the origin, and random instants in one local hour of the day. */
function samples(seed: number, hour: number, count: number) {
  const random = createSeededRandom(seed)
  return Array.from({ length: count }, () => ({
    lat: origin.lat + random.between(-0.1, 0.1),
    lon: origin.lon + random.between(-0.1, 0.1),
    atMs: day + hour * hourMs + random.next() * hourMs,
  }))
}

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length

describe('the traffic model', () => {
  it('gives the same congestion for the same seed, whatever order places are asked in', () => {
    const points = samples(1, 8, 500)
    const first = createTrafficModel({ seed: 5, origin, hotspots: [school] })
    const second = createTrafficModel({ seed: 5, origin, hotspots: [school] })
    const forward = points.map((p) => first.speedFactorAt(p.lat, p.lon, p.atMs))
    const backward = [...points].reverse().map((p) => second.speedFactorAt(p.lat, p.lon, p.atMs))
    expect(backward.reverse()).toEqual(forward)
    const other = createTrafficModel({ seed: 6, origin, hotspots: [school] })
    expect(points.map((p) => other.speedFactorAt(p.lat, p.lon, p.atMs))).not.toEqual(forward)
  })

  it('jams more in the morning and evening peaks than at midday, and hardly at night', () => {
    const traffic = createTrafficModel({ seed: 5, origin, hotspots: [] })
    const average = (hour: number) =>
      mean(samples(hour, hour, 20_000).map((p) => traffic.speedFactorAt(p.lat, p.lon, p.atMs)))
    const [night, peak, midday, evening] = [3, 7, 10, 17].map(average)
    expect(peak!).toBeLessThan(midday! - 0.02)
    expect(evening!).toBeLessThan(midday! - 0.02)
    expect(midday!).toBeLessThan(night!)
    expect(night!).toBeGreaterThan(0.99)
    const [slowest] = defaultTrafficOptions.episodeFactor
    for (const p of samples(9, 7, 2000)) {
      const factor = traffic.speedFactorAt(p.lat, p.lon, p.atMs)
      expect(factor).toBeGreaterThanOrEqual(slowest)
      expect(factor).toBeLessThanOrEqual(1)
    }
  })

  it('jams more often near a school gate than elsewhere', () => {
    const traffic = createTrafficModel({ seed: 5, origin, hotspots: [school] })
    const random = createSeededRandom(3)
    const congestedShare = (near: boolean) => {
      let jammed = 0
      const count = 20_000
      for (let i = 0; i < count; i++) {
        const offset = near ? 0.003 : 0.05
        const lat = school.lat + offset * (random.next() < 0.5 ? -1 : 1)
        const atMs = day + 7 * hourMs + random.next() * 2 * hourMs + random.int(0, 30) * 24 * hourMs
        if (traffic.speedFactorAt(lat, school.lon, atMs) < 0.7) jammed++
      }
      return jammed / count
    }
    expect(congestedShare(true)).toBeGreaterThan(1.8 * congestedShare(false))
  })
})
