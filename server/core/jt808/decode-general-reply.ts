import { requireBodyBytes } from './body-error.js'

export interface Jt808GeneralReply {
  /** Serial of the platform message answered. */
  replySerial: number
  replyId: number
  /** 0 ok, 1 failed, 2 bad message, 3 unsupported. */
  result: number
}

/** 0x0001, the terminal's answer to a platform message. */
export function decodeGeneralReply(body: Buffer): Jt808GeneralReply {
  requireBodyBytes(body, 5, 'general reply')
  return { replySerial: body.readUInt16BE(0), replyId: body.readUInt16BE(2), result: body[4]! }
}
