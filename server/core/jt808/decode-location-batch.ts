import { Jt808BodyError, requireBodyBytes } from './body-error.js'
import { decodeLocation, type Jt808Location } from './decode-location.js'

export interface Jt808LocationBatch {
  /** 0: normal batch; 1: reports held back during a coverage gap and sent late. */
  type: 0 | 1
  locations: Jt808Location[]
  /** Items that could not be read (bad time, short body); the others are kept. */
  droppedItems: number
}

/**
 * 0x0704: count (2), type (1), then per item its length (2) and a location body. Items are read
 * up to the count or the end of the body, whichever comes first.
 */
export function decodeLocationBatch(body: Buffer): Jt808LocationBatch {
  requireBodyBytes(body, 3, 'location batch')
  const count = body.readUInt16BE(0)
  const locations: Jt808Location[] = []
  let droppedItems = 0
  let at = 3
  for (let item = 0; item < count && at + 2 <= body.length; item++) {
    const length = body.readUInt16BE(at)
    const itemBody = body.subarray(at + 2, at + 2 + length)
    at += 2 + length
    try {
      locations.push(decodeLocation(itemBody))
    } catch (error) {
      if (!(error instanceof Jt808BodyError)) throw error
      droppedItems++
    }
  }
  droppedItems += count - locations.length - droppedItems
  return { type: body[2] === 1 ? 1 : 0, locations, droppedItems }
}
