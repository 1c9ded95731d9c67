export type Jt808Alarm =
  | 'sos'
  | 'over_speed'
  | 'fatigue'
  | 'gnss_fault'
  | 'antenna_open'
  | 'antenna_short'
  | 'under_voltage'
  | 'power_lost'
  | 'camera_fault'
  | 'over_speed_warning'
  | 'driving_time_exceeded'
  | 'overtime_parking'
  | 'area'
  | 'route'
  | 'route_deviation'
  | 'illegal_ignition'
  | 'illegal_movement'
  | 'collision'
  | 'rollover'
  | 'door_opened_illegally'

/** Bits of the alarm word (JT/T 808-2013 table 24) that the platform names; the rest stay in the word. */
const alarmBits: [number, Jt808Alarm][] = [
  [0, 'sos'],
  [1, 'over_speed'],
  [2, 'fatigue'],
  [4, 'gnss_fault'],
  [5, 'antenna_open'],
  [6, 'antenna_short'],
  [7, 'under_voltage'],
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

export function nameAlarms(alarmWord: number): Jt808Alarm[] {
  return alarmBits.filter(([bit]) => ((alarmWord >>> bit) & 1) === 1).map(([, name]) => name)
}

/** Doors 1–5 are status bits 13–17, set while that door is open. */
export function listOpenDoors(statusWord: number): number[] {
  return [1, 2, 3, 4, 5].filter((door) => ((statusWord >>> (12 + door)) & 1) === 1)
}
