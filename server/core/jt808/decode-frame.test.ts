import { describe, expect, it } from 'vitest'
import { xorChecksum } from './checksum.js'
import { decodeFrame } from './decode-frame.js'
import { encodeFrame, type Jt808OutgoingHeader } from './encode-frame.js'
import { createFrameSplitter } from './frame-splitter.js'

/** An encoded frame as the splitter hands it on: unescaped, without flags. */
function unescaped(header: Jt808OutgoingHeader, body: Buffer): Buffer {
  const [item] = createFrameSplitter({ maxFrameBytes: 1100 }).push(encodeFrame(header, body))
  if (item?.kind !== 'frame') throw new Error('no frame')
  return item.bytes
}

/** The frame with its checksum made right again after a change. */
function rechecked(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes)
  copy[copy.length - 1] = xorChecksum(copy, copy.length - 1)
  return copy
}

const header2013 = { messageId: 0x0200, terminalNumber: '013511221122', serial: 7, version: 2013 } as const
const body = Buffer.from('0102030405060708', 'hex')

describe('decode frame', () => {
  it('reads a 2013 header and body', () => {
    expect(decodeFrame(unescaped(header2013, body))).toEqual({
      ok: true,
      header: {
        messageId: 0x0200,
        version: 2013,
        protocolVersion: null,
        terminalNumber: '013511221122',
        serial: 7,
        encrypted: false,
        split: null,
      },
      body,
    })
  })

  it('reads a 2019 header with its version byte and 20-digit terminal number', () => {
    const decoded = decodeFrame(
      unescaped(
        { ...header2013, version: 2019, protocolVersion: 3, terminalNumber: '12345678901234567890' },
        body,
      ),
    )
    expect(decoded).toMatchObject({
      ok: true,
      header: { version: 2019, protocolVersion: 3, terminalNumber: '12345678901234567890' },
      body,
    })
  })

  it('reads a 2013 layout under the 2019 flag as 2013', () => {
    const flagged = unescaped(header2013, body)
    flagged[2]! |= 0x40
    expect(decodeFrame(rechecked(flagged))).toMatchObject({
      ok: true,
      header: { version: 2013, protocolVersion: null, terminalNumber: '013511221122', serial: 7 },
      body,
    })
  })

  it('reads the split and encryption bits and the packet numbers', () => {
    const plain = unescaped(header2013, Buffer.concat([Buffer.from('00030002', 'hex'), body]))
    // Split (bit 13) and RSA (bit 10); the body length counts the body without the packet numbers.
    plain.writeUInt16BE(0x2000 | 0x0400 | body.length, 2)
    expect(decodeFrame(rechecked(plain))).toMatchObject({
      ok: true,
      header: { encrypted: true, split: { total: 3, index: 2 }, serial: 7 },
      body,
    })
  })

  it('refuses a bad checksum but still gives the header', () => {
    const bytes = unescaped(header2013, body)
    bytes[bytes.length - 1]! ^= 0xff
    expect(decodeFrame(bytes)).toMatchObject({ ok: false, reason: 'bad_checksum', header: { serial: 7 } })
  })

  it('refuses a body shorter or longer than its length field', () => {
    const short = unescaped(header2013, body)
    short.writeUInt16BE(body.length + 3, 2)
    expect(decodeFrame(rechecked(short))).toMatchObject({
      ok: false,
      reason: 'truncated',
      header: { serial: 7 },
    })
    const long = unescaped(header2013, body)
    long.writeUInt16BE(body.length - 3, 2)
    expect(decodeFrame(rechecked(long))).toMatchObject({
      ok: false,
      reason: 'bad_length',
      header: { serial: 7 },
    })
  })

  it('refuses bytes too short for any header', () => {
    expect(decodeFrame(Buffer.from('0002000004304832', 'hex'))).toEqual({ ok: false, reason: 'truncated' })
    expect(decodeFrame(Buffer.alloc(0))).toEqual({ ok: false, reason: 'truncated' })
  })

  it('keeps A–F nibbles of a terminal number as sent', () => {
    const decoded = decodeFrame(unescaped({ ...header2013, terminalNumber: '0123456789AB' }, body))
    expect(decoded.ok && decoded.header.terminalNumber).toBe('0123456789AB')
  })
})
