import { describe, expect, it } from 'vitest'
import { reasonMeanings } from '../../server/http/openapi/error-codes.js'
import { AccessRefused, ApiRejected } from '../shared/api-client.js'
import { langs } from '../shared/language.js'
import { describeRefusal, refusalOf } from '../shared/refusal-text.js'
import { lettersRefusalCodes, lettersRefusalReasons, lettersText } from './letters-text.js'

describe('the letters page’s refusals', () => {
  it('has words in Chinese and English for every reason and code making letters can be refused with', () => {
    for (const lang of langs) {
      const { reasons, codes } = lettersText[lang].refusals
      for (const reason of lettersRefusalReasons) expect(reasons[reason], `${lang} ${reason}`).toBeTruthy()
      for (const code of lettersRefusalCodes) expect(codes[code], `${lang} ${code}`).toBeTruthy()
    }
  })

  it('words only reasons the server documents, each case apart', () => {
    for (const reason of lettersRefusalReasons) expect(reasonMeanings[reason], reason).toBeTruthy()
    const words = lettersRefusalReasons.map((reason) =>
      describeRefusal({ status: 400, reason }, lettersText.en.refusals, 'en'),
    )
    expect(new Set(words).size).toBe(words.length)
  })

  it('names the pupil codes at fault, and reads well without them', () => {
    const unknown = new ApiRejected(404, 'not_found', 'no pupil', 'body.pupilCodes', 'unknown_pupil_code', {
      pupilCodes: ['P123456782', 'P999999990'],
    })
    expect(describeRefusal(unknown, lettersText.zh.refusals, 'zh')).toBe(
      '没有这些学生编号，请核对：P123456782、P999999990',
    )
    expect(describeRefusal(unknown, lettersText.en.refusals, 'en')).toBe(
      'No pupil has these codes; check them: P123456782, P999999990',
    )
    const many = { pupilCodes: Array.from({ length: 12 }, (_, i) => `P${i}`) }
    expect(describeRefusal({ ...unknown, details: many }, lettersText.en.refusals, 'en')).toMatch(/P9, …$/)
    expect(describeRefusal({ ...unknown, details: null }, lettersText.en.refusals, 'en')).toBe(
      'Some pupil codes do not exist; check them and try again.',
    )
  })

  it('words a refused scope by its reason, and as such without one', () => {
    const otherSchool = new AccessRefused('forbidden', '', 'pupil_of_another_school', { pupilCodes: ['P2'] })
    expect(describeRefusal(refusalOf(otherSchool), lettersText.en.refusals, 'en')).toBe(
      'These pupils are not of the chosen school; remove them or choose their school: P2',
    )
    const bare = new AccessRefused('forbidden', '')
    expect(describeRefusal(refusalOf(bare), lettersText.zh.refusals, 'zh')).toBe('无权为这些学生生成通知书。')
  })
})
