import type { DrivePath } from './drive-path.js'

/** One stop call: the bus stops, pupils get on and off, the attendant checks them. */
export interface PlannedCall {
  /** The fixture trip, or the load-mode loop. */
  tripId: string
  stopId: string
  stopIndex: number
  /** Pupils getting on or off here: each adds to the dwell. */
  pupilCount: number
  /** Pupils wait at the stop from this instant: a bus that comes earlier waits for them. */
  boardingFromMs: number | undefined
  /** A trip leaves its first stop on time, never early: pupils come out when their wave is let go. */
  departNotBeforeMs: number | undefined
  scheduledArriveMs: number | null
  scheduledDepartMs: number | null
}

/**
 * `tag` names an activity the plan does not normally have (a route deviation's drive or stand): the
 * simulation records when the bus began and ended it.
 */
export type Activity =
  /**
   * Stand where the bus is until a time, and at least `atLeastS` after getting there (a bus back
   * late still parks a while); the engine is off for long waits, on `warmUpS` before.
   */
  | { kind: 'wait'; untilMs: number; warmUpS: number; atLeastS?: number }
  | { kind: 'drive'; path: DrivePath; tag?: string }
  | { kind: 'call'; call: PlannedCall }
  /** Stand where the bus is for a while, engine on: a halt the timetable does not have. */
  | { kind: 'stand'; standS: number; tag?: string }

/** Everything one bus does in a simulation, in order. */
export interface BusPlan {
  busId: string
  /** Where the bus stands before its first activity. */
  start: { lat: number; lon: number; headingDeg: number }
  /** The terminal powers up here; nothing is sent before. */
  wakeMs: number
  activities: Activity[]
  /** Load mode: start over when the last activity ends. Otherwise the terminal sleeps then. */
  repeat: boolean
  /** Where within the report interval this bus's fixes fall, so that a large fleet spreads out. */
  phaseMs: number
}
