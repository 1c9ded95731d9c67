import { describe, expect, it } from 'vitest'
import type { AlarmCase } from './bureau-contract.js'
import { applyCaseChange, caseMatches, orderCases, unfinishedCases } from './case-order.js'

const alarm = (id: number, fields: Partial<AlarmCase>): AlarmCase => ({
  id,
  busId: 'B1',
  plate: '浙B·10001',
  kind: 'over_speed',
  raisedAt: '2026-03-01T23:05:00.000Z',
  tripId: 'T1',
  severity: 'major',
  schoolIds: ['S1'],
  state: 'open',
  acknowledgedBy: null,
  acknowledgedAt: null,
  assignedTo: null,
  assignedAt: null,
  closedBy: null,
  closedAt: null,
  outcome: null,
  closingText: null,
  escalationLevel: 0,
  escalatedAt: null,
  where: null,
  ...fields,
})

describe('the inbox order', () => {
  it('puts cases nobody took up first, then the most severe, escalated, newest; closed ones last', () => {
    const cases = [
      alarm(1, { state: 'closed', severity: 'critical' }),
      alarm(2, { state: 'acknowledged', severity: 'critical' }),
      alarm(3, { severity: 'minor', raisedAt: '2026-03-01T23:30:00.000Z' }),
      alarm(4, { severity: 'major', raisedAt: '2026-03-01T23:10:00.000Z' }),
      alarm(5, { severity: 'major', raisedAt: '2026-03-01T23:20:00.000Z' }),
      alarm(6, { severity: 'critical', raisedAt: '2026-03-01T22:00:00.000Z' }),
      alarm(7, { severity: 'critical', raisedAt: '2026-03-01T21:00:00.000Z', escalationLevel: 2 }),
      alarm(8, { state: 'assigned', severity: 'minor' }),
    ]
    expect(orderCases(cases).map((c) => c.id)).toEqual([7, 6, 5, 4, 3, 2, 8, 1])
  })

  it('filters by state, severity and kind, an empty list meaning any', () => {
    const closedMinor = alarm(1, { state: 'closed', severity: 'minor', kind: 'terminal_power_low' })
    expect(caseMatches(unfinishedCases, closedMinor)).toBe(false)
    expect(caseMatches({ states: [], severities: [], kinds: [] }, closedMinor)).toBe(true)
    expect(caseMatches({ states: ['closed'], severities: ['minor'], kinds: [] }, closedMinor)).toBe(true)
    expect(caseMatches({ states: [], severities: ['critical'], kinds: [] }, closedMinor)).toBe(false)
    expect(caseMatches({ states: [], severities: [], kinds: ['over_speed'] }, closedMinor)).toBe(false)
  })

  it('takes a live change in place of the case, and drops a case that no longer fits', () => {
    const inbox = [alarm(1, {}), alarm(2, { severity: 'minor' })]
    const opened = applyCaseChange(inbox, unfinishedCases, alarm(3, { severity: 'critical' }))
    expect(opened.map((c) => c.id)).toEqual([3, 1, 2])
    const acknowledged = applyCaseChange(
      opened,
      unfinishedCases,
      alarm(3, { state: 'acknowledged', severity: 'critical' }),
    )
    expect(acknowledged.map((c) => `${c.id}:${c.state}`)).toEqual(['1:open', '2:open', '3:acknowledged'])
    const closed = applyCaseChange(acknowledged, unfinishedCases, alarm(1, { state: 'closed' }))
    expect(closed.map((c) => c.id)).toEqual([2, 3])
  })
})
