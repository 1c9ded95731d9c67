import { encodeBcdTime } from './bcd-time.js'
import type { Jt808Location } from './decode-location.js'
import type { Jt808Registration } from './decode-register.js'
import { encodeGbkText } from './gbk.js'

/**
 * The bodies a terminal sends (terminal → platform), for simulated terminals and load tests: the
 * platform's own decoders read them back. Frame them with `encodeFrame`.
 */

/** The body length field has ten bits: a larger body must be split, or sent in several messages. */
export const maxJt808BodyBytes = 1023

/** Fixed-width text fields of 0x0100, by version: ASCII, padded with zero bytes. */
const registerWidths = {
  2013: { makerId: 5, model: 20, terminalId: 7 },
  2019: { makerId: 11, model: 30, terminalId: 30 },
} as const

/** 0x0100: the terminal asks to be registered to the vehicle its plate names. */
export function encodeRegister(registration: Jt808Registration, version: 2013 | 2019 = 2013): Buffer {
  const widths = registerWidths[version]
  const head = Buffer.alloc(4)
  head.writeUInt16BE(registration.provinceId, 0)
  head.writeUInt16BE(registration.cityId, 2)
  return Buffer.concat([
    head,
    fixedText(registration.makerId, widths.makerId),
    fixedText(registration.model, widths.model),
    fixedText(registration.terminalId, widths.terminalId),
    Buffer.from([registration.plateColor]),
    encodeGbkText(registration.plate),
  ])
}

/**
 * 0x0102: the terminal proves itself with the code the platform gave it. 2013 sends the code
 * alone; 2019 puts its length first and the IMEI and software version after it.
 */
export function encodeAuthenticate(options: {
  authCode: string
  version: 2013 | 2019
  imei?: string
  softwareVersion?: string
}): Buffer {
  const code = encodeGbkText(options.authCode)
  if (options.version === 2013) return code
  if (code.length > 255) throw new RangeError('a 2019 authentication code is at most 255 bytes')
  return Buffer.concat([
    Buffer.from([code.length]),
    code,
    fixedText(options.imei ?? '', 15),
    fixedText(options.softwareVersion ?? '', 20),
  ])
}

/** 0x0002: the terminal is alive; nothing to say. */
export function encodeHeartbeat(): Buffer {
  return Buffer.alloc(0)
}

const STATUS_ACC = 1 << 0
const STATUS_FIXED = 1 << 1
const STATUS_SOUTH = 1 << 2
const STATUS_WEST = 1 << 3
const FIRST_DOOR_BIT = 13

/**
 * 0x0200: one position. ACC, fix and hemispheres come from the location's fields (they override
 * those bits of `statusBits`), open doors are added to the status word, and the extra items the
 * location has follow the basic 28 bytes, in id order.
 */
export function encodeLocation(location: Jt808Location): Buffer {
  let status = location.statusBits & ~(STATUS_ACC | STATUS_FIXED | STATUS_SOUTH | STATUS_WEST)
  if (location.acc) status |= STATUS_ACC
  if (location.fixed) status |= STATUS_FIXED
  if (location.lat < 0) status |= STATUS_SOUTH
  if (location.lon < 0) status |= STATUS_WEST
  for (const door of location.doorsOpen) {
    if (door >= 1 && door <= 5) status |= 1 << (FIRST_DOOR_BIT + door - 1)
  }
  const basic = Buffer.alloc(28)
  basic.writeUInt32BE(location.alarmBits >>> 0, 0)
  basic.writeUInt32BE(status >>> 0, 4)
  basic.writeUInt32BE(Math.round(Math.abs(location.lat) * 1e6), 8)
  basic.writeUInt32BE(Math.round(Math.abs(location.lon) * 1e6), 12)
  basic.writeInt16BE(clamp(Math.round(location.altitudeM), -32768, 32767), 16)
  basic.writeUInt16BE(clamp(Math.round(location.speedKmh * 10), 0, 0xffff), 18)
  basic.writeUInt16BE(((Math.round(location.headingDeg) % 360) + 360) % 360, 20)
  encodeBcdTime(location.at).copy(basic, 22)
  return Buffer.concat([basic, ...encodeExtras(location.extras)])
}

