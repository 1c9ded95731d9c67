import { describe, expect, it } from 'vitest'
import { chooseLanguage } from './parent-text.js'

describe('chooseLanguage', () => {
  it('keeps the parent’s own choice', () => {
    expect(chooseLanguage('en', ['zh-CN'])).toBe('en')
    expect(chooseLanguage('zh', ['en-US'])).toBe('zh')
  })

  it('otherwise takes the first of the phone’s languages that the page speaks', () => {
    expect(chooseLanguage(null, ['en-GB', 'zh-CN'])).toBe('en')
    expect(chooseLanguage(null, ['zh-TW', 'en'])).toBe('zh')
    expect(chooseLanguage(null, ['fr-FR', 'EN-us'])).toBe('en')
    expect(chooseLanguage('fr', ['de'])).toBe('zh')
    expect(chooseLanguage(null, [])).toBe('zh')
  })
})
