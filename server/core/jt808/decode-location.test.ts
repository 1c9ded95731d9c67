import { describe, expect, it } from 'vitest'
import { encodeBcdTime } from './bcd-time.js'
import { Jt808BodyError } from './body-error.js'
import { decodeLocationBatch } from './decode-location-batch.js'
import { decodeLocation } from './decode-location.js'

interface Fix {
  alarmBits?: number
  statusBits?: number
  lat?: number
  lon?: number
  altitudeM?: number
  speed?: number
  heading?: number
  at?: Date
  extras?: string
}

/** A location body as terminals build it; lat/lon unsigned, the hemisphere in the status bits. */
function locationBody(fix: Fix = {}): Buffer {
  const fixed = Buffer.alloc(22)
  fixed.writeUInt32BE(fix.alarmBits ?? 0, 0)
  fixed.writeUInt32BE(fix.statusBits ?? 0b11, 4)
  fixed.writeUInt32BE(Math.round((fix.lat ?? 30.175) * 1e6), 8)
  fixed.writeUInt32BE(Math.round((fix.lon ?? 121.266) * 1e6), 12)
  fixed.writeInt16BE(fix.altitudeM ?? 5, 16)
  fixed.writeUInt16BE(fix.speed ?? 0, 18)
  fixed.writeUInt16BE(fix.heading ?? 0, 20)
  const at = encodeBcdTime(fix.at ?? new Date('2026-03-02T07:15:00+08:00'))
  return Buffer.concat([fixed, at, Buffer.from(fix.extras ?? '', 'hex')])
}

describe('decode location', () => {
  it('signs latitude and longitude by status bits 2 and 3', () => {
    const west = decodeLocation(locationBody({ statusBits: 0b1010, lat: 40.5, lon: 73.25 }))
    expect(west).toMatchObject({ lat: 40.5, lon: -73.25, fixed: true, acc: false })
    const southWest = decodeLocation(locationBody({ statusBits: 0b1100, lat: 33.5, lon: 70.5 }))
    expect(southWest).toMatchObject({ lat: -33.5, lon: -70.5, fixed: false })
  })

  it('names the alarm bits and lists the open doors', () => {
    const every = decodeLocation(locationBody({ alarmBits: 0xffffffff, statusBits: (0b10101 << 13) | 1 }))
    expect(every.alarms).toEqual([
      'sos',
      'over_speed',
      'fatigue',
      'gnss_fault',
      'gnss_antenna_open',
      'gnss_antenna_short',
      'power_low',
      'power_lost',
      'camera_fault',
      'over_speed_warning',
      'driving_time_exceeded',
      'overtime_parking',
      'area',
      'route',
      'route_deviation',
      'illegal_ignition',
      'illegal_movement',
      'collision',
      'rollover',
      'door_opened_illegally',
    ])
    expect(every.alarmBits).toBe(0xffffffff)
    expect(every.doorsOpen).toEqual([1, 3, 5])
    expect(every.acc).toBe(true)
    expect(decodeLocation(locationBody({ alarmBits: 2 ** 31 })).alarms).toEqual(['door_opened_illegally'])
  })

  it('reads speed in 0.1 km/h, heading, and altitude below sea level', () => {
    expect(decodeLocation(locationBody({ speed: 453, heading: 359, altitudeM: -12 }))).toMatchObject({
      speedKmh: 45.3,
      headingDeg: 359,
      altitudeM: -12,
    })
  })

  it('reads the extra items of JT/T 808 and the JT/T 1078 video alarms', () => {
    const extras = [
      '0104 00002710', // mileage 1000.0 km
      '0202 01f4', // fuel 50.0 L
      '0302 0258', // tachograph 60.0 km/h
      '1404 00000005', // video alarm bits 0 and 2
      '1504 00000003', // channels 1 and 2 lost their signal
      '1604 00000008', // channel 4 blocked
      '1702 1001', // main unit 1 and backup unit 1 faulty
      '1803 0001 5a', // fatigue, level 90
      '2504 00000041', // vehicle signals
      '2a02 0001', // I/O: deep sleep
      '3001 1f', // signal strength 31
      '3101 0c', // 12 satellites
    ].join('')
    const location = decodeLocation(locationBody({ extras: extras.replace(/ /g, '') }))
    expect(location.extras).toEqual({
      mileageKm: 1000,
      fuelL: 50,
      tachographSpeedKmh: 60,
      vehicleSignalBits: 0x41,
      ioStatusBits: 1,
      signalStrength: 31,
      satellites: 12,
      videoAlarms: {
        alarmBits: 5,
        signalLossChannels: 3,
        blockedChannels: 8,
        storageFaults: 0x1001,
        abnormalDriving: { bits: 1, fatigueLevel: 90 },
      },
      unknown: [],
    })
  })

  it('keeps vendor items and known items of an odd length as unknown, and stops at an item past the end', () => {
    const location = decodeLocation(
      locationBody({ extras: 'e303010203' + '0102ffff' + '1402abcd' + '310201' }),
    )
    expect(location.extras).toEqual({
      unknown: [
        { id: 0xe3, bytes: 3 },
        { id: 0x01, bytes: 2 },
        { id: 0x14, bytes: 2 },
        { id: 0x31, bytes: 1 },
      ],
    })
    // A lone trailing byte is no item.
    expect(decodeLocation(locationBody({ extras: '3101' + '0c' + '00' })).extras).toEqual({
      satellites: 12,
      unknown: [],
    })
  })

  it('refuses a body shorter than 28 bytes and a time that is no time', () => {
    expect(() => decodeLocation(locationBody().subarray(0, 27))).toThrow(Jt808BodyError)
    const zeros = locationBody()
    zeros.fill(0, 22, 28)
    expect(() => decodeLocation(zeros)).toThrow(expect.objectContaining({ reason: 'bad_time' }))
  })
})

describe('decode location batch', () => {
  const item = (body: Buffer) => Buffer.concat([Buffer.from([body.length >> 8, body.length & 0xff]), body])

  it('reads a late batch and drops only the items it cannot read', () => {
    const badTime = locationBody()
    badTime.fill(0x99, 22, 28)
    const body = Buffer.concat([
      Buffer.from('000301', 'hex'),
      item(locationBody({ speed: 100 })),
      item(badTime),
      item(locationBody({ speed: 200, extras: '310105' })),
    ])
    const batch = decodeLocationBatch(body)
    expect(batch.type).toBe(1)
    expect(batch.droppedItems).toBe(1)
    expect(batch.locations.map((location) => location.speedKmh)).toEqual([10, 20])
    expect(batch.locations[1]!.extras.satellites).toBe(5)
  })

  it('counts items announced but missing as dropped', () => {
    const body = Buffer.concat([Buffer.from('000400', 'hex'), item(locationBody())])
    expect(decodeLocationBatch(body)).toMatchObject({ type: 0, droppedItems: 3 })
    expect(() => decodeLocationBatch(Buffer.from('00', 'hex'))).toThrow(Jt808BodyError)
  })
})
