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
