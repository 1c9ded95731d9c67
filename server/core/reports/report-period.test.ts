import { describe, expect, it } from 'vitest'
import { datesBetween, reportPeriod } from './report-period.js'

describe('reportPeriod', () => {
  it('reads a day as itself', () => {
    expect(reportPeriod('day', '2026-03-02')).toEqual({
      kind: 'day',
      date: '2026-03-02',
      from: '2026-03-02',
      to: '2026-03-02',
    })
  })

  it('reads a month as its first to its last day, February of a leap year too', () => {
    expect(reportPeriod('month', '2026-03')).toMatchObject({ from: '2026-03-01', to: '2026-03-31' })
    expect(reportPeriod('month', '2028-02')).toMatchObject({ from: '2028-02-01', to: '2028-02-29' })
    expect(reportPeriod('month', '2026-02')).toMatchObject({ to: '2026-02-28' })
  })

  it('refuses what names no such day or month, or the other kind', () => {
    for (const date of ['2026-02-30', '2026-13-01', '2026-3-2', '2026-03', 'today']) {
      expect(reportPeriod('day', date), date).toBeUndefined()
    }
    for (const date of ['2026-13', '2026-00', '2026-03-01', '26-03']) {
      expect(reportPeriod('month', date), date).toBeUndefined()
    }
  })
})

describe('datesBetween', () => {
  it('lists every date, both ends included, across a month end', () => {
    expect(datesBetween('2026-02-27', '2026-03-02')).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ])
    expect(datesBetween('2026-03-02', '2026-03-01')).toEqual([])
  })
})
