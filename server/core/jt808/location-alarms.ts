import type { TerminalAlarm } from '../broker/terminal-status.js'

/**
 * Bits of the alarm word (JT/T 808-2013 table 24) that the platform names; the rest stay in the
 * word. Bits 3, 14 and 22 (danger and fatigue pre-warnings, a road section's driving time) are left
 * out: their meaning changed between editions of the standard.
 */
const alarmBits: [number, TerminalAlarm][] = [
  [0, 'sos'],
  [1, 'over_speed'],
  [2, 'fatigue'],
  [4, 'gnss_fault'],
  [5, 'gnss_antenna_open'],
  [6, 'gnss_antenna_short'],
  [7, 'power_low'],
  [8, 'power_lost'],
  [11, 'camera_fault'],
  [13, 'over_speed_warning'],
  [18, 'driving_time_exceeded'],
  [19, 'overtime_parking'],
  [20, 'area'],
  [21, 'route'],
  [23, 'route_deviation'],
  [27, 'illegal_ignition'],
  [28, 'illegal_movement'],
  [29, 'collision'],
  [30, 'rollover'],
  [31, 'door_opened_illegally'],
]

/** Bits of the video alarm item 0x14 (JT/T 1078-2016 table 13). */
const videoAlarmBits: [number, TerminalAlarm][] = [
  [0, 'video_signal_lost'],
  [1, 'video_blocked'],
  [2, 'video_storage_fault'],
  [3, 'video_device_fault'],
  [4, 'passenger_overload'],
  [5, 'abnormal_driving'],
  [6, 'video_storage_full'],
]

const namesOf = (word: number, bits: [number, TerminalAlarm][]) =>
  bits.filter(([bit]) => ((word >>> bit) & 1) === 1).map(([, name]) => name)

export function nameAlarms(alarmWord: number): TerminalAlarm[] {
  return namesOf(alarmWord, alarmBits)
}

export function nameVideoAlarms(videoAlarmWord: number): TerminalAlarm[] {
  return namesOf(videoAlarmWord, videoAlarmBits)
}

/** Doors 1–5 are status bits 13–17, set while that door is open. */
export function listOpenDoors(statusWord: number): number[] {
  return [1, 2, 3, 4, 5].filter((door) => ((statusWord >>> (12 + door)) & 1) === 1)
}

/** Bit n set → n + 1, for channel and storage-unit words; `firstBit` and `bits` pick a range. */
export function listSetBits(word: number, firstBit = 0, bits = 32): number[] {
  const set: number[] = []
  for (let bit = 0; bit < bits; bit++) if (((word >>> (firstBit + bit)) & 1) === 1) set.push(bit + 1)
  return set
}
