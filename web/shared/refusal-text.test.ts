import { describe, expect, it } from 'vitest'
import { AccessRefused, ApiFailure, ApiRejected, readAccessRefusal, readRejection } from './api-client.js'
import { langs } from './language.js'
import {
  alarmInboxRefusalReasons,
  alarmInboxRefusalText,
  describeRefusal,
  detailList,
  detailText,
  genericRefusalOf,
  genericRefusalText,
  refusalOf,
} from './refusal-text.js'

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

  it('words a reason with the details the server sent, and reads well without them', () => {
    const ridesOther = {
      reasons: {
        pupil_not_on_this_bus: (details: Readonly<Record<string, unknown>>) => {
          const plate = detailText(details, 'busPlate')
          return plate ? `rides ${plate} today` : 'rides another bus'
        },
      },
      codes: {},
    }
    const body = {
      error: {
        code: 'unprocessable',
        message: 'wrong bus',
        reason: 'pupil_not_on_this_bus',
        details: { busPlate: '浙B·12345' },
      },
    }
    const rejected = readRejection(422, body)
    expect(rejected.details).toEqual({ busPlate: '浙B·12345' })
    expect(describeRefusal(rejected, ridesOther, 'en')).toBe('rides 浙B·12345 today')
    expect(describeRefusal({ ...rejected, details: null }, ridesOther, 'en')).toBe('rides another bus')
    expect(
      describeRefusal(
        readRejection(422, { error: { ...body.error, details: { busPlate: 7 } } }),
        ridesOther,
        'en',
      ),
    ).toBe('rides another bus')
    expect(detailList({ pupilCodes: ['P1', 2, 'P3'] }, 'pupilCodes')).toEqual(['P1', 'P3'])
    expect(detailList({}, 'pupilCodes')).toEqual([])
  })

  it('keeps the reason of a refused token, for the pages that word its cases', () => {
    const body = JSON.stringify({
      error: {
        code: 'forbidden',
        message: 'not yours',
        reason: 'pupil_of_another_school',
        details: { pupilCodes: ['P2'] },
      },
    })
    const refused = readAccessRefusal(403, body)
    expect(refused).toMatchObject({ kind: 'forbidden', reason: 'pupil_of_another_school' })
    expect(refusalOf(refused)).toEqual({
      status: 403,
      code: 'forbidden',
      reason: 'pupil_of_another_school',
      details: { pupilCodes: ['P2'] },
    })
    expect(refusalOf(readAccessRefusal(401, 'expired'))).toEqual({ status: 401, code: 'unauthenticated' })
  })
})

describe('the alarm inbox’s refusals', () => {
  it('are worded in both languages, each apart from the generic text of its status', () => {
    for (const lang of langs) {
      const words = { reasons: alarmInboxRefusalText[lang], codes: {} }
      const texts = alarmInboxRefusalReasons.map((reason) =>
        describeRefusal({ status: 409, code: 'conflict', reason }, words, lang),
      )
      expect(new Set(texts).size).toBe(alarmInboxRefusalReasons.length)
      expect(texts).not.toContain(genericRefusalText[lang].conflict)
    }
  })
})
