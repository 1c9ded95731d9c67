export interface Jt808VideoAlarms {
  /** 0x14: JT/T 1078 video alarm bits (signal loss, blocked camera, storage fault, …). */
  alarmBits: number
  /** 0x15: bit n set when channel n + 1 lost its video signal. */
  signalLossChannels?: number
  /** 0x16: bit n set when channel n + 1 is blocked. */
  blockedChannels?: number
  /** 0x17: bits 0–11 main storage units, 12–15 disaster-backup units, set when faulty. */
  storageFaults?: number
  /** 0x18: abnormal driving behaviour bits (0 fatigue, 1 phone call, 2 smoking) and fatigue 0–100. */
  abnormalDriving?: { bits: number; fatigueLevel: number }
}

export interface Jt808LocationExtras {
  mileageKm?: number
  fuelL?: number
  tachographSpeedKmh?: number
  signalStrength?: number
  satellites?: number
  /** 0x25: extended vehicle signal bits (lights, brake, turn signals, …). */
  vehicleSignalBits?: number
  /** 0x2A: I/O status bits (deep sleep, sleep). */
  ioStatusBits?: number
  videoAlarms?: Jt808VideoAlarms
  /** Items read by nobody here: their id and length, kept so a report shows what terminals send. */
  unknown: { id: number; bytes: number }[]
}

/**
 * The extra items after the fixed 28 bytes of a location: `id (1), length (1), value`. An item of
 * an unexpected length is kept as unknown rather than misread; an item running past the body ends
 * the list, and what is left is kept as one unknown item.
 */
export function decodeLocationExtras(items: Buffer): Jt808LocationExtras {
  const extras: Jt808LocationExtras = { unknown: [] }
  let at = 0
  while (at + 2 <= items.length) {
    const id = items[at]!
    const length = items[at + 1]!
    const value = items.subarray(at + 2, at + 2 + length)
    at += 2 + length
    if (value.length < length) {
      extras.unknown.push({ id, bytes: value.length })
      break
    }
    if (!readItem(extras, id, value)) extras.unknown.push({ id, bytes: length })
  }
  return extras
}

/** Stores one known item; false when the id is unknown or its length is not the standard one. */
function readItem(extras: Jt808LocationExtras, id: number, value: Buffer): boolean {
  const dword = value.length === 4 ? value.readUInt32BE(0) : null
  const word = value.length === 2 ? value.readUInt16BE(0) : null
  const byte = value.length === 1 ? value[0]! : null
  const video = () => (extras.videoAlarms ??= { alarmBits: 0 })
  switch (id) {
    case 0x01:
      if (dword === null) return false
      extras.mileageKm = dword / 10
      return true
    case 0x02:
      if (word === null) return false
      extras.fuelL = word / 10
      return true
    case 0x03:
      if (word === null) return false
      extras.tachographSpeedKmh = word / 10
      return true
    case 0x14:
      if (dword === null) return false
      video().alarmBits = dword
      return true
    case 0x15:
      if (dword === null) return false
      video().signalLossChannels = dword
      return true
    case 0x16:
      if (dword === null) return false
      video().blockedChannels = dword
      return true
    case 0x17:
      if (word === null) return false
      video().storageFaults = word
      return true
    case 0x18:
      if (value.length !== 3) return false
      video().abnormalDriving = { bits: value.readUInt16BE(0), fatigueLevel: value[2]! }
      return true
    case 0x25:
      if (dword === null) return false
      extras.vehicleSignalBits = dword
      return true
    case 0x2a:
      if (word === null) return false
      extras.ioStatusBits = word
      return true
    case 0x30:
      if (byte === null) return false
      extras.signalStrength = byte
      return true
    case 0x31:
      if (byte === null) return false
      extras.satellites = byte
      return true
    default:
      return false
  }
}
