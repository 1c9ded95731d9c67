import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { decodeAuthenticate } from './decode-authenticate.js'
import { decodeFrame } from './decode-frame.js'
import { decodeLocation, type Jt808Location } from './decode-location.js'
import { decodeLocationBatch } from './decode-location-batch.js'
import { decodeRegister } from './decode-register.js'
import { decodeRegisterReply } from './decode-register-reply.js'
import { encodeFrame } from './encode-frame.js'
import { encodeRegisterReply } from './encode-replies.js'
import {
  encodeAuthenticate,
  encodeHeartbeat,
  encodeLocation,
  encodeLocationBatch,
  encodeLocationBatches,
  encodeRegister,
  maxJt808BodyBytes,
} from './encode-terminal-messages.js'
import { createFrameSplitter } from './frame-splitter.js'
import { listOpenDoors, nameAlarms } from './location-alarms.js'

/** Real frames from open implementations' tests; test/data/jt808/README.md names their sources. */
const referenceFrames = JSON.parse(
  readFileSync(new URL('../../../test/data/jt808/frames.json', import.meta.url), 'utf8'),
) as { hex: string }[]

/** The body of reference frame `index`, unescaped. */
function referenceBody(index: number): Buffer {
  const [item] = createFrameSplitter({ maxFrameBytes: 1100 }).push(
    Buffer.from(referenceFrames[index]!.hex, 'hex'),
  )
  if (item?.kind !== 'frame') throw new Error(`reference frame ${index} does not split`)
  const decoded = decodeFrame(item.bytes)
  if (!decoded.ok) throw new Error(`reference frame ${index}: ${decoded.reason}`)
  return decoded.body
}

/** A location as the decoder returns it: alarm names, doors and flags agree with the words. */
function locationOf(
  fields: Partial<Jt808Location> & Pick<Jt808Location, 'at' | 'lat' | 'lon'>,
): Jt808Location {
  const acc = fields.acc ?? true
  const fixed = fields.fixed ?? true
  const doors = (fields.doorsOpen ?? []).reduce((bits, door) => bits | (1 << (12 + door)), 0)
  const statusBits =
    ((fields.statusBits ?? 0) & ~0b1111) |
    doors |
    (acc ? 1 : 0) |
    (fixed ? 2 : 0) |
    (fields.lat < 0 ? 4 : 0) |
    (fields.lon < 0 ? 8 : 0)
  const alarmBits = fields.alarmBits ?? 0
  return {
    altitudeM: 6,
    speedKmh: 34.5,
    headingDeg: 92,
    extras: { unknown: [] },
    ...fields,
    alarmBits,
    statusBits,
    alarms: nameAlarms(alarmBits),
    acc,
    fixed,
    doorsOpen: listOpenDoors(statusBits),
  }
}

const morning = new Date('2026-03-02T07:15:02+08:00')

