import { describe, expect, it } from 'vitest'
import { formatPupilCode } from '../../server/core/registers/pupil-code.js'
import { drawQrCode, encodeQrCode } from '../../test/support/qr-code.js'
import { decodeQr } from './qr-decoder.js'

/** A camera frame as the page hands it over: RGBA pixels of a grey picture. */
function frame(grey: Uint8Array, width: number, height: number): ImageData {
  const data = new Uint8ClampedArray(width * height * 4)
  grey.forEach((level, i) => data.set([level, level, level, 255], i * 4))
  return { data, width, height, colorSpace: 'srgb' } as ImageData
}

describe('reading a pupil card’s QR code from a camera frame', () => {
  it('finds the code in the picture', () => {
    const code = formatPupilCode(62_659_244)
    const size = { width: 320, height: 240, modulePx: 6 }
    expect(decodeQr(frame(drawQrCode(encodeQrCode(code), size), size.width, size.height))).toBe(code)
  })

  it('finds nothing in a blank picture', () => {
    expect(decodeQr(frame(new Uint8Array(160 * 120).fill(255), 160, 120))).toBeNull()
  })
})
