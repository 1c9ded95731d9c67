/** BCD bytes as the digits sent, two per byte, leading zeros kept (a stray A–F nibble stays visible). */
export function decodeBcdDigits(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase()
}

/** `digits` (0–9, or hex digits as a terminal sent them) left-padded with zeros into `byteCount` bytes. */
export function encodeBcdDigits(digits: string, byteCount: number): Buffer {
  if (!/^[0-9A-Fa-f]*$/.test(digits) || digits.length > byteCount * 2) {
    throw new RangeError(`"${digits}" does not fit ${byteCount} BCD bytes`)
  }
  return Buffer.from(digits.padStart(byteCount * 2, '0'), 'hex')
}
