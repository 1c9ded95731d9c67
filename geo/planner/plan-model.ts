import type { LatLon, LonLatPosition } from '../lat-lon.js'

/**
 * What the line planner reads and what it answers. Times of day are seconds after local midnight
 * (Asia/Shanghai) of a school day; the server turns the Cixi world and a request into a PlanInput.
 */

export interface PlanPupil {
  id: string
  home: LatLon
  grade: number
  schoolId: string
  dismissalWaveId: string
}

export interface PlanSchool {
  id: string
  name: string
  location: LatLon
  /** When each grade's day starts. */
  startTimes: { grade: number; timeS: number }[]
  dismissalWaves: { id: string; name: string; timeS: number; grades: number[] }[]
}

/** A transit hub (bus station, metro stop) a micro-bus line may start from. */
export interface PlanHub {
  id: string
  name: string
  location: LatLon
}

export interface PlanBusType {
  id: string
  name: string
  seats: number
  /** How many the bureau has; null when more can be hired (micro-buses). */
  available: number | null
  costPerDayYuan: number
  costPerKmYuan: number
  costPerHourYuan: number
}

/** Moves a school's start (or one grade's) or one dismissal wave by some minutes. */
export interface TimeShift {
  schoolId: string
  /** A morning start: the grade it applies to, all grades when omitted. */
  grade?: number
  /** An afternoon wave; when set, `grade` is ignored. */
  waveId?: string
  shiftMin: number
}

/** How far the bureau lets a start or a wave move, in minutes (negative: earlier). */
export interface ShiftWindow {
  schoolId: string
  grade?: number
  waveId?: string
  earliestMin: number
  latestMin: number
}

export interface PlanSettings {
  walkLimitM: number
  /** The walk limit of the youngest pupils (grades up to youngGradesUpTo). */
  youngWalkLimitM: number
  youngGradesUpTo: number
  /** The most pupils one stop may gather. */
  stopCapacity: number
  /** A stop with fewer pupils is not served; its pupils are listed as lone homes. */
  minStopPupils: number
  /** Longest ride any pupil may have. */
  maxRideS: number
  /** A morning bus reaches school between these many seconds before the bell. */
  arriveBeforeBellMaxS: number
  arriveBeforeBellMinS: number
  /** An afternoon bus leaves school at most this long after its wave is released. */
  departAfterDismissalMaxS: number
  timeShifts: TimeShift[]
  /** Where the bureau allows times to move: the plan then proposes the shifts that save most buses. */
  shiftWindows: ShiftWindow[]
  /**
   * Planning time per ride group (a school's bell or dismissal wave): the groups' routings under
   * several caps on route duration and the choice among them share groups × this.
   */
  searchTimeLimitMs: number
}

export const defaultPlanSettings: PlanSettings = {
  walkLimitM: 500,
  youngWalkLimitM: 300,
  youngGradesUpTo: 2,
  stopCapacity: 40,
  minStopPupils: 2,
  maxRideS: 2700,
  arriveBeforeBellMaxS: 20 * 60,
  arriveBeforeBellMinS: 5 * 60,
  departAfterDismissalMaxS: 10 * 60,
  timeShifts: [],
  shiftWindows: [],
  searchTimeLimitMs: 2000,
}

export interface PlanInput {
  pupils: PlanPupil[]
  schools: PlanSchool[]
  hubs: PlanHub[]
  fleet: PlanBusType[]
  /** Where buses start and end the day. */
  depots: LatLon[]
  settings: PlanSettings
  /** Today's service on the same pupils, for the comparisons; none when omitted. */
  today?: TodayService
}

/** One trip of today's service: a regulation school bus's trip or a line's run. */
export interface TodayTrip extends PlannedTrip {
  kind: 'school_bus' | 'micro_bus' | 'custom_bus'
  /** One of the input fleet's types. */
  busTypeId: string
  /**
   * The bus that drives it (a regulation bus runs its own trips); null for a line run, whose runs
   * the planner chains onto the fewest buses because the lines' vehicle rosters are not known.
   */
  vehicleId: string | null
}

/** The service that runs today; its trips' stopIds are the ids of `stops`. */
export interface TodayService {
  /** Names the pupils it is measured on, e.g. `riders`; the comparison's scope. */
  scope: string
  stops: { id: string; name: string; location: LatLon }[]
  trips: TodayTrip[]
}

export interface PlannedStop {
  id: string
  name: string
  /** On a road a bus may use. */
  location: LatLon
  pupilIds: string[]
  schoolIds: string[]
  /** Longest walk on the road network from a home assigned to it. */
  maxWalkM: number
}

export type UnservedReason = 'no_bus_road_within_walk_limit' | 'lone_home' | 'ride_too_long'

export interface UnservedPupil {
  pupilId: string
  reason: UnservedReason
}

/** An unserved pupil as the plan reports it: with its school and grade, never a name or a home. */
export interface UnservedRider extends UnservedPupil {
  schoolId: string
  grade: number
}

