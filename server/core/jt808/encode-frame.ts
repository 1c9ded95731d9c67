import { encodeBcdDigits } from './bcd.js'
import { xorChecksum } from './checksum.js'

export interface Jt808OutgoingHeader {
  messageId: number
  /** The terminal's number as its frames carry it; left-padded with zeros to the layout's width. */
  terminalNumber: string
  serial: number
  version: 2013 | 2019
  /** The 2019 version byte; 1 when not given. */
  protocolVersion?: number
  /** One packet of a split message: the packet numbers follow the serial. */
  split?: { total: number; index: number }
}

const maxBodyBytes = 0x3ff

/** Header and body → a frame ready to send: checksum added, 0x7E and 0x7D escaped, flags around. */
export function encodeFrame(header: Jt808OutgoingHeader, body: Buffer): Buffer {
  if (body.length > maxBodyBytes) throw new RangeError(`a body of ${body.length} bytes needs splitting`)
  const is2019 = header.version === 2019
  const start = Buffer.alloc(is2019 ? 5 : 4)
  start.writeUInt16BE(header.messageId, 0)
  start.writeUInt16BE(body.length | (is2019 ? 1 << 14 : 0) | (header.split ? 1 << 13 : 0), 2)
  if (is2019) start.writeUInt8(header.protocolVersion ?? 1, 4)
  const serial = Buffer.alloc(header.split ? 6 : 2)
  serial.writeUInt16BE(header.serial, 0)
  if (header.split) {
    serial.writeUInt16BE(header.split.total, 2)
    serial.writeUInt16BE(header.split.index, 4)
  }
  const unescaped = Buffer.concat([
    start,
    encodeBcdDigits(header.terminalNumber, is2019 ? 10 : 6),
    serial,
    body,
    Buffer.alloc(1),
  ])
  unescaped[unescaped.length - 1] = xorChecksum(unescaped, unescaped.length - 1)
  return escapeFrame(unescaped)
}

/** Escapes every byte, checksum included, and puts the flags around. */
function escapeFrame(unescaped: Buffer): Buffer {
  const out: number[] = [0x7e]
  for (const byte of unescaped) {
    if (byte === 0x7e) out.push(0x7d, 0x02)
    else if (byte === 0x7d) out.push(0x7d, 0x01)
    else out.push(byte)
  }
  out.push(0x7e)
  return Buffer.from(out)
}
