import { describe, expect, it } from 'vitest'
import { cixiInstantMs, estimateServerOffsetMs, formatCixiDate, formatCixiTime } from './cixi-time.js'

describe('Cixi time', () => {
  it('shows instants in Asia/Shanghai time whatever the phone’s zone', () => {
    const instant = Date.parse('2026-03-01T23:05:40Z')
    expect(formatCixiTime(instant)).toBe('07:05')
    expect(formatCixiDate(instant)).toBe('2026-03-02')
    expect(new Date(cixiInstantMs('2026-03-02', '07:05')).toISOString()).toBe('2026-03-01T23:05:00.000Z')
    expect(new Date(cixiInstantMs('2026-03-02', '07:05:30')).toISOString()).toBe('2026-03-01T23:05:30.000Z')
  })

  it('estimates the server clock’s lead from the middle of a round trip', () => {
    const sentAtMs = Date.parse('2026-03-02T10:00:00Z')
    const offset = estimateServerOffsetMs({
      serverNow: '2026-03-02T07:00:01.000Z',
      sentAtMs,
      receivedAtMs: sentAtMs + 2000,
    })
    expect(offset).toBe(-3 * 3600_000)
  })
})
