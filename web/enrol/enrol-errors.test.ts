import { describe, expect, it } from 'vitest'
import { refusalError, type CodeRefusal } from '../../server/core/auth/one-time-codes.js'
import { createLogger } from '../../server/core/log/logger.js'
import { toErrorResponse } from '../../server/http/error-response.js'
import { enrolText } from './enrol-text.js'
import { enrolRefusalReasons, problemOf } from './enrol-errors.js'
import { modeOfPath, normaliseTypedCode, takeCodeFromLink } from './enrol-link.js'

describe('the enrolment page', () => {
  it('tells each refusal of the server apart by its reason', () => {
    const refused = (refusal: CodeRefusal) => {
      const { status, body } = toErrorResponse(refusalError(refusal), createLogger({ level: 'silent' }))
      return problemOf({ status, ...body.error })
    }
    expect(refused('unknown')).toBe('unknown')
    expect(refused('used')).toBe('used')
    expect(refused('expired')).toBe('expired')
    expect(refused('too_many_attempts')).toBe('too_many')
    expect(refused('wrong_digits')).toBe('wrong_digits')
    expect(problemOf({ status: 401, code: 'unauthenticated' })).toBe('unknown')
    expect(problemOf({ status: 429, code: 'rate_limited' })).toBe('rate_limited')
    expect(problemOf({ status: 400, code: 'bad_request', field: 'body.phoneLast4' })).toBe('digits_format')
    expect(problemOf({ status: 503 })).toBe('network')
  })

  it('has words in Chinese and English for every reason the server gives', () => {
    for (const reason of enrolRefusalReasons) {
      const problem = problemOf({ status: 401, code: 'unauthenticated', reason })
      for (const lang of ['zh', 'en'] as const) expect(enrolText[lang].problems[problem]).toBeTruthy()
    }
  })

  it('takes the code out of the link and the address bar', () => {
    const addresses: string[] = []
    const page = (hash: string) => ({
      location: { hash, pathname: '/enrol', search: '' },
      history: {
        replaceState: (_s: unknown, _t: string, url?: string | URL | null) =>
          void addresses.push(String(url)),
      },
    })
    expect(takeCodeFromLink(page('#code=K7QM-3XPA-9TRD'))).toBe('K7QM-3XPA-9TRD')
    expect(takeCodeFromLink(page('#code=K7QM-3XPA-9TRD&lang=en'))).toBe('K7QM-3XPA-9TRD')
    expect(takeCodeFromLink(page(''))).toBeNull()
    expect(addresses).toEqual(['/enrol', '/enrol#lang=en'])
  })

  it('knows its mode by its path and reads a typed code', () => {
    expect(modeOfPath('/pair')).toBe('pair')
    expect(modeOfPath('/pair/')).toBe('pair')
    expect(modeOfPath('/enrol')).toBe('enrol')
    expect(normaliseTypedCode('k7qm 3xpa 9trd')).toBe('K7QM-3XPA-9TRD')
    expect(normaliseTypedCode('K7QM-3XPA-9TR0')).toBeNull()
  })
})
