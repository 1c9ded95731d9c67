import { requireBodyBytes } from './body-error.js'
import { decodeGbkField, decodeGbkText } from './gbk.js'

export interface Jt808Authentication {
  authCode: string
  /** 2019 only. */
  imei: string | null
  /** 2019 only. */
  softwareVersion: string | null
}

const imeiBytes = 15
const softwareVersionBytes = 20

/**
 * 0x0102. In 2013 the whole body is the code; 2019 puts its length first and the IMEI and software
 * version after it. A 2019 header over a body whose first byte does not account for the rest is
 * read as 2013, as some terminals send.
 */
export function decodeAuthenticate(body: Buffer, version: 2013 | 2019 = 2013): Jt808Authentication {
  requireBodyBytes(body, 1, 'authenticate')
  const codeBytes = body[0]!
  const is2019Layout = version === 2019 && 1 + codeBytes + imeiBytes + softwareVersionBytes === body.length
  if (!is2019Layout) return { authCode: decodeGbkText(body), imei: null, softwareVersion: null }
  const imeiAt = 1 + codeBytes
  const versionAt = imeiAt + imeiBytes
  return {
    authCode: decodeGbkText(body.subarray(1, imeiAt)),
    imei: decodeGbkField(body.subarray(imeiAt, versionAt)) || null,
    softwareVersion: decodeGbkField(body.subarray(versionAt)) || null,
  }
}