describe('the terminal messages', () => {
  it('registers a terminal with a GBK plate in the 2013 and 2019 layouts', () => {
    const registration = {
      provinceId: 33,
      cityId: 282,
      makerId: '70107',
      model: 'HB-R03GBD',
      terminalId: '2366104',
      plateColor: 2,
      plate: '浙B·X1234',
    }
    expect(decodeRegister(encodeRegister(registration), 2013)).toEqual(registration)
    const long = { ...registration, makerId: 'CIXI-MAKER', terminalId: 'TERMINAL-000000000123' }
    expect(decodeRegister(encodeRegister(long, 2019), 2019)).toEqual(long)
  })

  it('lays a registration out byte for byte as a real terminal does', () => {
    // Traccar's registration (frame 6): its plate is 苏BA6860, the 8 after it is the checksum.
    const registration = {
      provinceId: 0,
      cityId: 0,
      makerId: '70107',
      model: 'HB-R03GBD',
      terminalId: '2366104',
      plateColor: 2,
      plate: '苏BA6860',
    }
    expect(encodeRegister(registration).equals(referenceBody(6))).toBe(true)
  })

  it('authenticates with the code alone in 2013, with its length, IMEI and version in 2019', () => {
    const authCode = 's1.0f3a.kX_9-secret'
    expect(decodeAuthenticate(encodeAuthenticate({ authCode, version: 2013 }), 2013)).toEqual({
      authCode,
      imei: null,
      softwareVersion: null,
    })
    expect(
      decodeAuthenticate(
        encodeAuthenticate({ authCode, version: 2019, imei: '866496077582164', softwareVersion: 'V1.2.3' }),
        2019,
      ),
    ).toEqual({ authCode, imei: '866496077582164', softwareVersion: 'V1.2.3' })
    // Traccar's authentication (frame 5).
    expect(encodeAuthenticate({ authCode: 'authentication', version: 2013 }).equals(referenceBody(5))).toBe(
      true,
    )
  })

  it('sends a heartbeat with an empty body', () => {
    expect(encodeHeartbeat().equals(referenceBody(4))).toBe(true)
  })

  it('reads a location back with its words, signs, time and extra items', () => {
    const north = locationOf({
      at: morning,
      lat: 30.172011,
      lon: 121.261845,
      altitudeM: -3,
      speedKmh: 62.3,
      headingDeg: 359,
      alarmBits: (1 << 0) | (1 << 1) | (1 << 7),
      statusBits: (1 << 18) | (1 << 19),
      doorsOpen: [1, 3],
      extras: {
        mileageKm: 12345.6,
        fuelL: 88.5,
        tachographSpeedKmh: 61,
        signalStrength: 25,
        satellites: 14,
        videoAlarms: {
          alarmBits: 0b101,
          signalLossChannels: 0b11,
          blockedChannels: 0b100,
          storageFaults: 1 << 12,
          abnormalDriving: { bits: 0b10, fatigueLevel: 70 },
        },
        unknown: [],
      },
    })
    expect(decodeLocation(encodeLocation(north))).toEqual(north)
    const southWest = locationOf({ at: morning, lat: -27.263378, lon: -153.037383, acc: false, fixed: false })
    expect(decodeLocation(encodeLocation(southWest))).toEqual(southWest)
    expect(north.alarms).toEqual(['sos', 'over_speed', 'power_low'])
  })

  it('dates a location to the second in GMT+8', () => {
    const at = new Date('2026-03-02T23:59:59.750Z')
    const body = encodeLocation(locationOf({ at, lat: 30, lon: 121 }))
    expect(body.subarray(22, 28).toString('hex')).toBe('260303075959')
    expect(decodeLocation(body).at).toEqual(new Date('2026-03-02T23:59:59Z'))
  })

  it('reproduces a real location body', () => {
    // SmallChi/JT808's location (frame 0): SOS, fixed, mileage and fuel.
    const body = referenceBody(0)
    expect(encodeLocation(decodeLocation(body)).equals(body)).toBe(true)
  })

  it('batches late locations and reads each back', () => {
    const locations = [0, 1, 2].map((i) =>
      locationOf({
        at: new Date(morning.getTime() + i * 1000),
        lat: Number((30.172 + i * 1e-4).toFixed(6)),
        lon: 121.26,
        extras: { mileageKm: 100 + i / 10, satellites: 9, signalStrength: 20, unknown: [] },
      }),
    )
    expect(decodeLocationBatch(encodeLocationBatch({ type: 1, locations }))).toEqual({
      type: 1,
      locations,
      droppedItems: 0,
    })
    expect(decodeLocationBatch(encodeLocationBatch({ type: 0, locations: [] }))).toEqual({
      type: 0,
      locations: [],
      droppedItems: 0,
    })
  })

  it('cuts a long hole’s locations into frames that need no splitting', () => {
    const locations = Array.from({ length: 90 }, (_, i) =>
      locationOf({
        at: new Date(morning.getTime() + i * 1000),
        lat: 30.172,
        lon: Number((121.26 + i * 1e-4).toFixed(6)),
        extras: { mileageKm: 100, satellites: 9, signalStrength: 20, unknown: [] },
      }),
    )
    const bodies = encodeLocationBatches({ type: 1, locations })
    expect(bodies.length).toBeGreaterThan(1)
    expect(bodies.every((body) => body.length <= maxJt808BodyBytes)).toBe(true)
    const decoded = bodies.map((body) => decodeLocationBatch(body))
    expect(decoded.every((batch) => batch.type === 1)).toBe(true)
    expect(decoded.flatMap((batch) => batch.locations)).toEqual(locations)
    expect(encodeLocationBatches({ type: 1, locations: [] })).toEqual([])
  })

  it('survives framing: escaped, split across reads, read back', () => {
    const location = locationOf({ at: morning, lat: 30.17, lon: 121.26, alarmBits: 0x7e7d })
    const frame = encodeFrame(
      { messageId: 0x0200, terminalNumber: '010040000001', serial: 0x7e7d, version: 2013 },
      encodeLocation(location),
    )
    const splitter = createFrameSplitter({ maxFrameBytes: 2048 })
    const items = [...splitter.push(frame.subarray(0, 9)), ...splitter.push(frame.subarray(9))]
    expect(items).toHaveLength(1)
    const decoded = decodeFrame((items[0] as { bytes: Buffer }).bytes)
    if (!decoded.ok) throw new Error(decoded.reason)
    expect(decoded.header).toMatchObject({
      messageId: 0x0200,
      terminalNumber: '010040000001',
      serial: 0x7e7d,
    })
    expect(decodeLocation(decoded.body)).toEqual(location)
  })

  it('reads the register reply a terminal gets', () => {
    expect(
      decodeRegisterReply(encodeRegisterReply({ replySerial: 7, result: 0, authCode: 's1.a.b' })),
    ).toEqual({
      replySerial: 7,
      result: 0,
      authCode: 's1.a.b',
    })
    expect(decodeRegisterReply(encodeRegisterReply({ replySerial: 8, result: 3 }))).toEqual({
      replySerial: 8,
      result: 3,
      authCode: null,
    })
    // xtream-codec's register reply (frame 3): serial 111, ok, 'ok..ok..ok'.
    expect(decodeRegisterReply(referenceBody(3))).toEqual({
      replySerial: 111,
      result: 0,
      authCode: 'ok..ok..ok',
    })
  })
})
