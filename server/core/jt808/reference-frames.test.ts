import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { decodeAuthenticate } from './decode-authenticate.js'
import { decodeFrame, type Jt808Header } from './decode-frame.js'
import { decodeLocationBatch } from './decode-location-batch.js'
import { decodeLocation } from './decode-location.js'
import { decodeRegister } from './decode-register.js'
import { encodeFrame } from './encode-frame.js'
import { encodeGeneralReply, encodeRegisterReply } from './encode-replies.js'
import { createFrameSplitter } from './frame-splitter.js'

/** Real frames from open implementations' tests; test/data/jt808/README.md names their sources. */
const frames = JSON.parse(
  readFileSync(new URL('../../../test/data/jt808/frames.json', import.meta.url), 'utf8'),
) as { hex: string; what: string; msgId: string }[]

const hexOf = (index: number) => frames[index]!.hex.toLowerCase()

function decodeReference(index: number): { header: Jt808Header; body: Buffer } {
  const items = createFrameSplitter({ maxFrameBytes: 1100 }).push(Buffer.from(hexOf(index), 'hex'))
  expect(items).toHaveLength(1)
  const item = items[0]!
  if (item.kind !== 'frame') throw new Error(`frame ${index} dropped: ${item.reason}`)
  const decoded = decodeFrame(item.bytes)
  if (!decoded.ok) throw new Error(`frame ${index}: ${decoded.reason}`)
  expect(decoded.header.messageId).toBe(Number(frames[index]!.msgId))
  return decoded
}

const gmt8 = (local: string) => new Date(`${local}+08:00`)

