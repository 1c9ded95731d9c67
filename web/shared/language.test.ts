import { describe, expect, it } from 'vitest'
import { chooseLanguage, otherLang } from './language.js'

describe('chooseLanguage', () => {
  it('keeps the person’s own choice', () => {
    expect(chooseLanguage('en', ['zh-CN'])).toBe('en')
    expect(chooseLanguage('zh', ['en-US'])).toBe('zh')
  })

  it('otherwise takes the first of the phone’s languages that the pages speak', () => {
    expect(chooseLanguage(null, ['en-GB', 'zh-CN'])).toBe('en')
    expect(chooseLanguage(null, ['zh-TW', 'en'])).toBe('zh')
    expect(chooseLanguage(null, ['fr-FR', 'EN-us'])).toBe('en')
    expect(chooseLanguage('fr', ['de'])).toBe('zh')
    expect(chooseLanguage(null, [])).toBe('zh')
  })

  it('switches between the two', () => {
    expect(otherLang('zh')).toBe('en')
    expect(otherLang('en')).toBe('zh')
  })
})
