import { describe, expect, it } from 'vitest'
import { dayBefore, groupingsFor, initialQuery, isPeriodDate, switchPeriod } from './report-query.js'

const today = '2026-03-04'

describe('the report a page asks for', () => {
  it('opens on yesterday by bus, or what its address asks', () => {
    expect(initialQuery('', 'bureau', today)).toEqual({ period: 'day', date: '2026-03-03', by: 'bus' })
    expect(initialQuery('?period=month&date=2026-02&by=county', 'bureau', today)).toEqual({
      period: 'month',
      date: '2026-02',
      by: 'county',
    })
    expect(initialQuery('?period=month', 'bureau', today)).toMatchObject({ date: '2026-03' })
  })

  it('falls back from a grouping the role may not see, and from a date that is none', () => {
    expect(initialQuery('?by=town', 'school', today).by).toBe('bus')
    expect(initialQuery('?by=school', 'school', today).by).toBe('school')
    expect(initialQuery('?date=2026-02-30', 'bureau', today).date).toBe('2026-03-03')
    expect(groupingsFor('school')).toEqual(['bus', 'driver', 'school'])
    expect(groupingsFor('bureau')).toEqual(['bus', 'driver', 'school', 'town', 'county'])
  })

  it('checks days and months', () => {
    expect(isPeriodDate('day', '2026-02-28')).toBe(true)
    expect(isPeriodDate('day', '2026-02-29')).toBe(false)
    expect(isPeriodDate('day', '2026-03')).toBe(false)
    expect(isPeriodDate('month', '2026-12')).toBe(true)
    expect(isPeriodDate('month', '2026-13')).toBe(false)
    expect(isPeriodDate('month', '1999-01')).toBe(false)
    expect(dayBefore('2026-03-01')).toBe('2026-02-28')
  })

  it('switches a day to its month, and a month to its last whole day', () => {
    const day = { period: 'day' as const, date: '2026-03-02', by: 'bus' as const }
    expect(switchPeriod(day, 'month', today)).toEqual({ ...day, period: 'month', date: '2026-03' })
    expect(switchPeriod({ ...day, period: 'month', date: '2026-03' }, 'day', today).date).toBe('2026-03-03')
    expect(switchPeriod({ ...day, period: 'month', date: '2026-01' }, 'day', today).date).toBe('2026-01-31')
    expect(switchPeriod(day, 'day', today)).toBe(day)
  })
})
