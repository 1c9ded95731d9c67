import { describe, expect, it } from 'vitest'
import { reasonMeanings } from '../../server/http/openapi/error-codes.js'
import { langs } from '../shared/language.js'
import { attendantRefusalCodes, attendantRefusalReasons, attendantText } from './attendant-text.js'

describe('the attendant page’s refusals', () => {
  it('has words in Chinese and English for every reason and code a scan can be refused with', () => {
    for (const lang of langs) {
      const { reasons, codes } = attendantText[lang].refusals
      for (const reason of attendantRefusalReasons) expect(reasons[reason], `${lang} ${reason}`).toBeTruthy()
      for (const code of attendantRefusalCodes) expect(codes[code], `${lang} ${code}`).toBeTruthy()
    }
    expect(attendantText.zh.refusals.reasons.unknown_pupil_code).not.toBe(
      attendantText.zh.refusals.reasons.pupil_not_on_this_bus,
    )
  })

  it('words only reasons the server documents', () => {
    for (const reason of attendantRefusalReasons) expect(reasonMeanings[reason]).toBeTruthy()
  })
})
