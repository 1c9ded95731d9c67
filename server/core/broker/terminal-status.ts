/**
 * What a bus's own terminal says about the bus beyond its position, in the telemetry contract
 * (the `terminal` object of a gps report) and in the store (positions.terminal). Any terminal
 * protocol maps onto it: the JT/T 808 gateway fills it from a location's alarm and status words and
 * its extra items. Every field is optional: a terminal sends what it has.
 */
export interface TerminalStatus {
  /** The alarms the terminal reports as set in this report (names below). */
  alarms?: TerminalAlarm[]
  /** Doors open, numbered from 1. */
  doorsOpen?: number[]
  /** The terminal's odometer. */
  mileageKm?: number
  /** Satellites used for the fix. */
  satellites?: number
  /** Mobile network signal strength as the terminal reports it (JT/T 808: 0–31). */
  signalStrength?: number
  /** The video recorder's health (JT/T 1078), when the terminal reports it. */
  video?: VideoRecorderStatus
}

export interface VideoRecorderStatus {
  /** Cameras (channels, from 1) that lost their video signal. */
  signalLostChannels?: number[]
  /** Cameras whose view is blocked. */
  blockedChannels?: number[]
  /** Storage units reported faulty, main ones and disaster-backup ones, numbered from 1. */
  faultyMainStorage?: number[]
  faultyBackupStorage?: number[]
  /** The driver's behaviour as the recorder's analysis sees it, and its fatigue level 0–100. */
  driverBehaviours?: DriverBehaviour[]
  fatigueLevel?: number
}

export const driverBehaviours = ['fatigue', 'phone_call', 'smoking'] as const
export type DriverBehaviour = (typeof driverBehaviours)[number]

/**
 * The alarms a terminal can report. The first group is the terminal's alarm word (JT/T 808-2013
 * table 24), the second the video recorder's (JT/T 1078 table 13). Kept as names, not bits, so
 * the store and the pages read the same words whatever protocol the terminal speaks.
 */
export const terminalAlarms = [
  'sos',
  'over_speed',
  'over_speed_warning',
  'fatigue',
  'gnss_fault',
  'gnss_antenna_open',
  'gnss_antenna_short',
  'power_low',
  'power_lost',
  'camera_fault',
  'driving_time_exceeded',
  'overtime_parking',
  'area',
  'route',
  'route_deviation',
  'illegal_ignition',
  'illegal_movement',
  'collision',
  'rollover',
  'door_opened_illegally',
  'video_signal_lost',
  'video_blocked',
  'video_storage_fault',
  'video_device_fault',
  'passenger_overload',
  'abnormal_driving',
  'video_storage_full',
] as const
export type TerminalAlarm = (typeof terminalAlarms)[number]

/**
 * The alarms the bureau is alerted to: each episode of one (from the first report that sets it to
 * the first that no longer does) becomes an event `terminal_<alarm>`. The others (area and route
 * entries, parking time, warnings that precede an alarm) stay in the reports.
 */
export const alertedTerminalAlarms = [
  'sos',
  'over_speed',
  'fatigue',
  'gnss_fault',
  'gnss_antenna_open',
  'gnss_antenna_short',
  'power_low',
  'power_lost',
  'camera_fault',
  'door_opened_illegally',
  'collision',
  'rollover',
  'video_signal_lost',
  'video_blocked',
  'video_storage_fault',
  'video_device_fault',
  'passenger_overload',
  'abnormal_driving',
] as const satisfies readonly TerminalAlarm[]
export type AlertedTerminalAlarm = (typeof alertedTerminalAlarms)[number]

export type TerminalAlarmEventKind = `terminal_${AlertedTerminalAlarm}`

export const terminalAlarmEventKind = (alarm: AlertedTerminalAlarm): TerminalAlarmEventKind =>
  `terminal_${alarm}`

export const terminalAlarmEventKinds: readonly TerminalAlarmEventKind[] =
  alertedTerminalAlarms.map(terminalAlarmEventKind)
