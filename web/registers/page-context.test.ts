import { describe, expect, it } from 'vitest'
import { AccessRefused, ApiFailure, ApiRejected } from '../shared/api-client.js'
import { failureMessage } from './page-context.js'
import { problemWords } from './problem-table.js'
import { reasonMeanings } from '../../server/http/openapi/error-codes.js'
import { registersRefusalReasons, registersText } from './registers-text.js'
import { testSheets } from './test-sheets.js'

describe('failureMessage', () => {
  it('says what the server refused in the page’s words, never in its English message', () => {
    const refused = new ApiRejected(403, 'forbidden', 'a school imports only its pupils, not the buses', null)
    expect(failureMessage(refused, registersText.zh)).toBe('没有权限')
    expect(failureMessage(new ApiRejected(413, 'too_large', 'HTTP 413', null), registersText.en)).toBe(
      'The file is too large',
    )
    expect(failureMessage(new ApiRejected(418, 'teapot', 'short and stout', null), registersText.en)).toBe(
      'The server did not accept this; check and try again',
    )
  })

  it('has words in Chinese and English for every code the server gives', () => {
    for (const code of Object.keys(registersText.en.failures)) {
      expect(registersText.zh.failures[code as keyof typeof registersText.zh.failures]).toBeTruthy()
      expect(registersText.en.failures[code as keyof typeof registersText.en.failures]).toBeTruthy()
    }
  })

  it('words each case of a refusal by its reason, in Chinese and English', () => {
    const otherSchool = new ApiRejected(
      403,
      'forbidden',
      'pupil P1 is not of school S2',
      null,
      'pupil_of_another_school',
    )
    expect(failureMessage(otherSchool, registersText.zh)).toBe(
      '其中有其他学校的学生：学校只能维护本校的学生。',
    )
    expect(failureMessage(otherSchool, registersText.en)).toBe(
      'It holds another school’s pupil: a school keeps only its own pupils.',
    )
    const tooLarge = new ApiRejected(413, 'too_large', 'body: larger', 'body', 'file_too_large')
    expect(failureMessage(tooLarge, registersText.en)).toBe(
      'The file is too large: split it and import the parts one after another.',
    )
    // A reason this page has no words for: its code's words.
    expect(
      failureMessage(new ApiRejected(404, 'not_found', 'gone', null, 'something_new'), registersText.en),
    ).toBe('No such record')
    for (const reason of registersRefusalReasons) {
      expect(reasonMeanings[reason], reason).toBeTruthy()
      for (const t of [registersText.zh, registersText.en])
        expect(t.refusals[reason], `${t.lang} ${reason}`).toBeTruthy()
    }
    const english = registersRefusalReasons.map((reason) => registersText.en.refusals[reason])
    expect(new Set(english).size).toBe(english.length)
  })

  it('calls anything else a network or server failure, and leaves access refusals to the page', () => {
    expect(failureMessage(new ApiFailure('/api/registers: HTTP 502'), registersText.en)).toBe(
      'Network or server error; try again',
    )
    expect(failureMessage(new AccessRefused('unauthenticated', ''), registersText.en)).toBeUndefined()
  })
})

describe('problemWords', () => {
  const badSeats = {
    severity: 'error' as const,
    code: 'bad_number',
    register: 'buses',
    sheet: '车辆',
    row: 4,
    column: '核载人数 seats',
    value: 'abc',
    message: 'expected a whole number from 1 to 99',
  }

  it('says in Chinese what a column takes, and in English the server’s message', () => {
    expect(problemWords(badSeats, testSheets, registersText.zh)).toEqual({
      label: '不是有效的数字',
      detail: '应为：1–99 的整数',
      detailLang: 'zh-CN',
    })
    expect(problemWords(badSeats, testSheets, registersText.en)).toEqual({
      label: 'Not a number',
      detail: 'expected a whole number from 1 to 99',
      detailLang: 'en',
    })
  })

  it('keeps the server’s message where the page cannot say more, and an unknown code as it is', () => {
    const reference = {
      ...badSeats,
      code: 'unknown_reference',
      column: '所属乡镇 town',
      message: 'no such town',
    }
    expect(problemWords(reference, testSheets, registersText.zh)).toMatchObject({
      label: '引用的记录不存在',
      detail: 'no such town',
    })
    expect(problemWords({ ...badSeats, code: 'new_code' }, testSheets, registersText.zh).label).toBe(
      'new_code',
    )
  })
})
