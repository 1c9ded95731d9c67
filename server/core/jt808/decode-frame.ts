import { decodeBcdDigits } from './bcd.js'
import { xorChecksum } from './checksum.js'

export interface Jt808Header {
  messageId: number
  version: 2013 | 2019
  /** The protocol version byte of a 2019 header; null in 2013. */
  protocolVersion: number | null
  /** BCD digits as sent, leading zeros kept (12 digits in 2013, 20 in 2019). */
  terminalNumber: string
  serial: number
  encrypted: boolean
  /** Packet `index` (from 1) of `total` when the message is split. */
  split: { total: number; index: number } | null
}

export type DecodedFrame =
  | { ok: true; header: Jt808Header; body: Buffer }
  | { ok: false; reason: 'bad_checksum' | 'truncated' | 'bad_length'; header?: Jt808Header }

const versionFlag = 1 << 14
const splitFlag = 1 << 13

interface Layout {
  version: 2013 | 2019
  headerBytes: number
}

/** Header bytes of each layout: id, properties, [version], terminal number, serial, [split]. */
function layoutOf(version: 2013 | 2019, split: boolean): Layout {
  const base = version === 2019 ? 2 + 2 + 1 + 10 + 2 : 2 + 2 + 6 + 2
  return { version, headerBytes: base + (split ? 4 : 0) }
}

/**
 * Which layout the bytes have. The 2019 flag is trusted when its layout accounts for the bytes
 * present; some terminals set it over a 2013 layout, which the body length field then reveals.
 */
function chooseLayout(flagged: boolean, split: boolean, bodyLength: number, headerAndBody: number): Layout {
  const layout2013 = layoutOf(2013, split)
  if (!flagged) return layout2013
  const layout2019 = layoutOf(2019, split)
  if (layout2019.headerBytes + bodyLength === headerAndBody) return layout2019
  if (layout2013.headerBytes + bodyLength === headerAndBody) return layout2013
  return headerAndBody >= layout2019.headerBytes ? layout2019 : layout2013
}

function readHeader(bytes: Buffer, layout: Layout, properties: number): Jt808Header {
  const is2019 = layout.version === 2019
  const numberAt = is2019 ? 5 : 4
  const numberBytes = is2019 ? 10 : 6
  const serialAt = numberAt + numberBytes
  const split = (properties & splitFlag) !== 0
  return {
    messageId: bytes.readUInt16BE(0),
    version: layout.version,
    protocolVersion: is2019 ? bytes[4]! : null,
    terminalNumber: decodeBcdDigits(bytes.subarray(numberAt, serialAt)),
    serial: bytes.readUInt16BE(serialAt),
    encrypted: ((properties >> 10) & 0x7) !== 0,
    split: split
      ? { total: bytes.readUInt16BE(serialAt + 2), index: bytes.readUInt16BE(serialAt + 4) }
      : null,
  }
}

/**
 * An unescaped frame (header, body, checksum; no flags) → header and body. The body length field
 * must match the bytes present: fewer is `truncated`, more is `bad_length`. Failures carry the
 * header when it could be read, so the terminal can still be answered.
 */
export function decodeFrame(bytes: Buffer): DecodedFrame {
  const headerAndBody = bytes.length - 1
  if (headerAndBody < layoutOf(2013, false).headerBytes) return { ok: false, reason: 'truncated' }
  const properties = bytes.readUInt16BE(2)
  const bodyLength = properties & 0x3ff
  const layout = chooseLayout(
    (properties & versionFlag) !== 0,
    (properties & splitFlag) !== 0,
    bodyLength,
    headerAndBody,
  )
  if (headerAndBody < layout.headerBytes) return { ok: false, reason: 'truncated' }
  const header = readHeader(bytes, layout, properties)
  const bodyBytes = headerAndBody - layout.headerBytes
  if (bodyBytes < bodyLength) return { ok: false, reason: 'truncated', header }
  if (bodyBytes > bodyLength) return { ok: false, reason: 'bad_length', header }
  if (xorChecksum(bytes, headerAndBody) !== bytes[headerAndBody]) {
    return { ok: false, reason: 'bad_checksum', header }
  }
  return { ok: true, header, body: bytes.subarray(layout.headerBytes, headerAndBody) }
}
