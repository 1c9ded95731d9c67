import { describe, expect, it } from 'vitest'
import { ApiRejected } from '../shared/api-client.js'
import { langs } from '../shared/language.js'
import { failureText } from './access-context.js'
import { accessRefusalCodes, accessRefusalReasons, accessText } from './access-text.js'

describe('the access page’s refusals', () => {
  it('has words in Chinese and English for every reason and code a change of accounts can be refused with', () => {
    for (const lang of langs) {
      const { reasons, codes } = accessText[lang].refusals
      for (const reason of accessRefusalReasons) expect(reasons[reason], `${lang} ${reason}`).toBeTruthy()
      for (const code of accessRefusalCodes) expect(codes[code], `${lang} ${code}`).toBeTruthy()
    }
  })

  it('words a refusal by its reason, without the server’s message', () => {
    const taken = new ApiRejected(
      409,
      'conflict',
      'body.username: li.ming is taken',
      'body.username',
      'username_taken',
    )
    expect(failureText(taken, accessText.zh)).toBe('这个用户名已被占用，请换一个')
    expect(failureText(taken, accessText.en)).not.toContain('li.ming')
  })
})
