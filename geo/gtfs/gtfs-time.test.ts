import { describe, expect, it } from 'vitest'
import { parseGtfsTimeS, serviceDayOriginMs } from './gtfs-time.js'

describe('GTFS times', () => {
  it('reads times past midnight and single-digit hours', () => {
    expect(parseGtfsTimeS('10:36:46')).toBe(38_206)
    expect(parseGtfsTimeS('25:10:00')).toBe(90_600)
    expect(parseGtfsTimeS('7:05:00')).toBe(25_500)
    expect(() => parseGtfsTimeS('10:61:00')).toThrow(RangeError)
  })

  it('counts a service day from local noon minus twelve hours', () => {
    // New York in February is UTC-5: the origin is 05:00 UTC.
    expect(new Date(serviceDayOriginMs('20260216', 'America/New_York')).toISOString()).toBe(
      '2026-02-16T05:00:00.000Z',
    )
    // On the day the clocks go forward (UTC-4 at noon) the origin is 23:00 local the day before.
    expect(new Date(serviceDayOriginMs('20260308', 'America/New_York')).toISOString()).toBe(
      '2026-03-08T04:00:00.000Z',
    )
    expect(new Date(serviceDayOriginMs('20260302', 'Asia/Shanghai')).toISOString()).toBe(
      '2026-03-01T16:00:00.000Z',
    )
  })
})
