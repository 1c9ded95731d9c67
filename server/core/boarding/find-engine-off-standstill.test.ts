import { describe, expect, it } from 'vitest'
import { findEngineOffStandstill, type StandstillFix } from './find-engine-off-standstill.js'

const school = { kind: 'last_stop' as const, lat: 30.19, lon: 121.4 }
const depot = { kind: 'depot' as const, lat: 30.2, lon: 121.41 }
const options = { nowMs: 600_000, afterS: 300, radiusM: 100, maxGapS: 120 }
/** One fix every 30 s from `fromS` to `toS`, at `place`, ignition as given. */
const fixes = (fromS: number, toS: number, place: { lat: number; lon: number }, ignition: boolean | null) => {
  const out: StandstillFix[] = []
  for (let s = fromS; s <= toS; s += 30)
    out.push({ tsMs: s * 1000, lat: place.lat, lon: place.lon, ignition })
  return out
}

describe('findEngineOffStandstill', () => {
  it('finds a bus standing with its engine off at its last stop for the set time', () => {
    const track = [...fixes(0, 120, { lat: 30.18, lon: 121.39 }, true), ...fixes(150, 600, school, false)]
    expect(findEngineOffStandstill(track, [school, depot], options)).toEqual({
      sinceMs: 150_000,
      place: school,
    })
  })

  it('waits until the set time has passed', () => {
    const track = fixes(400, 600, school, false)
    expect(findEngineOffStandstill(track, [school, depot], options)).toBe(null)
    expect(findEngineOffStandstill(track, [school, depot], { ...options, nowMs: 700_000 })).toEqual({
      sinceMs: 400_000,
      place: school,
    })
  })

  it('finds it at the depot too, but not elsewhere, with the engine running, or with the terminal silent', () => {
    expect(findEngineOffStandstill(fixes(0, 600, depot, false), [school, depot], options)?.place).toBe(depot)
    expect(
      findEngineOffStandstill(fixes(0, 600, { lat: 30.1, lon: 121.3 }, false), [school, depot], options),
    ).toBe(null)
    expect(findEngineOffStandstill(fixes(0, 600, school, true), [school, depot], options)).toBe(null)
    expect(findEngineOffStandstill(fixes(0, 600, school, null), [school, depot], options)).toBe(null)
    expect(findEngineOffStandstill(fixes(0, 300, school, false), [school, depot], options)).toBe(null)
  })

  it('starts the standstill again when the engine was started in between', () => {
    const track = [
      ...fixes(0, 200, school, false),
      ...fixes(230, 320, school, true),
      ...fixes(350, 600, school, false),
    ]
    expect(findEngineOffStandstill(track, [school], options)).toBe(null)
    expect(findEngineOffStandstill(track, [school], { ...options, nowMs: 660_000 })).toEqual({
      sinceMs: 350_000,
      place: school,
    })
  })
})
