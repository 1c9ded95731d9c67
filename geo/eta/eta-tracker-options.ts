import type { LegTimeTable } from './learned-leg-times.js'

/** One stop of this run's timetable, in epoch milliseconds. */
export interface ScheduledCall {
  arriveMs: number
  departMs: number
  /**
   * The bus does not leave this stop before `departMs` (a timepoint it holds at when early). The
   * first stop always holds: its pupils come out then.
   */
  holds?: boolean
}

export interface EtaTrackerOptions {
  /** The trip the learned table knows this route by. */
  tripId?: string
  learned?: LegTimeTable
  /**
   * This run's timetable, one call per stop: a trip does not leave its first stop before the
   * timetable says (its pupils come out then), and a stop's dwell defaults to the timetable's.
   */
  schedule?: ScheduledCall[]
  /**
   * The route's leg times run from stop to stop (a timetable's running times), so the time inside
   * a stop's radii is the route's own rather than `approachS` and `leaveS`: with nothing learned,
   * a stop's call takes the scheduled dwell plus that time.
   */
  routeTimedStopToStop?: boolean
  /** Dwell at a stop when neither earlier runs nor the timetable say. */
  defaultDwellS?: number
  /** No report for longer than this: the bus is silent and the estimate unknown. */
  silentAfterS?: number
  /** Farther than this from the route… */
  offRouteM?: number
  /** …for this many fixes in a row: the bus has left its route. */
  offRouteFixes?: number
  /**
   * The radii the stop events use (entering one stop's radius is an arrival; leaving the wider one
   * a departure): learned leg times run between these two points, so the tracker measures with
   * the same ones.
   */
  stopArriveM?: number
  stopLeaveM?: number
  /** From entering a stop's radius to standing at the stop, braking comfortably. */
  approachS?: number
  /** From moving off to passing a stop's exit radius. */
  leaveS?: number
  /** Time constant of the smoothing that keeps GPS noise from moving the estimate. */
  smoothingS?: number
  /**
   * How much expected driving the legs this run has driven are weighed against: with little
   * driven, the bus is expected to keep to the learned times; the more it has driven, the more it
   * is expected to keep its own pace.
   */
  paceWeightS?: number
  /**
   * On the leg being driven, how much the bus's own recent pace counts against the expected time,
   * once it has driven the whole leg (proportionally less before)…
   */
  legPaceShare?: number
  /** …its pace over this last stretch of time. */
  recentPaceS?: number
  /**
   * A bus leaving the first stop more than this before the timetable's departure is not on this
   * trip but passing by on the one before, which may share its roads.
   */
  firstStopEarlyS?: number
  /**
   * Fixes moving forward on the route that let a tracker started mid-trip join it: one is enough
   * where the fixes name the trip the bus is on; where they do not, a bus on its previous trip may
   * drive the same roads.
   */
  joinFixes?: number
  /** Before the trip starts, how much longer than the straight line the road to the first stop is… */
  detourFactor?: number
  /** …and how fast a bus gets there. */
  emptyRunKmh?: number
  /** A fix may land this far behind the progress so far (GPS noise), never farther. */
  backM?: number
  /** The fastest a bus can have gone since its last fix, to bound how far ahead a fix may land. */
  maxSpeedKmh?: number
}

/** Each option when it is not given. */
export const trackerDefaults = {
  defaultDwellS: 30,
  silentAfterS: 120,
  offRouteM: 60,
  offRouteFixes: 3,
  stopArriveM: 50,
  stopLeaveM: 75,
  approachS: 10,
  leaveS: 12,
  smoothingS: 10,
  paceWeightS: 1800,
  firstStopEarlyS: 120,
  joinFixes: 3,
  detourFactor: 1.3,
  emptyRunKmh: 30,
  legPaceShare: 0.5,
  recentPaceS: 60,
  backM: 40,
  maxSpeedKmh: 100,
}

/** The options with every one not given filled in from the defaults. */
export type TrackerSettings = typeof trackerDefaults
