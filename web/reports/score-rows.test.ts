import { describe, expect, it } from 'vitest'
import { alarmCaseStates, alarmOutcomes } from '../../server/core/alarms/alarm-case.js'
import {
  scoreMeasures as serverMeasures,
  scoreSubjects as serverSubjects,
} from '../../server/core/score/score-rule.js'
import { scoreSteps as serverSteps } from '../../server/core/score/score-thresholds.js'
import { langs } from '../shared/language.js'
import {
  scoreMeasures,
  scoreSteps,
  scoreSubjects,
  type Removal,
  type ScorePoint,
  type SubjectScore,
} from './reports-contract.js'
import { reportsText } from './reports-text.js'
import {
  busWords,
  caseWords,
  cixiMinute,
  filterScores,
  kindWords,
  mayReinstate,
  removalState,
  removalWords,
  ruleApplied,
  rulePoints,
  stepWords,
  voidedWords,
} from './score-rows.js'

const zh = reportsText.zh.scores
const en = reportsText.en.scores

const score = (subject: SubjectScore['subject'], key: string, total: number): SubjectScore => ({
  subject,
  key,
  name: key,
  busIds: subject === 'driver' ? ['B1'] : ['B1', 'B2'],
  cycle: { startsOn: '2026-01-01', endsOn: '2026-12-31' },
  total,
  voidedPoints: 0,
  deductions: 0,
  reached: [],
  removed: subject === 'driver' ? false : null,
})

const overSpeed: ScorePoint['rule'] = {
  kind: 'over_speed',
  points: 2,
  measure: 'over_limit_pct',
  margin: 25,
  band: { from: 20, points: 2 },
}

