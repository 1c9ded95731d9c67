import { describe, expect, it } from 'vitest'
import { alarmOutcomes, alarmSeverities } from '../../server/core/alarms/alarm-case.js'
import { terminalAlarmEventKinds } from '../../server/core/broker/terminal-status.js'
import { busStates } from '../../server/core/fleet/bus-state.js'
import { AccessRefused, ApiFailure, ApiRejected } from '../shared/api-client.js'
import { langs } from '../shared/language.js'
import { cixiClock, failureText } from './bureau-context.js'
import { bureauRefusalCodes, bureauText, kindText } from './bureau-text.js'

/** The kinds in the alarm catalogue (migrations 012 and 017), besides the terminal's own. */
const catalogued = [
  'child_left_on_bus',
  'over_speed',
  'limiter_disabled',
  'terminal_silent',
  'route_off_corridor',
  'stop_skipped',
  'stop_unapproved',
  'trip_late',
  'papers_expiring',
  'papers_expired',
]

describe('the fleet console’s words', () => {
  it('name every state, severity, outcome and alarm kind in Chinese and English', () => {
    for (const lang of langs) {
      const t = bureauText[lang]
      for (const state of busStates) {
        expect(t.states[state], `${lang} ${state}`).toBeTruthy()
        expect(t.stateHints[state], `${lang} ${state}`).toBeTruthy()
      }
      for (const severity of alarmSeverities) expect(t.severities[severity]).toBeTruthy()
      for (const outcome of alarmOutcomes) expect(t.outcomes[outcome]).toBeTruthy()
      for (const kind of [...catalogued, ...terminalAlarmEventKinds])
        expect(kindText(t, kind), `${lang} ${kind}`).not.toBe(kind)
      for (const code of bureauRefusalCodes) expect(t.refusalCodes[code]).toBeTruthy()
    }
    expect(Object.keys(bureauText.zh).sort()).toEqual(Object.keys(bureauText.en).sort())
    expect(kindText(bureauText.en, 'some_new_kind')).toBe('some_new_kind')
  })

  it('word the inbox’s refusals by their reason, never with the server’s message', () => {
    const closed = new ApiRejected(409, 'conflict', 'alarm 7 is closed', null, 'alarm_closed')
    expect(failureText(closed, bureauText.zh)).toBe('这条报警已经结案，不能再操作')
    expect(failureText(closed, bureauText.en)).not.toContain('alarm 7')
    const bureauOnly = new AccessRefused('forbidden', 'alarm 7 is critical', 'alarm_bureau_only')
    expect(failureText(bureauOnly, bureauText.en)).toBe('This alarm is critical: only the bureau works it')
    const unknown = new ApiRejected(422, 'unprocessable', 'x', null, null)
    expect(failureText(unknown, bureauText.en)).toBe(bureauText.en.refusalCodes.unprocessable)
    expect(failureText(new ApiFailure('/api: HTTP 502'), bureauText.zh)).toBe(bureauText.zh.network)
  })

  it('tell lateness, report ages and the time in Cixi', () => {
    expect(bureauText.en.lateness(420)).toBe('7 min late')
    expect(bureauText.en.lateness(30)).toBe('on time')
    expect(bureauText.en.lateness(-180)).toBe('3 min early')
    expect(bureauText.zh.lateness(null)).toBe('是否晚点未知')
    expect(bureauText.en.ago(12)).toBe('12 s ago')
    expect(bureauText.en.ago(600)).toBe('10 min ago')
    expect(cixiClock(Date.parse('2026-03-01T23:05:20Z'))).toBe('07:05:20')
  })
})
