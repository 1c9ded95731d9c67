import { requireBodyBytes } from './body-error.js'
import { decodeGbkText } from './gbk.js'

export interface Jt808RegisterReply {
  replySerial: number
  /** 0 ok; 1 vehicle already registered, 2 no such vehicle, 3 terminal already registered, 4 no such terminal. */
  result: number
  /** The code to authenticate with from now on; null unless the registration succeeded. */
  authCode: string | null
}

/** 0x8100 as a terminal reads it: the serial of its 0x0100, the result and, on success, the auth code. */
export function decodeRegisterReply(body: Buffer): Jt808RegisterReply {
  requireBodyBytes(body, 3, 'register reply')
  const result = body.readUInt8(2)
  return {
    replySerial: body.readUInt16BE(0),
    result,
    authCode: result === 0 ? decodeGbkText(body.subarray(3)) : null,
  }
}
