import { defaultSimulatorSeed } from '../../server/core/config/config-schema.js'

/** A closed range [min, max] a value is drawn from uniformly. */
export type Range = readonly [min: number, max: number]

export interface DrivingSettings {
  /** Seconds between fixes while the ignition is on. */
  reportIntervalS: number
  /** Seconds between fixes of a parked bus with the ignition off (terminals report less often). */
  parkedReportIntervalS: number
  /** Moving off from a standstill; a loaded bus pulls less at speed (see bus-motion.ts). */
  accelerationMs2: number
  /** The comfortable deceleration a driver plans with for stops, turns and slower roads. */
  brakingMs2: number
  /** The hardest deceleration, for traffic that slows suddenly. */
  hardBrakingMs2: number
  /** Each driver's pace: a factor on the road's free-flow speed, drawn once per driver. */
  driverPace: Range
  /** What the speed limiter holds the bus to while active (GB 7258 asks 80 km/h of school buses). */
  limiterKmh: number
  /** Opening and closing the doors and the attendant's check, per stop. */
  dwellBaseS: Range
  /** Each pupil getting on or off. */
  dwellPerPupilS: Range
}

export interface FaultRates {
  /** Share of drivers who speed now and then; the others never go above the limit. */
  speedingDriverShare: number
  /** For a speeding driver, episodes started per hour driven on arterials and the expressway. */
  speedingEpisodesPerArterialHour: number
  speedingEpisodeS: Range
  /** How far above the school-bus limit of the road an episode goes. */
  speedingOverKmh: Range
  /** Per hour with the ignition on, the chance the limiter is switched off; later it is on again. */
  limiterDisabledPerDrivingHour: number
  limiterDisabledS: Range
  limiterFaultPerDrivingHour: number
  limiterFaultS: Range
  /**
   * Per hour with the ignition on, the chance the terminal loses power (a loose fuse, a pulled
   * plug): it sends nothing, and keeps nothing to send, until power is back.
   */
  terminalOffPerDrivingHour: number
  terminalOffS: Range
  /** One hole in the mobile network per this many kilometres of road, on average. */
  coverageHoleEveryKm: number
  coverageHoleRadiusM: Range
  /** Share of terminals that keep fixes taken without coverage and send them when it returns. */
  bufferingTerminalShare: number
  /** Share of reports delivered twice (a QoS 1 resend after a lost acknowledgement). */
  duplicateShare: number
  /** Share of reports held up in the mobile network, arriving after newer ones. */
  lateShare: number
  lateDelayS: Range
  /** Normal delivery delay through the mobile network and the broker. */
  networkDelayS: Range
  /** Each terminal's reported accuracy; the position error is Gaussian with half of it as sigma. */
  gpsAccuracyM: Range
  /** Share of terminals that send `ts` as epoch milliseconds rather than ISO-8601. */
  epochMsTerminalShare: number
}

export interface SimulationSettings {
  seed: number
  driving: DrivingSettings
  faults: FaultRates
}

export const defaultDrivingSettings: DrivingSettings = {
  reportIntervalS: 1,
  parkedReportIntervalS: 60,
  accelerationMs2: 1.0,
  brakingMs2: 1.0,
  hardBrakingMs2: 3.0,
  driverPace: [0.95, 1.15],
  limiterKmh: 80,
  dwellBaseS: [12, 25],
  dwellPerPupilS: [2, 4],
}

export const defaultFaultRates: FaultRates = {
  speedingDriverShare: 0.3,
  speedingEpisodesPerArterialHour: 6,
  speedingEpisodeS: [6, 30],
  speedingOverKmh: [3, 16],
  limiterDisabledPerDrivingHour: 0.1,
  limiterDisabledS: [300, 1800],
  limiterFaultPerDrivingHour: 0.01,
  limiterFaultS: [600, 3600],
  terminalOffPerDrivingHour: 0,
  terminalOffS: [180, 900],
  coverageHoleEveryKm: 10,
  coverageHoleRadiusM: [60, 220],
  bufferingTerminalShare: 0.6,
  duplicateShare: 0.003,
  lateShare: 0.003,
  lateDelayS: [3, 120],
  networkDelayS: [0.05, 0.4],
  gpsAccuracyM: [3, 10],
  epochMsTerminalShare: 0.2,
}

export interface SimulationOverrides {
  seed?: number
  driving?: Partial<DrivingSettings>
  faults?: Partial<FaultRates>
}

export function resolveSimulationSettings(overrides: SimulationOverrides = {}): SimulationSettings {
  return {
    seed: overrides.seed ?? defaultSimulatorSeed,
    driving: { ...defaultDrivingSettings, ...overrides.driving },
    faults: { ...defaultFaultRates, ...overrides.faults },
  }
}

/** Every fault switched off: a clean fleet, for checking the driving on its own. */
export const noFaults: Partial<FaultRates> = {
  speedingDriverShare: 0,
  limiterDisabledPerDrivingHour: 0,
  limiterFaultPerDrivingHour: 0,
  terminalOffPerDrivingHour: 0,
  coverageHoleEveryKm: Infinity,
  duplicateShare: 0,
  lateShare: 0,
}
