import { describe, expect, it } from 'vitest'
import type { AlarmCaseState } from './alarm-case.js'
import { decideAlarmCaseCommand, mayWorkAlarmCase, type AlarmCaseCommand } from './alarm-case-rules.js'

const acknowledge: AlarmCaseCommand = { kind: 'acknowledge' }
const assignTo = (assignee: string): AlarmCaseCommand => ({ kind: 'assign', assignee })
const note: AlarmCaseCommand = { kind: 'note', text: 'driver called' }
const close: AlarmCaseCommand = { kind: 'close', outcome: 'resolved', text: 'driver slowed down' }

const at = (state: AlarmCaseState, assignedTo: string | null = null) => ({ state, assignedTo })
const actions = (decision: ReturnType<typeof decideAlarmCaseCommand>) =>
  decision.allowed ? decision.steps.map((step) => `${step.from}>${step.action}>${step.to}`) : decision.reason

describe('the transitions of an alarm case', () => {
  it('acknowledges an open case once; acknowledging again changes nothing', () => {
    expect(actions(decideAlarmCaseCommand(at('open'), acknowledge))).toEqual([
      'open>acknowledged>acknowledged',
    ])
    expect(actions(decideAlarmCaseCommand(at('acknowledged'), acknowledge))).toEqual([])
    expect(actions(decideAlarmCaseCommand(at('assigned', 'duty-1'), acknowledge))).toEqual([])
  })

  it('acknowledges an open case before assigning or closing it, so that its escalation stops', () => {
    expect(actions(decideAlarmCaseCommand(at('open'), assignTo('duty-1')))).toEqual([
      'open>acknowledged>acknowledged',
      'acknowledged>assigned>assigned',
    ])
    expect(actions(decideAlarmCaseCommand(at('open'), close))).toEqual([
      'open>acknowledged>acknowledged',
      'acknowledged>closed>closed',
    ])
  })

  it('assigns an acknowledged case, reassigns to someone else, and ignores the same assignee again', () => {
    expect(actions(decideAlarmCaseCommand(at('acknowledged'), assignTo('duty-1')))).toEqual([
      'acknowledged>assigned>assigned',
    ])
    expect(actions(decideAlarmCaseCommand(at('assigned', 'duty-1'), assignTo('duty-2')))).toEqual([
      'assigned>assigned>assigned',
    ])
    expect(actions(decideAlarmCaseCommand(at('assigned', 'duty-1'), assignTo('duty-1')))).toEqual([])
  })

  it('closes from every state but closed', () => {
    for (const state of ['acknowledged', 'assigned'] as const)
      expect(actions(decideAlarmCaseCommand(at(state, 'duty-1'), close))).toEqual([`${state}>closed>closed`])
  })

  it('takes notes without a transition while the case is not closed', () => {
    for (const state of ['open', 'acknowledged', 'assigned'] as const)
      expect(actions(decideAlarmCaseCommand(at(state, 'duty-1'), note))).toEqual([])
  })

  it('refuses everything on a closed case, with a stable reason', () => {
    for (const command of [acknowledge, assignTo('duty-1'), note, close])
      expect(actions(decideAlarmCaseCommand(at('closed', 'duty-1'), command))).toBe('alarm_closed')
  })
})

describe('who may work an alarm case', () => {
  const commands = ['acknowledge', 'assign', 'note', 'close'] as const

  it('lets the bureau do everything, whatever the severity', () => {
    for (const severity of ['critical', 'major', 'minor'] as const)
      for (const command of commands)
        expect(mayWorkAlarmCase('bureau', severity, command)).toEqual({ allowed: true })
  })

  it("lets a school acknowledge, note and close its buses' non-critical cases, and assign none", () => {
    for (const command of ['acknowledge', 'note', 'close'] as const) {
      expect(mayWorkAlarmCase('school', 'major', command)).toEqual({ allowed: true })
      expect(mayWorkAlarmCase('school', 'minor', command)).toEqual({ allowed: true })
      expect(mayWorkAlarmCase('school', 'critical', command)).toEqual({
        allowed: false,
        refusal: 'alarm_bureau_only',
      })
    }
    expect(mayWorkAlarmCase('school', 'minor', 'assign')).toEqual({ allowed: false, refusal: 'role' })
  })

  it('lets no attendant, parent, terminal or service work a case', () => {
    for (const role of ['attendant', 'parent', 'device', 'service'] as const)
      for (const command of commands)
        expect(mayWorkAlarmCase(role, 'minor', command)).toEqual({ allowed: false, refusal: 'role' })
  })
})
