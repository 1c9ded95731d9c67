import { describe, expect, it } from 'vitest'
import { refusalMessages } from '../../server/core/auth/one-time-codes.js'
import { problemOf } from './enrol-errors.js'
import { modeOfPath, normaliseTypedCode, takeCodeFromLink } from './enrol-link.js'

describe('the enrolment page', () => {
  it('tells each refusal of the server apart', () => {
    const refused = (message: string, field = 'body.code') =>
      problemOf({ status: 401, code: 'unauthenticated', message, field })
    expect(refused(refusalMessages.unknown)).toBe('unknown')
    expect(refused(refusalMessages.used)).toBe('used')
    expect(refused(refusalMessages.expired)).toBe('expired')
    expect(refused(refusalMessages.too_many_attempts)).toBe('too_many')
    expect(refused(refusalMessages.wrong_digits, 'body.phoneLast4')).toBe('wrong_digits')
    expect(problemOf({ status: 429, code: 'rate_limited' })).toBe('rate_limited')
    expect(problemOf({ status: 400, code: 'bad_request', field: 'body.phoneLast4' })).toBe('digits_format')
    expect(problemOf({ status: 503 })).toBe('network')
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
