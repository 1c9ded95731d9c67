import { describe, expect, it } from 'vitest'
import { AccessRefused, ApiFailure, ApiRejected, readRejection } from './api-client.js'
import { langs } from './language.js'
import { describeRefusal, genericRefusalOf, genericRefusalText, refusalOf } from './refusal-text.js'

const words = {
  reasons: { unknown_pupil_code: 'no pupil has this code' },
  codes: { unprocessable: 'cannot be recorded' },
}

describe('describeRefusal', () => {
  it('words a refusal by its reason first, then its code, then its status', () => {
    const refusal = { status: 422, code: 'unprocessable', reason: 'unknown_pupil_code' }
    expect(describeRefusal(refusal, words, 'en')).toBe('no pupil has this code')
    expect(describeRefusal({ ...refusal, reason: 'some_new_reason' }, words, 'en')).toBe('cannot be recorded')
    expect(describeRefusal({ status: 409, code: 'conflict' }, words, 'zh')).toBe(
      genericRefusalText.zh.conflict,
    )
    expect(describeRefusal({ status: 0 }, words, 'en')).toBe(genericRefusalText.en.unavailable)
  })

  it('reads the reason from the error body, and never words a refusal with its message', () => {
    const body = {
      error: { code: 'unprocessable', message: 'no pupil has the code X', reason: 'unknown_pupil_code' },
    }
    const rejected = readRejection(422, body)
    expect(rejected.reason).toBe('unknown_pupil_code')
    expect(describeRefusal(rejected, { reasons: {}, codes: {} }, 'en')).not.toContain('no pupil has the code')
  })

  it('has a generic text per status in both languages', () => {
    for (const status of [400, 403, 404, 408, 409, 413, 422, 429, 500, 503, 0]) {
      for (const lang of langs) expect(genericRefusalText[lang][genericRefusalOf(status)]).toBeTruthy()
    }
    expect(genericRefusalOf(422)).toBe('refused')
    expect(genericRefusalOf(503)).toBe('unavailable')
    expect(Object.keys(genericRefusalText.zh)).toEqual(Object.keys(genericRefusalText.en))
  })

  it('knows what each failure of a request tells', () => {
    expect(refusalOf(new ApiRejected(404, 'not_found', 'no trip', null, null))).toMatchObject({ status: 404 })
    expect(refusalOf(new AccessRefused('forbidden', ''))).toEqual({ status: 403, code: 'forbidden' })
    expect(refusalOf(new ApiFailure('/api: HTTP 502'))).toEqual({ status: 0 })
  })
})
