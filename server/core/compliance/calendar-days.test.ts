import { describe, expect, it } from 'vitest'
import { addDays, addMonths, addYears, daysBetween, isoWeekdayOf } from './calendar-days.js'

describe('calendar days', () => {
  it('adds days across months and years', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29')
  })

  it('adds months, ending on the last day of a shorter month', () => {
    expect(addMonths('2026-03-15', 6)).toBe('2026-09-15')
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28')
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29')
    expect(addMonths('2026-10-31', 2)).toBe('2026-12-31')
    expect(addMonths('2026-01-31', -2)).toBe('2025-11-30')
  })

  it('adds years, taking 29 February to 28 February in a common year', () => {
    expect(addYears('1966-12-07', 60)).toBe('2026-12-07')
    expect(addYears('2000-02-29', 25)).toBe('2025-02-28')
    expect(addYears('2000-02-29', 28)).toBe('2028-02-29')
  })

  it('counts the days between two dates, negative backwards', () => {
    expect(daysBetween('2026-12-07', '2027-01-06')).toBe(30)
    expect(daysBetween('2026-12-07', '2026-12-06')).toBe(-1)
    expect(daysBetween('2026-12-07', '2026-12-07')).toBe(0)
  })

  it('names ISO weekdays', () => {
    expect(isoWeekdayOf('2026-12-07')).toBe(1)
    expect(isoWeekdayOf('2026-12-13')).toBe(7)
  })
})
