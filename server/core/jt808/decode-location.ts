import { decodeBcdTime } from './bcd-time.js'
import { Jt808BodyError, requireBodyBytes } from './body-error.js'
import type { TerminalAlarm } from '../broker/terminal-status.js'
import { listOpenDoors, nameAlarms } from './location-alarms.js'
import { decodeLocationExtras, type Jt808LocationExtras } from './location-extras.js'

export type { Jt808LocationExtras, Jt808VideoAlarms } from './location-extras.js'

export interface Jt808Location {
  at: Date
  /** Degrees, negative in the south (status bit 2). */
  lat: number
  /** Degrees, negative in the west (status bit 3). */
  lon: number
  altitudeM: number
  speedKmh: number
  headingDeg: number
  alarmBits: number
  statusBits: number
  /** The alarm word's named bits (the video recorder's are in extras.videoAlarms). */
  alarms: TerminalAlarm[]
  acc: boolean
  fixed: boolean
  /** Open doors, numbered 1–5. */
  doorsOpen: number[]
  extras: Jt808LocationExtras
}

/** Alarm, status, lat, lon, altitude, speed, heading and the BCD time come before the extra items. */
export const locationFixedBytes = 28

/** A location body (0x0200, and each item of 0x0704 and 0x0201) → the location. */
export function decodeLocation(body: Buffer): Jt808Location {
  requireBodyBytes(body, locationFixedBytes, 'location')
  const alarmBits = body.readUInt32BE(0)
  const statusBits = body.readUInt32BE(4)
  const at = decodeBcdTime(body.subarray(22, 28))
  if (!at) throw new Jt808BodyError('bad_time', `location time ${body.subarray(22, 28).toString('hex')}`)
  const south = (statusBits & 0b100) !== 0
  const west = (statusBits & 0b1000) !== 0
  return {
    at,
    lat: (body.readUInt32BE(8) / 1e6) * (south ? -1 : 1),
    lon: (body.readUInt32BE(12) / 1e6) * (west ? -1 : 1),
    // The standard says WORD, but terminals below sea level send it signed.
    altitudeM: body.readInt16BE(16),
    speedKmh: body.readUInt16BE(18) / 10,
    headingDeg: body.readUInt16BE(20),
    alarmBits,
    statusBits,
    alarms: nameAlarms(alarmBits),
    acc: (statusBits & 1) !== 0,
    fixed: (statusBits & 0b10) !== 0,
    doorsOpen: listOpenDoors(statusBits),
    extras: decodeLocationExtras(body.subarray(locationFixedBytes)),
  }
}
