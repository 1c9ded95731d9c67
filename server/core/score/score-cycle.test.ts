import { describe, expect, it } from 'vitest'
import { toShanghaiTime } from '../clock/shanghai-time.js'
import { cycleForDay, settingsCycleOf } from './score-cycle.js'

describe('the cycle of a point', () => {
  it('is the calendar year by default, and twelve months from another start month', () => {
    expect(settingsCycleOf('2026-03-02', 1)).toEqual({ startsOn: '2026-01-01', endsOn: '2026-12-31' })
    expect(settingsCycleOf('2026-03-02', 9)).toEqual({ startsOn: '2025-09-01', endsOn: '2026-08-31' })
    expect(settingsCycleOf('2026-09-01', 9)).toEqual({ startsOn: '2026-09-01', endsOn: '2027-08-31' })
    // A leap year's February is inside its cycle.
    expect(settingsCycleOf('2028-02-29', 3)).toEqual({ startsOn: '2027-03-01', endsOn: '2028-02-29' })
  })

  it("goes by the Cixi day across the year's boundary, whatever the UTC date", () => {
    // Both instants are on 31 December in UTC; the second is already New Year's Day in Cixi.
    const lastEvening = toShanghaiTime(new Date('2026-12-31T23:59:59+08:00')).date
    const newYear = toShanghaiTime(new Date('2027-01-01T00:00:01+08:00')).date
    expect(new Date('2027-01-01T00:00:01+08:00').toISOString().slice(0, 10)).toBe('2026-12-31')
    expect(cycleForDay(lastEvening, 1, [])).toEqual({
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      existing: false,
    })
    expect(cycleForDay(newYear, 1, [{ startsOn: '2026-01-01', endsOn: '2026-12-31' }])).toEqual({
      startsOn: '2027-01-01',
      endsOn: '2027-12-31',
      existing: false,
    })
  })

  it('keeps an existing cycle, and cuts a new one short where a change of start month would overlap', () => {
    const year2026 = { startsOn: '2026-01-01', endsOn: '2026-12-31' }
    expect(cycleForDay('2026-10-05', 9, [year2026])).toEqual({ ...year2026, existing: true })
    // School years from September: the cycle of 2027-03-01 would start 2026-09-01, inside 2026.
    expect(cycleForDay('2027-03-01', 9, [year2026])).toEqual({
      startsOn: '2027-01-01',
      endsOn: '2027-08-31',
      existing: false,
    })
    // A point dated before a cycle that was opened later ends where that one begins.
    expect(cycleForDay('2026-08-20', 9, [{ startsOn: '2026-09-01', endsOn: '2027-08-31' }])).toEqual({
      startsOn: '2025-09-01',
      endsOn: '2026-08-31',
      existing: false,
    })
    expect(cycleForDay('2026-08-20', 1, [{ startsOn: '2026-09-01', endsOn: '2027-08-31' }])).toEqual({
      startsOn: '2026-01-01',
      endsOn: '2026-08-31',
      existing: false,
    })
  })
})
