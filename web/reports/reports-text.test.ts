import { describe, expect, it } from 'vitest'
import { roadClassOrder } from '../../server/core/reports/report-labels.js'
import { emptyMeasures, routeViolationKinds, type BusDay } from '../../server/core/reports/report-measures.js'
import { reportPeriod } from '../../server/core/reports/report-period.js'
import { reportGroupings, rollUpReport } from '../../server/core/reports/roll-up-report.js'
import { ApiRejected } from '../shared/api-client.js'
import { langs } from '../shared/language.js'
import { failureText } from './page-context.js'
import { columnWords } from './report-columns.js'
import { groupings } from './reports-contract.js'
import { fixedColumns, reportsRefusalCodes, reportsText } from './reports-text.js'

/** Every key of a page's words, nested ones by their path: functions count as words. */
function keysOf(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix]
  return Object.entries(value)
    .flatMap(([key, inner]) => keysOf(inner, prefix ? `${prefix}.${key}` : key))
    .sort()
}

/** A bus day with a bit of everything, so that the report has every kind of column. */
const busDay: BusDay = {
  ...emptyMeasures(),
  date: '2026-03-02',
  busId: 'B1',
  driverId: 'D1',
  attendantId: null,
  townId: 'north',
  reports: 100,
  maxSpeedKmh: 61,
  tripsRun: 1,
  overSpeedEpisodes: 2,
  overSpeedByRoad: Object.fromEntries(roadClassOrder.map((road) => [road, 1])),
  routeViolations: Object.fromEntries(routeViolationKinds.map((kind) => [kind, 1])),
  alarms: {
    over_speed: { count: 1, acknowledged: 0, acknowledgeS: 0, closed: 0, closeS: 0 },
    terminal_sos: { count: 1, acknowledged: 0, acknowledgeS: 0, closed: 0, closeS: 0 },
  },
}
const labels = {
  buses: [{ id: 'B1', plate: '浙B·1', townId: 'north' }],
  staff: [{ id: 'D1', name: '陈师傅', role: 'driver' }],
  schools: [],
  towns: [{ id: 'north', nameZh: '北镇', nameEn: 'North' }],
}

describe('the reports page’s words', () => {
  it('has the same groupings as the server', () => {
    expect([...groupings]).toEqual([...reportGroupings])
  })

  it('words every column the server reports, by every grouping, in both languages', () => {
    for (const by of reportGroupings) {
      const report = rollUpReport({ period: reportPeriod('day', '2026-03-02')!, by, days: [busDay], labels })
      for (const column of report.columns) {
        const zh = columnWords(column, by, reportsText.zh)
        const en = columnWords(column, by, reportsText.en)
        expect(zh, `${by} ${column.key}`).toMatch(/\p{Script=Han}/u)
        expect(en, `${by} ${column.key}`).not.toMatch(/\p{Script=Han}/u)
        expect(en.length, `${by} ${column.key}`).toBeGreaterThan(1)
        // The page's own words: the server's header differs for some (its `name` is the grouping).
        if ((fixedColumns as readonly string[]).includes(column.key) && column.key !== 'name')
          expect(reportsText.zh.columns[column.key as (typeof fixedColumns)[number]]).toBeTruthy()
      }
    }
  })

  it('words every road class and route violation itself', () => {
    for (const lang of langs) {
      for (const road of roadClassOrder) expect(reportsText[lang].roadClasses[road], road).toBeTruthy()
      for (const kind of routeViolationKinds) expect(reportsText[lang].eventKinds[kind], kind).toBeTruthy()
    }
  })

  it('words each refusal by its code, never with the server’s message', () => {
    for (const lang of langs)
      for (const code of reportsRefusalCodes) expect(reportsText[lang].refusals.codes[code]).toBeTruthy()
    const badDate = new ApiRejected(400, 'bad_request', 'query.date: expected a month YYYY-MM', 'query.date')
    expect(failureText(badDate, reportsText.zh)).toBe(reportsText.zh.refusals.codes.bad_request)
    expect(failureText(badDate, reportsText.en)).not.toContain('YYYY-MM')
    expect(failureText(new Error('offline'), reportsText.en)).toBe(reportsText.en.network)
  })

  it('has the same words in both languages, none empty', () => {
    expect(keysOf(reportsText.en)).toEqual(keysOf(reportsText.zh))
    const empty = (words: unknown, path: string): string[] =>
      typeof words === 'string'
        ? words.trim()
          ? []
          : [path]
        : words && typeof words === 'object'
          ? Object.entries(words).flatMap(([key, inner]) => empty(inner, `${path}.${key}`))
          : []
    for (const lang of langs) expect(empty(reportsText[lang], lang)).toEqual([])
  })

  it('words the refusal of a reinstatement when no removal stands, and the score’s codes', () => {
    const noRemoval = new ApiRejected(404, 'not_found', 'no removal stands', null, 'no_removal')
    for (const lang of langs) {
      const t = reportsText[lang]
      const words = failureText(noRemoval, t, t.scores.refusalCodes)
      expect(words).toBe(t.refusals.reasons.no_removal)
      expect(words).not.toContain('no removal stands')
    }
    expect(failureText(noRemoval, reportsText.zh)).toMatch(/驾驶员/)
    const missing = new ApiRejected(404, 'not_found', 'no driver X', null)
    expect(failureText(missing, reportsText.en, reportsText.en.scores.refusalCodes)).toBe(
      reportsText.en.scores.refusalCodes.not_found,
    )
    // Elsewhere on the page a missing thing keeps the page's own words.
    expect(failureText(missing, reportsText.en)).toBe(reportsText.en.refusals.codes.not_found)
  })

  it('words the score tab in each language, the steps at the thresholds given', () => {
    const thresholds = { interview: 5, warning: 9, removal: 14 }
    expect(reportsText.zh.scores.intro(thresholds)).toContain('累计 5 分约谈，9 分警告，14 分暂停校车驾驶')
    expect(reportsText.en.scores.intro(thresholds)).toContain('an interview at 5 points, a warning at 9')
    for (const lang of langs) {
      const s = reportsText[lang].scores
      expect(reportsText[lang].views.scores).toBeTruthy()
      expect(s.totalOf(7, 12)).toBe('7 / 12')
      for (const text of [s.heading, s.reinstate, s.noteRequired, s.rulesHeading])
        expect(/\p{Script=Han}/u.test(text), text).toBe(lang === 'zh')
    }
  })

  it('tells days left, due today and overdue apart', () => {
    expect(reportsText.en.compliance.daysLeft(5)).toBe('5 days left')
    expect(reportsText.en.compliance.daysLeft(1)).toBe('1 day left')
    expect(reportsText.en.compliance.daysLeft(0)).toBe('due today')
    expect(reportsText.en.compliance.daysLeft(-3)).toBe('3 days overdue')
    expect(reportsText.zh.compliance.daysLeft(-3)).toBe('已过期 3 天')
    expect(reportsText.zh.compliance.daysLeft(null)).toBe('—')
  })
})