/** 0x0201: the answer to a position query (0x8201): its serial, then the position as 0x0200 has it. */
export function encodeLocationQueryReply(replySerial: number, location: Jt808Location): Buffer {
  const serial = Buffer.alloc(2)
  serial.writeUInt16BE(replySerial, 0)
  return Buffer.concat([serial, encodeLocation(location)])
}

/** 0x0704: positions sent together; type 1 is what the terminal kept while it had no network. */
export function encodeLocationBatch(batch: { type: 0 | 1; locations: readonly Jt808Location[] }): Buffer {
  const head = Buffer.alloc(3)
  head.writeUInt16BE(batch.locations.length, 0)
  head.writeUInt8(batch.type, 2)
  const items = batch.locations.flatMap((location) => {
    const body = encodeLocation(location)
    const length = Buffer.alloc(2)
    length.writeUInt16BE(body.length, 0)
    return [length, body]
  })
  return Buffer.concat([head, ...items])
}

/**
 * Cuts positions into as few 0x0704 bodies as fit one unsplit frame each, in order: a terminal
 * back from a long coverage hole has more than one frame holds.
 */
export function encodeLocationBatches(batch: { type: 0 | 1; locations: readonly Jt808Location[] }): Buffer[] {
  const bodies: Buffer[] = []
  let start = 0
  let size = 3
  for (let i = 0; i < batch.locations.length; i++) {
    const itemBytes = 2 + encodeLocation(batch.locations[i]!).length
    if (i > start && size + itemBytes > maxJt808BodyBytes) {
      bodies.push(encodeLocationBatch({ type: batch.type, locations: batch.locations.slice(start, i) }))
      start = i
      size = 3
    }
    size += itemBytes
  }
  if (start < batch.locations.length) {
    bodies.push(encodeLocationBatch({ type: batch.type, locations: batch.locations.slice(start) }))
  }
  return bodies
}

/**
 * Extra items as the standard sizes them: mileage 0.1 km and fuel 0.1 L, speed 0.1 km/h, and the
 * video recorder's alarm items of JT/T 1078.
 */
function encodeExtras(extras: Jt808Location['extras']): Buffer[] {
  const items: Buffer[] = []
  const item = (id: number, value: Buffer) =>
    items.push(Buffer.concat([Buffer.from([id, value.length]), value]))
  if (extras.mileageKm !== undefined) item(0x01, uint32(Math.round(extras.mileageKm * 10)))
  if (extras.fuelL !== undefined) item(0x02, uint16(Math.round(extras.fuelL * 10)))
  if (extras.tachographSpeedKmh !== undefined) item(0x03, uint16(Math.round(extras.tachographSpeedKmh * 10)))
  if (extras.signalStrength !== undefined) item(0x30, Buffer.from([clamp(extras.signalStrength, 0, 255)]))
  if (extras.satellites !== undefined) item(0x31, Buffer.from([clamp(extras.satellites, 0, 255)]))
  const video = extras.videoAlarms
  if (video) {
    item(0x14, uint32(video.alarmBits))
    if (video.signalLossChannels !== undefined) item(0x15, uint32(video.signalLossChannels))
    if (video.blockedChannels !== undefined) item(0x16, uint32(video.blockedChannels))
    if (video.storageFaults !== undefined) item(0x17, uint16(video.storageFaults))
    if (video.abnormalDriving) {
      const { bits, fatigueLevel } = video.abnormalDriving
      item(0x18, Buffer.concat([uint16(bits), Buffer.from([clamp(fatigueLevel, 0, 255)])]))
    }
  }
  return items
}

function fixedText(text: string, width: number): Buffer {
  const bytes = Buffer.alloc(width)
  encodeGbkText(text).copy(bytes, 0, 0, width)
  return bytes
}

function uint32(value: number): Buffer {
  const bytes = Buffer.alloc(4)
  bytes.writeUInt32BE(clamp(value, 0, 0xffffffff), 0)
  return bytes
}

function uint16(value: number): Buffer {
  const bytes = Buffer.alloc(2)
  bytes.writeUInt16BE(clamp(value, 0, 0xffff), 0)
  return bytes
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}