describe('the reference frames', () => {
  it('0: a 2013 location with 7D 02 and 7D 01 escapes, mileage and fuel', () => {
    expect(hexOf(0)).toContain('7d02')
    expect(hexOf(0)).toContain('7d01')
    const { header, body } = decodeReference(0)
    expect(header).toEqual({
      messageId: 0x0200,
      version: 2013,
      protocolVersion: null,
      terminalNumber: '123456789012',
      serial: 126,
      encrypted: false,
      split: null,
    })
    const location = decodeLocation(body)
    expect(location).toMatchObject({
      lat: 12.222222,
      lon: 132.444444,
      speedKmh: 6,
      altitudeM: 40,
      at: gmt8('2018-10-15T10:10:10'),
      alarmBits: 1,
      alarms: ['sos'],
      statusBits: 2,
      fixed: true,
      acc: false,
    })
    expect(location.extras).toEqual({ mileageKm: 10, fuelL: 12.5, unknown: [] })
  })

  it('1: a 2019 location, south by its status bit 2', () => {
    const { header, body } = decodeReference(1)
    // The source labels the frame "serial 111", but 111 is its alarm word: the header serial is 0.
    expect(header).toEqual({
      messageId: 0x0200,
      version: 2019,
      protocolVersion: 1,
      terminalNumber: '00000000013912344329',
      serial: 0,
      encrypted: false,
      split: null,
    })
    const location = decodeLocation(body)
    expect(location).toMatchObject({
      alarmBits: 111,
      statusBits: 0x16,
      lat: -31.234567,
      lon: 121.987654,
      altitudeM: 123,
      speedKmh: 6.6,
      headingDeg: 3,
      at: gmt8('2025-01-29T22:33:44'),
      fixed: true,
      acc: false,
    })
    expect(location.alarms).toEqual([
      'sos',
      'over_speed',
      'fatigue',
      'gnss_antenna_open',
      'gnss_antenna_short',
    ])
    expect(location.extras).toEqual({ fuelL: 10, mileageKm: 1.2, unknown: [] })
  })

  it('2 and 3: the 2019 general and register replies, decoded and encoded byte for byte', () => {
    const general = decodeReference(2)
    expect(general.header).toMatchObject({ version: 2019, protocolVersion: 1, serial: 0 })
    expect(general.body).toEqual(encodeGeneralReply({ replySerial: 111, replyId: 0x0200, result: 0 }))
    const generalHeader = {
      messageId: 0x8001,
      terminalNumber: '00000000013912344329',
      serial: 0,
      version: 2019,
      protocolVersion: 1,
    } as const
    expect(
      encodeFrame(
        generalHeader,
        encodeGeneralReply({ replySerial: 111, replyId: 0x0200, result: 0 }),
      ).toString('hex'),
    ).toBe(hexOf(2))

    const register = decodeReference(3)
    expect(register.header).toMatchObject({ terminalNumber: '00000000013912344329', serial: 0 })
    const registerBody = encodeRegisterReply({ replySerial: 111, result: 0, authCode: 'ok..ok..ok' })
    expect(register.body).toEqual(registerBody)
    expect(encodeFrame({ ...generalHeader, messageId: 0x8100 }, registerBody).toString('hex')).toBe(hexOf(3))
    // The terminal number may be given without its leading zeros.
    expect(
      encodeFrame({ ...generalHeader, terminalNumber: '13912344329' }, general.body).toString('hex'),
    ).toBe(hexOf(2))
  })

  it('4: a heartbeat with an empty body', () => {
    const { header, body } = decodeReference(4)
    expect(header).toMatchObject({
      messageId: 0x0002,
      version: 2013,
      terminalNumber: '043048325465',
      serial: 183,
    })
    expect(body).toHaveLength(0)
  })

  it('5: a 2013 authentication', () => {
    const { header, body } = decodeReference(5)
    expect(header).toMatchObject({ terminalNumber: '013511221122', version: 2013 })
    expect(decodeAuthenticate(body, header.version)).toEqual({
      authCode: 'authentication',
      imei: null,
      softwareVersion: null,
    })
  })

  it('6: a 2013 registration with a GBK plate', () => {
    const { header, body } = decodeReference(6)
    // The source labels the plate '苏BA68608', but its last 0x38 is the checksum: the body length
    // field (45) ends the plate one byte earlier, and the XOR of header and body is 0x38.
    expect(body).toHaveLength(45)
    expect(header).toMatchObject({ terminalNumber: '013511221122', serial: 5 })
    expect(decodeRegister(body, header.version)).toEqual({
      provinceId: 0,
      cityId: 0,
      makerId: '70107',
      model: 'HB-R03GBD',
      terminalId: '2366104',
      plateColor: 2,
      plate: '苏BA6860',
    })
  })

  it('7: a location with the undervoltage alarm and a vendor extra item', () => {
    const { header, body } = decodeReference(7)
    expect(header).toMatchObject({ terminalNumber: '012345678901', serial: 19 })
    const location = decodeLocation(body)
    expect(location).toMatchObject({
      alarmBits: 0x80,
      alarms: ['power_low'],
      acc: true,
      fixed: true,
      lat: 22.641605,
      lon: 114.032486,
      speedKmh: 0,
      at: gmt8('2021-07-26T20:35:31'),
    })
    expect(location.extras).toEqual({ mileageKm: 0, unknown: [{ id: 0xeb, bytes: 36 }] })
  })

  it('8: a 2019 batch of one normal location', () => {
    const { header, body } = decodeReference(8)
    expect(header).toMatchObject({ version: 2019, terminalNumber: '00000866496077582164', serial: 0x881d })
    const batch = decodeLocationBatch(body)
    expect(batch).toMatchObject({ type: 0, droppedItems: 0 })
    expect(batch.locations).toHaveLength(1)
    expect(batch.locations[0]).toMatchObject({
      statusBits: 7,
      acc: true,
      fixed: true,
      lat: -27.263378,
      lon: 153.037383,
      at: gmt8('2026-05-09T16:42:27'),
    })
    expect(batch.locations[0]!.extras).toMatchObject({ mileageKm: 960.2, satellites: 14, signalStrength: 0 })
  })

  it('all nine, fed in one chunk, come out as nine frames', () => {
    const stream = Buffer.from(frames.map((frame) => frame.hex).join(''), 'hex')
    const items = createFrameSplitter({ maxFrameBytes: 1100 }).push(stream)
    expect(items.map((item) => item.kind)).toEqual(Array(9).fill('frame'))
  })
})
