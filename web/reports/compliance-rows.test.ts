import { describe, expect, it } from 'vitest'
import {
  countLevels,
  countStandingsOf,
  filterFindings,
  levelsOf,
  ruleWords,
  standingsByRow,
} from './compliance-rows.js'
import { complianceText } from './compliance-text.js'
import type { Compliance, Finding } from './reports-contract.js'

const finding = (patch: Partial<Finding>): Finding => ({
  subject: 'bus',
  key: '浙B·1',
  busPlate: '浙B·1',
  rule: 'insurance_expired',
  level: 'red',
  dueDate: '2026-03-01',
  daysLeft: -3,
  name: null,
  ...patch,
})
const findings = [
  finding({}),
  finding({
    subject: 'driver',
    key: 'D1',
    name: '陈师傅',
    rule: 'driver_review_due',
    level: 'amber',
    daysLeft: 5,
  }),
  finding({ key: '浙B·2', busPlate: '浙B·2', rule: 'permit_expiring', level: 'notice', daysLeft: 20 }),
]
const compliance: Compliance = {
  date: '2026-03-04',
  findings,
  buses: [
    { plate: '浙B·1', busId: 'B1', status: 'red', crewStatus: 'amber' },
    { plate: '浙B·2', busId: 'B2', status: 'ok', crewStatus: 'ok' },
  ],
  staff: [
    { staffId: 'D1', role: 'driver', name: '陈师傅', busPlate: '浙B·1', status: 'amber' },
    { staffId: 'A1', role: 'attendant', name: '李阿姨', busPlate: '浙B·1', status: 'ok' },
  ],
}

describe('the compliance register on the page', () => {
  it('filters by level as the server does, that level or worse, and by subject', () => {
    expect(levelsOf('red')).toEqual(['red'])
    expect(levelsOf('amber')).toEqual(['red', 'amber'])
    expect(levelsOf('all')).toEqual(['red', 'amber', 'notice'])
    expect(filterFindings(findings, { level: 'amber', subject: 'all' }).map((f) => f.rule)).toEqual([
      'insurance_expired',
      'driver_review_due',
    ])
    expect(filterFindings(findings, { level: 'all', subject: 'bus' }).map((f) => f.key)).toEqual([
      '浙B·1',
      '浙B·2',
    ])
    expect(filterFindings(findings, { level: 'red', subject: 'driver' })).toEqual([])
  })

  it('counts the findings at each level and the standings', () => {
    expect(countLevels(findings)).toEqual({ red: 1, amber: 1, notice: 1 })
    expect(countStandingsOf(compliance)).toEqual({
      buses: { red: 1, amber: 0, total: 2 },
      staff: { red: 0, amber: 1, total: 2 },
    })
  })

  it('marks the rows of a report by bus or by driver, and no other', () => {
    expect([...standingsByRow(compliance, 'bus')]).toEqual([
      ['B1', 'red'],
      ['B2', 'ok'],
    ])
    expect([...standingsByRow(compliance, 'driver')]).toEqual([['D1', 'amber']])
    expect(standingsByRow(compliance, 'school').size).toBe(0)
    expect(standingsByRow(null, 'bus').size).toBe(0)
  })

  it('words a rule, and shows one it does not know as the server names it', () => {
    expect(ruleWords('insurance_expired', complianceText.en)).toBe('Insurance expired')
    expect(ruleWords('bus_on_fire', complianceText.en)).toBe('bus on fire')
  })
})
