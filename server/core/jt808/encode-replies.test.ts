import { describe, expect, it } from 'vitest'
import { encodeFrame } from './encode-frame.js'
import { encodeResendRequest, maxResendPacketIds } from './encode-replies.js'
import { jt808MessageIds } from './message-ids.js'

describe('resend request (0x8003)', () => {
  it('names the first serial, a BYTE count and the packet ids in 2013', () => {
    const body = encodeResendRequest({ firstSerial: 0x1234, packetIds: [2, 0x0105], version: 2013 })
    expect(body.toString('hex')).toBe('1234' + '02' + '0002' + '0105')
    expect(
      encodeFrame(
        {
          messageId: jt808MessageIds.resendPackets,
          terminalNumber: '013511221122',
          serial: 7,
          version: 2013,
        },
        body,
      ).toString('hex'),
    ).toBe('7e' + '8003' + '0007' + '013511221122' + '0007' + '12340200020105' + '95' + '7e')
  })

  it('counts the packet ids in a WORD in 2019', () => {
    const body = encodeResendRequest({ firstSerial: 0xfffe, packetIds: [1, 3, 4], version: 2019 })
    expect(body.toString('hex')).toBe('fffe' + '0003' + '0001' + '0003' + '0004')
    expect(
      encodeFrame(
        {
          messageId: jt808MessageIds.resendPackets,
          terminalNumber: '00000866496077582164',
          serial: 7,
          version: 2019,
        },
        body,
      ).toString('hex'),
    ).toBe(
      '7e' + '8003' + '400a' + '01' + '00000866496077582164' + '0007' + 'fffe0003000100030004' + 'e6' + '7e',
    )
  })

  it('refuses a request naming no packet, or more than one body holds', () => {
    expect(() => encodeResendRequest({ firstSerial: 1, packetIds: [], version: 2013 })).toThrow(RangeError)
    const many = Array.from({ length: maxResendPacketIds[2013] + 1 }, (_, i) => i + 1)
    expect(() => encodeResendRequest({ firstSerial: 1, packetIds: many, version: 2013 })).toThrow(RangeError)
    expect(encodeResendRequest({ firstSerial: 1, packetIds: many, version: 2019 })).toHaveLength(4 + 2 * 256)
    const tooMany = Array.from({ length: maxResendPacketIds[2019] + 1 }, (_, i) => i + 1)
    expect(() => encodeResendRequest({ firstSerial: 1, packetIds: tooMany, version: 2019 })).toThrow(
      RangeError,
    )
  })
})
