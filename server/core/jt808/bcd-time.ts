/** Terminals report local time of China, which keeps UTC+8 all year. */
const gmt8OffsetMs = 8 * 3600 * 1000

/**
 * Six BCD bytes YYMMDDhhmmss in GMT+8 → the instant, or null when a digit is not decimal or the
 * fields name no real time (terminals without a fix send zeros).
 */
export function decodeBcdTime(bytes: Uint8Array): Date | null {
  if (bytes.length < 6) return null
  const fields: number[] = []
  for (let i = 0; i < 6; i++) {
    const high = bytes[i]! >> 4
    const low = bytes[i]! & 0x0f
    if (high > 9 || low > 9) return null
    fields.push(high * 10 + low)
  }
  const [yy, month, day, hour, minute, second] = fields as [number, number, number, number, number, number]
  const year = 2000 + yy
  const localMs = Date.UTC(year, month - 1, day, hour, minute, second)
  const local = new Date(localMs)
  // Date.UTC rolls 31 April over into May; a time that rolls over is not one a clock shows.
  if (
    local.getUTCFullYear() !== year ||
    local.getUTCMonth() !== month - 1 ||
    local.getUTCDate() !== day ||
    local.getUTCHours() !== hour ||
    local.getUTCMinutes() !== minute ||
    local.getUTCSeconds() !== second
  ) {
    return null
  }
  return new Date(localMs - gmt8OffsetMs)
}

/** The instant as six BCD bytes YYMMDDhhmmss in GMT+8 (years 2000–2099). */
export function encodeBcdTime(at: Date): Buffer {
  const local = new Date(at.getTime() + gmt8OffsetMs)
  const fields = [
    local.getUTCFullYear() - 2000,
    local.getUTCMonth() + 1,
    local.getUTCDate(),
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
  ]
  if (fields[0]! < 0 || fields[0]! > 99) throw new RangeError(`${at.toISOString()} is outside 2000–2099`)
  return Buffer.from(fields.map((field) => String(field).padStart(2, '0')).join(''), 'hex')
}
