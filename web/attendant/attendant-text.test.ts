import { describe, expect, it } from 'vitest'
import { reasonMeanings } from '../../server/http/openapi/error-codes.js'
import { langs } from '../shared/language.js'
import { ApiRejected } from '../shared/api-client.js'
import { describeRefusal } from '../shared/refusal-text.js'
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

  it('tells where another bus’s pupil should go, by the plate of the bus they ride today', () => {
    const wrongBus = (details: Record<string, unknown> | null) =>
      new ApiRejected(422, 'unprocessable', 'wrong bus', 'body.pupilCode', 'pupil_not_on_this_bus', details)
    const { zh, en } = attendantText
    expect(describeRefusal(wrongBus({ busPlate: '浙B·12345' }), zh.refusals, 'zh')).toBe(
      '此学生今天乘坐 浙B·12345',
    )
    expect(describeRefusal(wrongBus({ busPlate: '浙B·12345' }), en.refusals, 'en')).toBe(
      'This pupil rides 浙B·12345 today',
    )
    // No bus that day, or an older server: the case alone, never an empty plate.
    expect(describeRefusal(wrongBus(null), en.refusals, 'en')).toBe(
      'Not a pupil of this bus: they ride another school bus',
    )
    expect(describeRefusal(wrongBus({ busPlate: '' }), zh.refusals, 'zh')).toBe(
      '不是本车的学生：该生乘坐其他校车',
    )
  })

  it('words only reasons the server documents', () => {
    for (const reason of attendantRefusalReasons) expect(reasonMeanings[reason]).toBeTruthy()
  })
})
