/**
 * A QR code (version 1, error correction L, byte mode, mask 0) for up to 17 bytes of text: enough
 * for a pupil card's code, so that the tests can show a card to a camera. Follows ISO/IEC 18004;
 * returns the modules row by row, true for dark.
 */
export function encodeQrCode(text: string): boolean[][] {
  const bytes = [...new TextEncoder().encode(text)]
  if (bytes.length > 17) throw new Error(`a version 1 code holds 17 bytes, not ${bytes.length}`)
  const size = 21
  const dataCodewords = 19
  const ecCodewords = 7

  const bits: number[] = []
  const push = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1)
  }
  push(0b0100, 4)
  push(bytes.length, 8)
  for (const b of bytes) push(b, 8)
  push(0, Math.min(4, dataCodewords * 8 - bits.length))
  push(0, (8 - (bits.length % 8)) % 8)
  const data: number[] = []
  for (let i = 0; i < bits.length; i += 8) data.push(parseInt(bits.slice(i, i + 8).join(''), 2))
  for (let pad = 0xec; data.length < dataCodewords; pad ^= 0xec ^ 0x11) data.push(pad)
  const codewords = [...data, ...reedSolomonRemainder(data, ecCodewords)]

  const dark = Array.from({ length: size }, () => new Array<boolean>(size).fill(false))
  const fixed = Array.from({ length: size }, () => new Array<boolean>(size).fill(false))
  const setFixed = (row: number, col: number, isDark: boolean) => {
    dark[row]![col] = isDark
    fixed[row]![col] = true
  }
  for (let i = 0; i < size; i++) {
    setFixed(6, i, i % 2 === 0)
    setFixed(i, 6, i % 2 === 0)
  }
  for (const [centreRow, centreCol] of [
    [3, 3],
    [3, size - 4],
    [size - 4, 3],
  ] as const) {
    for (let dr = -4; dr <= 4; dr++) {
      for (let dc = -4; dc <= 4; dc++) {
        const row = centreRow + dr
        const col = centreCol + dc
        const ring = Math.max(Math.abs(dr), Math.abs(dc))
        if (row >= 0 && row < size && col >= 0 && col < size) setFixed(row, col, ring !== 2 && ring !== 4)
      }
    }
  }
  // Format information: level L (01) and mask 0, with its BCH code, in both copies.
  const format = 0b01 << 3
  let remainder = format
  for (let i = 0; i < 10; i++) remainder = (remainder << 1) ^ ((remainder >>> 9) * 0x537)
  const formatBits = ((format << 10) | remainder) ^ 0x5412
  const bit = (i: number) => ((formatBits >>> i) & 1) === 1
  for (let i = 0; i <= 5; i++) setFixed(i, 8, bit(i))
  setFixed(7, 8, bit(6))
  setFixed(8, 8, bit(7))
  setFixed(8, 7, bit(8))
  for (let i = 9; i < 15; i++) setFixed(8, 14 - i, bit(i))
  for (let i = 0; i < 8; i++) setFixed(8, size - 1 - i, bit(i))
  for (let i = 8; i < 15; i++) setFixed(size - 15 + i, 8, bit(i))
  setFixed(size - 8, 8, true)

  // The codewords in the zigzag of column pairs from the bottom right, mask 0 applied.
  let next = 0
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5
    for (let step = 0; step < size; step++) {
      for (let j = 0; j < 2; j++) {
        const col = right - j
        const row = ((right + 1) & 2) === 0 ? size - 1 - step : step
        if (fixed[row]![col]) continue
        const value = next < codewords.length * 8 && ((codewords[next >>> 3]! >>> (7 - (next & 7))) & 1) === 1
        next++
        dark[row]![col] = value !== ((row + col) % 2 === 0)
      }
    }
  }
  return dark
}

function multiply(x: number, y: number): number {
  let z = 0
  for (let i = 7; i >= 0; i--) {
    z = (z << 1) ^ ((z >>> 7) * 0x11d)
    z ^= ((y >>> i) & 1) * x
  }
  return z
}

function reedSolomonRemainder(data: readonly number[], degree: number): number[] {
  const divisor = new Array<number>(degree).fill(0)
  divisor[degree - 1] = 1
  let root = 1
  for (let i = 0; i < degree; i++) {
    for (let j = 0; j < degree; j++) {
      divisor[j] = multiply(divisor[j]!, root)
      if (j + 1 < degree) divisor[j]! ^= divisor[j + 1]!
    }
    root = multiply(root, 0x02)
  }
  const result = new Array<number>(degree).fill(0)
  for (const b of data) {
    const factor = b ^ result.shift()!
    result.push(0)
    divisor.forEach((coefficient, i) => (result[i]! ^= multiply(coefficient, factor)))
  }
  return result
}

/** The code drawn in grey levels (0 black, 255 white), `modulePx` per module, in a 4-module margin. */
export function drawQrCode(
  modules: readonly (readonly boolean[])[],
  options: { width: number; height: number; modulePx: number },
): Uint8Array {
  const pixels = new Uint8Array(options.width * options.height).fill(255)
  const sidePx = (modules.length + 8) * options.modulePx
  const left = Math.floor((options.width - sidePx) / 2) + 4 * options.modulePx
  const top = Math.floor((options.height - sidePx) / 2) + 4 * options.modulePx
  modules.forEach((row, r) =>
    row.forEach((isDark, c) => {
      if (!isDark) return
      for (let y = 0; y < options.modulePx; y++) {
        const start = (top + r * options.modulePx + y) * options.width + left + c * options.modulePx
        pixels.fill(0, start, start + options.modulePx)
      }
    }),
  )
  return pixels
}
