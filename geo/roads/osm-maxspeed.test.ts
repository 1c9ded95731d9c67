import { describe, expect, it } from 'vitest'
import { parseMaxSpeedKmh } from './osm-maxspeed.js'

describe('parseMaxSpeedKmh', () => {
  it('reads plain numbers and km/h units', () => {
    expect(parseMaxSpeedKmh('50')).toBe(50)
    expect(parseMaxSpeedKmh('50 km/h')).toBe(50)
    expect(parseMaxSpeedKmh('70kmh')).toBe(70)
  })

  it('converts miles per hour', () => {
    expect(parseMaxSpeedKmh('30 mph')).toBe(48)
    expect(parseMaxSpeedKmh('70 mph')).toBe(113)
  })

  it('reads implicit zone limits', () => {
    expect(parseMaxSpeedKmh('FR:urban')).toBe(50)
    expect(parseMaxSpeedKmh('FR:rural')).toBe(80)
    expect(parseMaxSpeedKmh('DE:rural')).toBe(100)
    expect(parseMaxSpeedKmh('DE:zone:30')).toBe(30)
    expect(parseMaxSpeedKmh('DE:zone30')).toBe(30)
    expect(parseMaxSpeedKmh('RU:urban')).toBe(60)
  })

  it('takes the lowest of several values', () => {
    expect(parseMaxSpeedKmh('50;30')).toBe(30)
  })

  it('gives up on values without one number, so the road class decides', () => {
    for (const value of [undefined, 'none', 'signals', 'variable', 'XX:rural', 'fast', '0', '']) {
      expect(parseMaxSpeedKmh(value)).toBeUndefined()
    }
  })
})
