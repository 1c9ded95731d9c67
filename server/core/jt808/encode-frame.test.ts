import { describe, expect, it } from 'vitest'
import { decodeFrame } from './decode-frame.js'
import { decodeGeneralReply } from './decode-general-reply.js'
import { encodeLocationQuery, encodeSetParameters, encodeText } from './encode-commands.js'
import { encodeFrame, type Jt808OutgoingHeader } from './encode-frame.js'
import { encodeGeneralReply, encodeRegisterReply } from './encode-replies.js'
import { createFrameSplitter } from './frame-splitter.js'
import { decodeGbkText } from './gbk.js'
import { jt808MessageIds, jt808ParameterIds } from './message-ids.js'

/** What a terminal reads from the wire: split, unescaped, decoded. */
function receive(wire: Buffer) {
  const items = createFrameSplitter({ maxFrameBytes: 1100 }).push(wire)
  expect(items).toHaveLength(1)
  const item = items[0]!
  if (item.kind !== 'frame') throw new Error(item.reason)
  const decoded = decodeFrame(item.bytes)
  if (!decoded.ok) throw new Error(decoded.reason)
  return decoded
}

const to2013 = { terminalNumber: '013511221122', serial: 41, version: 2013 } as const
const to2019 = { terminalNumber: '00000866496077582164', serial: 41, version: 2019 } as const

describe('encode frame', () => {
  it('escapes 0x7E and 0x7D in header, body and checksum, and nowhere leaves a bare one inside', () => {
    for (let serial = 0; serial < 0x10000; serial += 0x101) {
      for (const result of [0x7d, 0x7e, 0x00]) {
        const header: Jt808OutgoingHeader = {
          messageId: 0x7e7d,
          terminalNumber: '7d7e00007e7d',
          serial,
          version: 2013,
        }
        const wire = encodeFrame(header, encodeGeneralReply({ replySerial: 0x7e7d, replyId: serial, result }))
        const inner = wire.subarray(1, -1)
        expect(inner.includes(0x7e)).toBe(false)
        for (let i = 0; i < inner.length; i++) {
          if (inner[i] === 0x7d) expect([0x01, 0x02]).toContain(inner[++i])
        }
        const { header: read, body } = receive(wire)
        expect(read).toMatchObject({ messageId: 0x7e7d, terminalNumber: '7D7E00007E7D', serial })
        expect(decodeGeneralReply(body)).toEqual({ replySerial: 0x7e7d, replyId: serial, result })
      }
    }
  })

  it('escapes a checksum of 0x7E and of 0x7D', () => {
    const checksums = new Set<number>()
    for (let result = 0; result < 256; result++) {
      const wire = encodeFrame(
        { ...to2013, messageId: 0x8001 },
        encodeGeneralReply({ replySerial: 1, replyId: 2, result }),
      )
      const tail = wire.subarray(-3, -1).toString('hex')
      if (tail === '7d02') checksums.add(0x7e)
      if (tail === '7d01') checksums.add(0x7d)
      expect(decodeGeneralReply(receive(wire).body).result).toBe(result)
    }
    expect(checksums).toEqual(new Set([0x7e, 0x7d]))
  })

  it('writes one packet of a split message, its numbers after the serial, in 2013 and 2019', () => {
    const body = Buffer.from('7e00017d', 'hex')
    for (const header of [to2013, to2019]) {
      const read = receive(
        encodeFrame(
          { ...header, messageId: jt808MessageIds.locationBatch, split: { total: 3, index: 2 } },
          body,
        ),
      )
      expect(read.header).toMatchObject({
        serial: 41,
        version: header.version,
        split: { total: 3, index: 2 },
      })
      expect(read.body).toEqual(body)
    }
  })

  it('refuses a body that would need splitting and a terminal number too long', () => {
    expect(() => encodeFrame({ ...to2013, messageId: 0x8300 }, Buffer.alloc(1024))).toThrow(RangeError)
    expect(() =>
      encodeFrame({ ...to2013, messageId: 1, terminalNumber: '1234567890123' }, Buffer.alloc(0)),
    ).toThrow(RangeError)
  })
})

describe('replies and commands, there and back', () => {
  it('a general reply in 2013 and 2019', () => {
    for (const header of [to2013, to2019]) {
      const reply = { replySerial: 0xfffe, replyId: jt808MessageIds.location, result: 4 }
      const read = receive(
        encodeFrame(
          { ...header, messageId: jt808MessageIds.platformGeneralReply },
          encodeGeneralReply(reply),
        ),
      )
      expect(read.header).toMatchObject({
        ...header,
        messageId: 0x8001,
        protocolVersion: header.version === 2019 ? 1 : null,
      })
      expect(decodeGeneralReply(read.body)).toEqual(reply)
    }
  })

  it('a register reply carries the auth code only on success', () => {
    const ok = receive(
      encodeFrame(
        { ...to2013, messageId: 0x8100 },
        encodeRegisterReply({ replySerial: 5, result: 0, authCode: '校车-7e}~' }),
      ),
    )
    expect(ok.body.readUInt16BE(0)).toBe(5)
    expect(ok.body[2]).toBe(0)
    expect(decodeGbkText(ok.body.subarray(3))).toBe('校车-7e}~')
    const refused = receive(
      encodeFrame({ ...to2013, messageId: 0x8100 }, encodeRegisterReply({ replySerial: 5, result: 4 })),
    )
    expect(refused.body.toString('hex')).toBe('000504')
  })

  it('set parameters: count, then id, length 4 and a DWORD each', () => {
    const body = encodeSetParameters([
      { id: jt808ParameterIds.reportIntervalS, value: 10 },
      { id: jt808ParameterIds.topSpeedKmh, value: 60 },
      { id: jt808ParameterIds.overSpeedDurationS, value: 0x7e7d },
    ])
    expect(body.toString('hex')).toBe(
      '03' + '00000029' + '04' + '0000000a' + '00000055' + '04' + '0000003c' + '00000056' + '04' + '00007e7d',
    )
    const read = receive(encodeFrame({ ...to2019, messageId: jt808MessageIds.setParameters }, body))
    expect(read.body).toEqual(body)
    expect(() => encodeSetParameters([])).toThrow(RangeError)
  })

  it('a text message in GBK, with the 2019 text type', () => {
    const body2013 = encodeText({ flags: 0b1100, text: '请系好安全带' })
    expect(body2013[0]).toBe(0b1100)
    expect(decodeGbkText(body2013.subarray(1))).toBe('请系好安全带')
    const body2019 = encodeText({ flags: 0b1100, text: '请系好安全带', version: 2019, textType: 2 })
    expect([...body2019.subarray(0, 2)]).toEqual([0b1100, 2])
    expect(receive(encodeFrame({ ...to2019, messageId: jt808MessageIds.text }, body2019)).body).toEqual(
      body2019,
    )
  })

  it('a position query has an empty body', () => {
    const read = receive(
      encodeFrame({ ...to2013, messageId: jt808MessageIds.locationQuery }, encodeLocationQuery()),
    )
    expect(read.header.messageId).toBe(0x8201)
    expect(read.body).toHaveLength(0)
  })
})
