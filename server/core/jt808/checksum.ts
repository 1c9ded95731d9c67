/** The frame check code: XOR of every byte of header and body. */
export function xorChecksum(bytes: Uint8Array, end: number = bytes.length): number {
  let sum = 0
  for (let i = 0; i < end; i++) sum ^= bytes[i]!
  return sum
}
