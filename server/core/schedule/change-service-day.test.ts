import { describe, expect, it } from 'vitest'
import { serviceDayOfChange } from './change-service-day.js'

const morning = { weekdays: [1, 2, 3, 4, 5], endTime: '07:22:00' }
const at = (local: string) => new Date(`${local}+08:00`)

describe('serviceDayOfChange', () => {
  it('is today while the trip is still to run or running', () => {
    expect(serviceDayOfChange(morning, at('2026-03-02T06:00:00'))).toBe('2026-03-02')
    expect(serviceDayOfChange(morning, at('2026-03-02T07:22:00'))).toBe('2026-03-02')
  })

  it('is the next day the trip runs once it is over today', () => {
    expect(serviceDayOfChange(morning, at('2026-03-02T07:22:01'))).toBe('2026-03-03')
    expect(serviceDayOfChange(morning, at('2026-03-02T21:00:00'))).toBe('2026-03-03')
    // Friday evening and the weekend: Monday.
    expect(serviceDayOfChange(morning, at('2026-03-06T21:00:00'))).toBe('2026-03-09')
    expect(serviceDayOfChange(morning, at('2026-03-08T10:00:00'))).toBe('2026-03-09')
  })

  it('is the day it was made for a trip that runs on no day', () => {
    expect(serviceDayOfChange({ weekdays: [], endTime: '07:22:00' }, at('2026-03-02T21:00:00'))).toBe(
      '2026-03-02',
    )
  })

  it('takes the day in Cixi, not in UTC', () => {
    // 00:30 on Tuesday in Cixi is still Monday in UTC.
    expect(serviceDayOfChange(morning, at('2026-03-03T00:30:00'))).toBe('2026-03-03')
  })
})
