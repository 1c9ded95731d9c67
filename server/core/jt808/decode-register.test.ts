import { describe, expect, it } from 'vitest'
import { Jt808BodyError } from './body-error.js'
import { decodeAuthenticate } from './decode-authenticate.js'
import { decodeRegister } from './decode-register.js'
import { encodeGbkText } from './gbk.js'

/** A fixed-width ASCII field, padded with NULs after the text. */
const field = (text: string, bytes: number) =>
  Buffer.concat([Buffer.from(text), Buffer.alloc(bytes - text.length)])

describe('decode register', () => {
  const head = Buffer.from('0021' + '0102', 'hex')

  it('reads the 2019 layout with its wider fields', () => {
    const body = Buffer.concat([
      head,
      field('MAKER123456', 11),
      field('SB-2019-GPS', 30),
      field('T00042', 30),
      Buffer.from([1]),
      encodeGbkText('浙B12345'),
    ])
    expect(decodeRegister(body, 2019)).toEqual({
      provinceId: 0x21,
      cityId: 0x102,
      makerId: 'MAKER123456',
      model: 'SB-2019-GPS',
      terminalId: 'T00042',
      plateColor: 1,
      plate: '浙B12345',
    })
  })

  it('reads the 2011 layout, whose model is 8 bytes, and a 2013 layout under a 2019 header', () => {
    const body2011 = Buffer.concat([
      head,
      field('70107', 5),
      field('HB-R03', 8),
      field('2366104', 7),
      Buffer.from([2]),
      encodeGbkText('苏A1'),
    ])
    expect(decodeRegister(body2011)).toMatchObject({ model: 'HB-R03', terminalId: '2366104', plate: '苏A1' })
    const body2013 = Buffer.concat([
      head,
      field('70107', 5),
      field('HB-R03GBD', 20),
      field('2366104', 7),
      Buffer.from([2]),
      encodeGbkText('苏BA6860'),
    ])
    expect(decodeRegister(body2013, 2019)).toMatchObject({ model: 'HB-R03GBD', plate: '苏BA6860' })
  })

  it('refuses a body too short for any layout', () => {
    expect(() => decodeRegister(Buffer.alloc(24))).toThrow(Jt808BodyError)
  })
})

describe('decode authenticate', () => {
  it('reads the 2019 layout: code length, code, IMEI and software version', () => {
    const body = Buffer.concat([
      Buffer.from([6]),
      Buffer.from('a1b2c3'),
      field('866496077582164', 15),
      field('V2.1.0', 20),
    ])
    expect(decodeAuthenticate(body, 2019)).toEqual({
      authCode: 'a1b2c3',
      imei: '866496077582164',
      softwareVersion: 'V2.1.0',
    })
  })

  it('reads a whole-body code under a 2019 header when the length byte does not fit', () => {
    expect(decodeAuthenticate(Buffer.from('authentication'), 2019)).toEqual({
      authCode: 'authentication',
      imei: null,
      softwareVersion: null,
    })
  })

  it('keeps an empty IMEI as null and strips trailing NULs of a 2013 code', () => {
    const body = Buffer.concat([Buffer.from([2]), Buffer.from('ok'), Buffer.alloc(35)])
    expect(decodeAuthenticate(body, 2019)).toEqual({ authCode: 'ok', imei: null, softwareVersion: null })
    expect(decodeAuthenticate(Buffer.from('code\0\0'))).toMatchObject({ authCode: 'code' })
    expect(() => decodeAuthenticate(Buffer.alloc(0))).toThrow(Jt808BodyError)
  })
})