export interface PlannedTripStop {
  /** A PlannedStop's id, a school's id (its gate) or a hub's id. */
  stopId: string
  arriveS: number
  departS: number
  board: string[]
  alight: string[]
}

export interface PlannedTrip {
  id: string
  lineId: string
  direction: 'to_school' | 'from_school'
  schoolIds: string[]
  /** The afternoon wave it carries home; null in the morning. */
  waveId: string | null
  stops: PlannedTripStop[]
  distanceM: number
  durationS: number
}

export interface PlannedLine {
  id: string
  name: string
  kind: 'custom_bus' | 'micro_bus'
  busTypeId: string
  stopIds: string[]
  schoolIds: string[]
  tripIds: string[]
  /** Driven on the roads through the line's stops. */
  geometry: { type: 'LineString'; coordinates: LonLatPosition[] }
}

/** One bus's day: the trips it chains, in order. */
export interface PlannedVehicle {
  id: string
  busTypeId: string
  tripIds: string[]
}

export interface PlanMetrics {
  pupils: number
  pupilsServed: number
  /** Share of the pupils with a stop within their walk limit, 0..1. */
  coverageWithinWalk: number
  meanWalkM: number
  maxWalkM: number
  meanRideS: number
  maxRideS: number
  buses: number
  busKmPerDay: number
  busHoursPerDay: number
  /** Mean share of seats filled on leaving the busiest point of each trip, 0..1. */
  seatUse: number
  costPerDayYuan: number
  /** The buses, driving and cost of each bus type used; their costs add up to costPerDayYuan. */
  parts: ServicePart[]
}

/** One bus type's share of a service's day, counted as its total is. */
export interface ServicePart {
  busTypeId: string
  seats: number
  /** Hired per day (micro-buses, custom buses) rather than the bureau's own regulation buses. */
  hired: boolean
  buses: number
  busKmPerDay: number
  busHoursPerDay: number
  costPerDayYuan: number
}

/** Today's service and the plan on the same pupils. */
export interface PlanComparison {
  scope: string
  today: PlanMetrics
  proposed: PlanMetrics
}

export interface PlanResult {
  stops: PlannedStop[]
  unserved: UnservedRider[]
  lines: PlannedLine[]
  /** The transit hubs the lines call at (micro-bus lines start at one), with their names. */
  hubs: PlanHub[]
  trips: PlannedTrip[]
  vehicles: PlannedVehicle[]
  metrics: PlanMetrics
  comparisons: PlanComparison[]
  /** When shift windows were given: the shifts that save most buses, and what they save. */
  shiftProposal: ShiftProposal | null
  /** A what-if's account of what it planned again and what it kept of its base plan; absent otherwise. */
  replanned?: ReplanSummary
}

/** Why a what-if planned everything again instead of only what its time shifts touch. */
export type FullReplanReason =
  /** The base plan was stored without the workings a what-if re-uses (an older plan). */
  | 'base_without_workings'
  /** The pupils, schools, fleet or settings (other than the times) differ from the base plan's. */
  | 'input_changed'
  /** The roads or the router differ from those the base plan drove on. */
  | 'roads_changed'
  /** The stored workings could not be read, or do not fit the plan's places and groups. */
  | 'workings_unusable'

/** A custom-bus ride group a what-if routed again: a school's bell or wave whose times moved. */
export interface ReplannedGroup {
  key: string
  schoolId: string
  direction: 'to_school' | 'from_school'
  /** The bell or the release after the time shifts. */
  timeS: number
  waveId: string | null
  pupils: number
}

export interface ReplanSummary {
  /** `partial`: only the ride groups whose times moved were routed again; `full`: everything was. */
  mode: 'partial' | 'full'
  reason: FullReplanReason | null
  /** The custom-bus ride groups routed again (every group when `full`). */
  groups: ReplannedGroup[]
  /** Ride groups that kept the base plan's routes as they were. */
  reusedGroups: number
  /** Micro-bus line runs, which need no search: timed again when their bell or wave moved. */
  microRuns: { retimed: number; kept: number }
  /** The same account for the plan of the line riders behind the comparison, when there is one. */
  comparison: { groups: number; reusedGroups: number } | null
}

export interface ShiftProposal {
  shifts: TimeShift[]
  busesBefore: number
  busesAfter: number
  meanRideSBefore: number
  meanRideSAfter: number
}

/** Progress a long plan reports, so that a page can show it and offer to cancel. */
export interface PlanProgress {
  phase: 'stops' | 'table' | 'routes' | 'chaining' | 'geometry' | 'metrics'
  /** 0..1 over the whole plan. */
  fraction: number
}

/** How a caller watches and stops a plan that runs for a while. */
export interface PlanRunControl {
  /** Milliseconds; Date.now when omitted. */
  now?: () => number
  /** Polled often: true cancels the plan, which then rejects with a GeoError `cancelled` */
  shouldStop?: () => boolean
  onProgress?: (progress: PlanProgress) => void
}
