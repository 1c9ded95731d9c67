import { defaultEventRuleOptions } from '../schedule/event-rule-options.js'

/**
 * How the daily aggregates measure, in one place: the store's day refresh (report-day-queries.ts)
 * takes its thresholds from here, and the reports' column notes say the same.
 */
export const reportRules = {
  /** A bus at the school gate at most this long after the planned call is on time. */
  onTimeLateS: 300,
  /**
   * Km are measured between the middles (median latitude and longitude) of each bus's positions in
   * slots of this length: at one report a second, independent GPS noise between consecutive fixes
   * would add a tenth to the km, while the middle of ten fixes moves only as the bus does, and a
   * stray fix does not move it at all.
   */
  distanceSlotS: 10,
  /** Slots further apart than this are a hole in the track: the path between them is unknown. */
  maxGapS: 300,
  /** Faster than this between two slots is a GPS jump, not driving. */
  maxImpliedKmh: 150,
  /** A stretch counts as driven (km and moving time) where the bus reported at least this speed. */
  movingKmh: defaultEventRuleOptions.movingKmh,
  /** A trip's positions are those from this long before its first stop… */
  tripLeadS: defaultEventRuleOptions.tripLeadS,
  /** …to this long after its last, as the event rules run it; the nearest trip takes an overlap. */
  tripGraceS: defaultEventRuleOptions.tripGraceS,
  /** A trip drove if this much of its km was seen, even with no stop arrival, end or scan. */
  tripDrivenM: 1000,
} as const

/** The event kinds that are route violations (the bureau's approved route and stops). */
export const routeViolationKinds = ['route_off_corridor', 'stop_skipped', 'stop_unapproved'] as const

/** One alarm kind in a period: how many, and how soon they were acknowledged and closed. */
export interface AlarmTally {
  count: number
  acknowledged: number
  /** Seconds from each acknowledged alarm's start to its acknowledgement, added up. */
  acknowledgeS: number
  closed: number
  /** Seconds from each closed alarm's start to its closing, added up. */
  closeS: number
}

/** What a bus day or a trip day holds, and what a report adds up. */
export interface DayMeasures {
  tripsRun: number
  distanceM: number
  movingS: number
  /** Calls at the school gate: on time (≤ onTimeLateS late), late, and trips run with no arrival seen. */
  schoolCallsOnTime: number
  schoolCallsLate: number
  schoolCallsUnseen: number
  overSpeedEpisodes: number
  overSpeedS: number
  /** Episodes by the road class at their peak ('unknown' without a road). */
  overSpeedByRoad: Record<string, number>
  limiterOffS: number
  silentS: number
  /** By event kind (routeViolationKinds, and any other the route checks raise). */
  routeViolations: Record<string, number>
  /** By event kind: every event the bureau's alarm catalogue opens a case for. */
  alarms: Record<string, AlarmTally>
  /** Distinct pupils scanned on. */
  pupilIds: string[]
  /** Pupils scanned on per trip, added up: one pupil on two trips is two rides. */
  pupilRides: number
}

export interface BusDay extends DayMeasures {
  date: string
  busId: string
  driverId: string | null
  attendantId: string | null
  townId: string | null
  reports: number
  maxSpeedKmh: number | null
}

export interface TripDay extends DayMeasures {
  date: string
  tripId: string
  busId: string
  driverId: string | null
  attendantId: string | null
  schoolId: string | null
  direction: string | null
  plannedSchoolAt: Date | null
  arrivedSchoolAt: Date | null
}

export function emptyMeasures(): DayMeasures {
  return {
    tripsRun: 0,
    distanceM: 0,
    movingS: 0,
    schoolCallsOnTime: 0,
    schoolCallsLate: 0,
    schoolCallsUnseen: 0,
    overSpeedEpisodes: 0,
    overSpeedS: 0,
    overSpeedByRoad: {},
    limiterOffS: 0,
    silentS: 0,
    routeViolations: {},
    alarms: {},
    pupilIds: [],
    pupilRides: 0,
  }
}

const addCounts = (into: Record<string, number>, from: Readonly<Record<string, number>>) => {
  for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n
}

/**
 * Adds `day` into `total`, in place; pupils are gathered in `pupils` so that each counts once
 * (the caller sets total.pupilIds from it when done).
 */
export function addMeasures(total: DayMeasures, day: DayMeasures, pupils: Set<string>): void {
  total.tripsRun += day.tripsRun
  total.distanceM += day.distanceM
  total.movingS += day.movingS
  total.schoolCallsOnTime += day.schoolCallsOnTime
  total.schoolCallsLate += day.schoolCallsLate
  total.schoolCallsUnseen += day.schoolCallsUnseen
  total.overSpeedEpisodes += day.overSpeedEpisodes
  total.overSpeedS += day.overSpeedS
  addCounts(total.overSpeedByRoad, day.overSpeedByRoad)
  total.limiterOffS += day.limiterOffS
  total.silentS += day.silentS
  addCounts(total.routeViolations, day.routeViolations)
  for (const [kind, tally] of Object.entries(day.alarms)) {
    const sum = (total.alarms[kind] ??= { count: 0, acknowledged: 0, acknowledgeS: 0, closed: 0, closeS: 0 })
    sum.count += tally.count
    sum.acknowledged += tally.acknowledged
    sum.acknowledgeS += tally.acknowledgeS
    sum.closed += tally.closed
    sum.closeS += tally.closeS
  }
  for (const pupil of day.pupilIds) pupils.add(pupil)
  total.pupilRides += day.pupilRides
}