describe("the score tab's rows", () => {
  it('has the server’s subjects, steps and measures, and words for every case state and outcome', () => {
    expect([...scoreSubjects]).toEqual([...serverSubjects])
    expect([...scoreSteps]).toEqual([...serverSteps])
    expect([...scoreMeasures]).toEqual([...serverMeasures])
    for (const lang of langs) {
      const s = reportsText[lang].scores
      for (const state of alarmCaseStates) expect(s.caseStates[state], state).toBeTruthy()
      for (const outcome of alarmOutcomes) expect(s.outcomes[outcome], outcome).toBeTruthy()
    }
  })

  it('filters drivers or companies, keeping the server’s order', () => {
    const rows = [score('driver', 'D2', 9), score('company', 'C1', 7), score('driver', 'D1', 3)]
    expect(filterScores(rows, 'all').map((row) => row.key)).toEqual(['D2', 'C1', 'D1'])
    expect(filterScores(rows, 'driver').map((row) => row.key)).toEqual(['D2', 'D1'])
    expect(filterScores(rows, 'company').map((row) => row.key)).toEqual(['C1'])
  })

  it('writes instants in Cixi time, whatever the zone they come in', () => {
    expect(cixiMinute('2026-03-02T00:10:00.000Z')).toBe('2026-03-02 08:10')
    expect(cixiMinute('2026-03-01T23:30:00.000Z')).toBe('2026-03-02 07:30')
  })

  it('words steps at the threshold given, not a fixed number', () => {
    expect(stepWords({ step: 'interview', threshold: 6 }, zh)).toBe('约谈（6 分）')
    expect(stepWords({ step: 'removal', threshold: 15 }, en)).toBe('Removal (15 points)')
  })

  it('words the rule as applied: fixed points, or the margin and the step met', () => {
    expect(ruleApplied(overSpeed, zh)).toBe('超出限速 25%，按 20% 起的一档')
    expect(ruleApplied(overSpeed, en)).toBe('25% over the limit: the step from 20%')
    expect(
      ruleApplied(
        { ...overSpeed, measure: 'over_limit_kmh', margin: 12.5, band: { from: 10, points: 2 } },
        en,
      ),
    ).toBe('12.5 km/h over the limit: the step from 10 km/h')
    expect(ruleApplied({ ...overSpeed, margin: null }, en)).toBe('No speeds recorded: the first step')
    const limiter = { kind: 'limiter_disabled', points: 3, measure: null, margin: null, band: null }
    expect(ruleApplied(limiter, zh)).toBe('每次 3 分')
    expect(ruleApplied({ ...limiter, points: 1 }, en)).toBe('1 point each')
  })

  it('words the case, its outcome, and who voided a point when', () => {
    const closed = { id: 12, state: 'closed', outcome: 'false_alarm', closedBy: 'b', closedAt: null }
    expect(caseWords(closed, zh)).toBe('#12 · 已结案：误报')
    expect(caseWords({ ...closed, state: 'open', outcome: null }, en)).toBe('#12 · New')
    expect(caseWords({ ...closed, state: 'paused', outcome: null }, en)).toBe('#12 · paused')
    expect(caseWords(null, en)).toBe('—')
    const voided = { at: '2026-03-02T02:00:00.000Z', by: 'bureau-1', outcome: 'equipment_fault' }
    expect(voidedWords(voided, zh)).toBe('设备故障：bureau-1 于 2026-03-02 10:00 撤销')
    expect(voidedWords(voided, en)).toBe('Equipment fault: voided by bureau-1, 2026-03-02 10:00')
    expect(voidedWords(null, en)).toBe('—')
  })

  it('tells a removal standing, lifted and lapsed apart', () => {
    const removal: Removal = {
      cycle: { startsOn: '2026-01-01', endsOn: '2026-12-31' },
      removedAt: '2026-03-02T08:40:00.000Z',
      liftedAt: null,
      liftedBy: null,
      note: null,
    }
    expect(removalState(removal, '2026-03-04')).toBe('stands')
    expect(removalState(removal, '2027-01-04')).toBe('lapsed')
    const lifted = {
      ...removal,
      liftedAt: '2026-03-04T02:00:00.000Z',
      liftedBy: 'bureau-1',
      note: 'retrained',
    }
    expect(removalState(lifted, '2026-03-04')).toBe('lifted')
    expect(removalWords(lifted, '2026-03-04', zh)).toBe('bureau-1 于 2026-03-04 10:00 恢复')
    expect(removalWords(removal, '2027-01-04', en)).toBe('Lapsed with its cycle')
  })

  it('words the score table’s points and bands, and whom they charge', () => {
    const bands = {
      kind: 'over_speed',
      points: null,
      bands: {
        measure: 'over_limit_pct' as const,
        steps: [
          { from: 0, points: 1 },
          { from: 20, points: 2 },
        ],
      },
      subjects: ['driver' as const, 'company' as const],
      basis: null,
    }
    expect(rulePoints(bands, zh)).toBe('超出限速：0% 起 1 分；20% 起 2 分')
    expect(rulePoints(bands, en)).toBe('Over the limit: 1 point from 0%; 2 points from 20%')
    expect(rulePoints({ ...bands, points: 12, bands: null }, en)).toBe('12 points each')
    expect(en.charged(['Driver', 'Company'])).toBe('Driver and Company')
    expect(zh.rulesIntro(1, ['误报', '设备故障', '重复报警'])).toContain('误报、设备故障或重复报警')
    expect(en.rulesIntro(9, ['False alarm', 'Duplicate'])).toBe(
      'Cycles run twelve months from 1 September. The points of an alarm closed as false alarm or duplicate are voided.',
    )
  })

  it('names a driver’s bus by plate where known, counts a company’s, and words kinds', () => {
    const plates = new Map([['B1', '浙B·1']])
    expect(busWords(score('driver', 'D1', 0), plates, zh)).toBe('浙B·1')
    expect(busWords(score('driver', 'D1', 0), new Map(), zh)).toBe('B1')
    expect(busWords(score('company', 'C1', 0), plates, en)).toBe('2 buses')
    expect(kindWords('over_speed', reportsText.zh)).toBe('超速')
    expect(kindWords('new_kind', reportsText.en)).toBe('new kind')
  })

  it('offers reinstating to the bureau alone, for a driver whose removal stands', () => {
    expect(mayReinstate('bureau', { subject: 'driver', removed: true })).toBe(true)
    expect(mayReinstate('school', { subject: 'driver', removed: true })).toBe(false)
    expect(mayReinstate('bureau', { subject: 'driver', removed: false })).toBe(false)
    expect(mayReinstate('bureau', { subject: 'company', removed: null })).toBe(false)
  })
})
