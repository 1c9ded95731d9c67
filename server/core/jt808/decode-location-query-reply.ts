import { requireBodyBytes } from './body-error.js'
import { decodeLocation, type Jt808Location } from './decode-location.js'

/** 0x0201, the answer to a position query (0x8201): the query's serial, then a 0x0200 body. */
export function decodeLocationQueryReply(body: Buffer): { replySerial: number; location: Jt808Location } {
  requireBodyBytes(body, 2, 'position query reply')
  return { replySerial: body.readUInt16BE(0), location: decodeLocation(body.subarray(2)) }
}
