export interface EventRuleOptions {
  /** GPS speed may read a little high; only this much over the limit counts. */
  overSpeedToleranceKmh: number
  /** An episode is raised once the bus has been over for this long… */
  overSpeedMinDurationS: number
  /** …and over this many fixes, so one noisy fix raises nothing. */
  overSpeedMinFixes: number
  /** A raised episode ends after this many fixes in a row back under the limit. */
  overSpeedEndFixes: number
  /** Fixes further apart than this do not continue an episode: the bus was not seen in between. */
  maxFixGapS: number
  /** Faster than this, the bus is moving (GPS drift at a standstill stays below it). */
  movingKmh: number
  /** No GPS report for longer than this while a trip runs: the terminal is silent. */
  silentAfterS: number
  /** A trip runs from this long before its first stop's arrival time… */
  tripLeadS: number
  /** …to this long after its last stop's departure time, for buses running late. */
  tripGraceS: number
  /** A fix this close to a stop of the running trip is at the stop. */
  stopRadiusM: number
  /** Leaving counts only beyond this (more than stopRadiusM), so GPS noise at a stop is not a departure. */
  stopExitRadiusM: number
  /** Inside a stop's radius this long, or at a standstill, is an arrival. */
  stopDwellS: number
  stoppedKmh: number
  /** Fixes in a row beyond the exit radius that make a departure. */
  departureFixes: number
  /**
   * Terminals now and then leave an alarm's flag out of one report while it is still set: set again
   * within this long of its end, the alarm goes on as the same episode instead of raising a new one.
   */
  terminalAlarmRejoinS: number
  /** Arriving at a call of the trip this many minutes or more after its planned time makes the trip late. */
  lateTripMin: number
}

export const defaultEventRuleOptions: EventRuleOptions = {
  overSpeedToleranceKmh: 3,
  overSpeedMinDurationS: 5,
  overSpeedMinFixes: 3,
  overSpeedEndFixes: 2,
  maxFixGapS: 30,
  movingKmh: 5,
  silentAfterS: 120,
  tripLeadS: 600,
  tripGraceS: 1800,
  stopRadiusM: 50,
  stopExitRadiusM: 75,
  stopDwellS: 10,
  stoppedKmh: 1,
  departureFixes: 2,
  terminalAlarmRejoinS: 60,
  lateTripMin: 10,
}
