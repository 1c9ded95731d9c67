import { describe, expect, it } from 'vitest'
import { AppError } from '../errors/app-error.js'
import { checkScan } from './scan-rules.js'

const nowMs = Date.parse('2026-03-02T07:10:00+08:00')
const at = (time: string) => `2026-03-02T${time}+08:00`
const refusal = (fn: () => void) => {
  try {
    fn()
  } catch (error) {
    return error instanceof AppError ? { code: error.code, field: error.field } : error
  }
  return undefined
}

describe('checkScan', () => {
  it('accepts a first boarding and a got-off after it', () => {
    expect(refusal(() => checkScan({ action: 'boarded', scannedAt: at('07:05:00') }, [], { nowMs }))).toBe(
      undefined,
    )
    const boarded = [{ action: 'boarded' as const, scannedAt: at('07:05:00') }]
    expect(
      refusal(() => checkScan({ action: 'alighted', scannedAt: at('07:09:00') }, boarded, { nowMs })),
    ).toBe(undefined)
  })

  it('refuses a scan dated in the future beyond a phone clock’s drift, naming the field', () => {
    expect(refusal(() => checkScan({ action: 'boarded', scannedAt: at('07:11:59') }, [], { nowMs }))).toBe(
      undefined,
    )
    expect(refusal(() => checkScan({ action: 'boarded', scannedAt: at('07:12:01') }, [], { nowMs }))).toEqual(
      {
        code: 'bad_request',
        field: 'body.scannedAt',
      },
    )
  })

  it('refuses a scan more than a day old', () => {
    expect(
      refusal(() => checkScan({ action: 'boarded', scannedAt: '2026-03-01T07:09:00+08:00' }, [], { nowMs })),
    ).toEqual({ code: 'bad_request', field: 'body.scannedAt' })
  })

  it('refuses a second boarding without getting off, and getting off without boarding', () => {
    const boarded = [{ action: 'boarded' as const, scannedAt: at('07:05:00') }]
    expect(
      refusal(() => checkScan({ action: 'boarded', scannedAt: at('07:06:00') }, boarded, { nowMs })),
    ).toEqual({ code: 'conflict', field: undefined })
    expect(
      refusal(() => checkScan({ action: 'alighted', scannedAt: at('07:06:00') }, [], { nowMs })),
    ).toEqual({
      code: 'conflict',
      field: undefined,
    })
  })

  it('refuses a scan older than the pupil’s last one, so the record stays in order', () => {
    const boarded = [{ action: 'boarded' as const, scannedAt: at('07:05:00') }]
    expect(
      refusal(() => checkScan({ action: 'alighted', scannedAt: at('07:04:00') }, boarded, { nowMs })),
    ).toEqual({ code: 'conflict', field: undefined })
  })
})
