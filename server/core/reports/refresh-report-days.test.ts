import { describe, expect, it } from 'vitest'
import { daysDue, defaultReportRefreshRules, type ReportRefreshRules } from './refresh-report-days.js'

const rules: ReportRefreshRules = { ...defaultReportRefreshRules, catchUpDays: 3 }
const at = (local: string) => new Date(`${local}+08:00`)

describe('daysDue', () => {
  it('on a fresh store, closes every day of the catch-up span and opens today', () => {
    expect(daysDue(at('2026-03-05T10:00:00'), [], rules)).toEqual([
      { date: '2026-03-02', close: true },
      { date: '2026-03-03', close: true },
      { date: '2026-03-04', close: true },
      { date: '2026-03-05', close: false },
    ])
  })

  it('passes closed days by, and today until openDayEveryMs has gone since its last refresh', () => {
    const states = [
      { date: '2026-03-02', refreshedAt: at('2026-03-03T01:00:00'), closed: true },
      { date: '2026-03-03', refreshedAt: at('2026-03-04T01:00:00'), closed: true },
      { date: '2026-03-04', refreshedAt: at('2026-03-05T01:00:00'), closed: true },
      { date: '2026-03-05', refreshedAt: at('2026-03-05T09:57:00'), closed: false },
    ]
    expect(daysDue(at('2026-03-05T10:00:00'), states, rules)).toEqual([])
    expect(daysDue(at('2026-03-05T10:02:00'), states, rules)).toEqual([{ date: '2026-03-05', close: false }])
  })

  it('keeps yesterday open until closeAfterMs past midnight, for reports buffered without coverage', () => {
    const states = [
      { date: '2026-03-02', refreshedAt: null, closed: true },
      { date: '2026-03-03', refreshedAt: null, closed: true },
      { date: '2026-03-04', refreshedAt: at('2026-03-04T23:58:00'), closed: false },
    ]
    expect(daysDue(at('2026-03-05T00:10:00'), states, rules)).toEqual([
      { date: '2026-03-04', close: false },
      { date: '2026-03-05', close: false },
    ])
    expect(daysDue(at('2026-03-05T01:00:00'), states, rules)).toEqual([
      { date: '2026-03-04', close: true },
      { date: '2026-03-05', close: false },
    ])
  })
})
