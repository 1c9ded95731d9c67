import { describe, expect, it } from 'vitest'
import { codeAlphabet, formatCode, generateCode, normaliseCode } from './one-time-code-format.js'

describe('a code people type', () => {
  it('is twelve unambiguous symbols in groups of four', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 200; i += 1) {
      const code = generateCode()
      expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/)
      expect(code).not.toMatch(/[01OIL]/)
      seen.add(code)
    }
    expect(seen.size).toBe(200)
    expect(codeAlphabet).toHaveLength(31)
  })

  it('is read however it was typed', () => {
    expect(normaliseCode(' k7qm 3xpa-9trd ')).toBe('K7QM3XPA9TRD')
    expect(formatCode('K7QM3XPA9TRD')).toBe('K7QM-3XPA-9TRD')
    expect(normaliseCode('K7QM-3XPA-9TR')).toBeNull()
    expect(normaliseCode('K7QM-3XPA-9TR0')).toBeNull()
  })
})
