import { describe, expect, it } from 'vitest'
import { inSentence, labelsIn } from './label.js'

describe('labels', () => {
  it('give one language’s words, key by key', () => {
    const labels = { a: { zh: '甲', en: 'First' }, b: { zh: '乙', en: 'Second' } }
    expect(labelsIn(labels, 'zh')).toEqual({ a: '甲', b: '乙' })
    expect(labelsIn(labels, 'en')).toEqual({ a: 'First', b: 'Second' })
  })

  it('read inside a phrase in lower case, abbreviations kept', () => {
    expect(inSentence('Over-speed')).toBe('over-speed')
    expect(inSentence("Terminal's over-speed")).toBe("terminal's over-speed")
    expect(inSentence('GNSS module fault')).toBe('GNSS module fault')
    expect(inSentence('already lower')).toBe('already lower')
    expect(inSentence('A')).toBe('a')
    expect(inSentence('')).toBe('')
  })
})
