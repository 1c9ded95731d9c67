import { encodeGbkText } from './gbk.js'

/** 0x8001 body: the platform's answer to a terminal message (result 0 ok, 1 failed, 2 bad, 3 unsupported, 4 alarm handled). */
export function encodeGeneralReply(reply: { replySerial: number; replyId: number; result: number }): Buffer {
  const body = Buffer.alloc(5)
  body.writeUInt16BE(reply.replySerial, 0)
  body.writeUInt16BE(reply.replyId, 2)
  body.writeUInt8(reply.result, 4)
  return body
}

/**
 * 0x8100 body: the answer to a registration (0 ok, 1 vehicle already registered, 2 no such vehicle,
 * 3 terminal already registered, 4 no such terminal). Only a success carries the auth code.
 */
export function encodeRegisterReply(reply: {
  replySerial: number
  result: number
  authCode?: string
}): Buffer {
  const head = Buffer.alloc(3)
  head.writeUInt16BE(reply.replySerial, 0)
  head.writeUInt8(reply.result, 2)
  if (reply.result !== 0) return head
  return Buffer.concat([head, encodeGbkText(reply.authCode ?? '')])
}

/** Packet ids one 0x8003 can name: the 2013 count is a BYTE, and a body holds at most 1023 bytes. */
export const maxResendPacketIds = { 2013: 255, 2019: (0x3ff - 4) >> 1 } as const

/**
 * 0x8003 body: asks the terminal to resend packets of a split message, named by the serial of its
 * first packet and the packet ids (from 1); the count is a BYTE in 2013 and a WORD in 2019.
 */
export function encodeResendRequest(request: {
  firstSerial: number
  packetIds: readonly number[]
  version: 2013 | 2019
}): Buffer {
  const { firstSerial, packetIds, version } = request
  if (packetIds.length === 0 || packetIds.length > maxResendPacketIds[version]) {
    throw new RangeError(
      `${packetIds.length} packet ids: 1 to ${maxResendPacketIds[version]} fit one request`,
    )
  }
  const countBytes = version === 2019 ? 2 : 1
  const body = Buffer.alloc(2 + countBytes + packetIds.length * 2)
  body.writeUInt16BE(firstSerial, 0)
  if (version === 2019) body.writeUInt16BE(packetIds.length, 2)
  else body.writeUInt8(packetIds.length, 2)
  packetIds.forEach((id, i) => body.writeUInt16BE(id, 2 + countBytes + i * 2))
  return body
}
