import { describe, expect, it } from 'vitest'
import { langs } from '../shared/language.js'
import { lettersRefusalCodes, lettersRefusalReasons, lettersText } from './letters-text.js'

describe('the letters page’s refusals', () => {
  it('has words in Chinese and English for every reason and code making letters can be refused with', () => {
    for (const lang of langs) {
      const { reasons, codes } = lettersText[lang].refusals
      for (const reason of lettersRefusalReasons) expect(reasons[reason], `${lang} ${reason}`).toBeTruthy()
      for (const code of lettersRefusalCodes) expect(codes[code], `${lang} ${code}`).toBeTruthy()
    }
  })
})
