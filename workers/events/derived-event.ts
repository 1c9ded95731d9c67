import type { LonLatPosition } from '../../geo/lat-lon.js'
import type { RoadClass } from '../../geo/roads/road-network.js'
import type { SpeedLimitReason } from '../../geo/speed/school-bus-speed-limit.js'
import type {
  AlertedTerminalAlarm,
  DriverBehaviour,
  TerminalAlarmEventKind,
} from '../../server/core/broker/terminal-status.js'

/** Times inside details are ISO-8601 strings, as they are stored (jsonb) and sent (socket.io). */
export interface OverSpeedDetails {
  /** The fix most over its limit: its speed, its limit and where it was. */
  peakKmh: number
  limitKmh: number
  limitReason: SpeedLimitReason
  roadClass: RoadClass | null
  roadName: string | null
  peakTs: string
  lat: number
  lon: number
  /** From the first to the last fix over the limit; still growing while endTs is null. */
  durationS: number
  fixes: number
  endTs: string | null
}

export interface LimiterDisabledDetails {
  state: 'disabled' | 'fault'
  /** Every non-active state reported during the episode, in order. */
  states: ('disabled' | 'fault')[]
  limitKmh: number | null
  /** The bus's speed when the episode began. */
  speedKmh: number
  /** When the limiter reported active again. */
  endTs: string | null
  durationS: number | null
}

export interface TerminalSilentDetails {
  /** The last GPS report before the silence; null if none came since the trip began. */
  lastReportTs: string | null
  thresholdS: number
  /** The first report after the silence. */
  endTs: string | null
  silentS: number | null
}

/**
 * An alarm the bus's own terminal reported, from the first report that set it to the first later
 * one that did not. Its lists are unions and its fatigue level a peak, so reports replayed after a
 * handover change nothing already counted; for the same reason it holds no count of reports.
 */
export interface TerminalAlarmDetails {
  alarm: AlertedTerminalAlarm
  /** Where the bus was and its speed at the report that first set the alarm. */
  lat: number
  lon: number
  speedKmh: number
  /** The first later report without the alarm; null while it is set, and again once set anew soon after. */
  endTs: string | null
  durationS: number | null
  /** video_signal_lost and video_blocked: the cameras named during the episode (empty if none was). */
  channels?: number[]
  /** video_storage_fault: the storage units named faulty during the episode, main and backup ones. */
  mainStorageUnits?: number[]
  backupStorageUnits?: number[]
  /** abnormal_driving: the behaviours named during the episode, and the highest fatigue level (0–100). */
  driverBehaviours?: DriverBehaviour[]
  peakFatigueLevel?: number | null
}

export interface StopArrivalDetails {
  stopId: string
  seq: number
  /** When the dwell confirmed the arrival; the event's ts is when the bus entered the stop's radius. */
  confirmedTs: string
}

export interface StopDepartureDetails {
  stopId: string
  seq: number
  /** The event's ts is the first fix beyond the exit radius. */
  arrivalTs: string
  dwellS: number
}

/** A fix of the bus where it left or rejoined its approved path, and how far along the path. */
export interface RoutePoint {
  ts: string
  lat: number
  lon: number
  alongM: number
}

/** The bus drove off its trip's approved path (Decree 617 art. 30), from leaving it to rejoining it. */
export interface RouteOffCorridorDetails {
  /** How far from the path counts as off it. */
  corridorM: number
  /** The last fix on the path before the bus left it. */
  left: RoutePoint
  /** The first fix back on the path; null while the bus is off it, and when the trip ended off it. */
  rejoined: RoutePoint | null
  /** The track from `left` to `rejoined` (or the last fix off the path), thinned to a bounded number of points. */
  stretch: LonLatPosition[]
  /** Driven along that track. */
  offKm: number
  /** The farthest fix from the path. */
  maxOffM: number
  /** From the first fix off the path to `rejoined` (or the last fix off it). */
  durationS: number
  /** The time between fixes off the path, coverage holes (fixes more than maxFixGapS apart) left out. */
  seenOffS: number
  /** When the episode ended: `rejoined`'s time, or the last fix off the path when the trip ended. */
  endTs: string | null
}

/** Where the bus came nearest an approved call it did not call at. */
export interface NearestPass {
  ts: string
  lat: number
  lon: number
  distanceM: number
  speedKmh: number
}

/** An approved call the bus did not call at (Decree 617 art. 32). */
export interface StopSkippedDetails {
  stopId: string
  seq: number
  /** The timetable's arrival there; null when the schedule gave none. */
  plannedTs: string | null
  /**
   * How it was decided: the bus went on past the call along its path (`passed`), or it was still
   * reporting after the call's time when the trip ended without coming (`not_reached`).
   */
  decidedBy: 'passed' | 'not_reached'
  /** The nearest the bus came to the call during the trip; null if it reported no fix on it. */
  nearest: NearestPass | null
  /** The bus's track within passRadiusM of the call, thinned; empty if it never came that near. */
  stretch: LonLatPosition[]
  /** When the bus came back and called there after all (an arrival after the decision); else null. */
  calledTs: string | null
}

/** The bus stood still during its trip away from its calls, its school and its depot. */
export interface StopUnapprovedDetails {
  /** The mean of the fixes it stood at. */
  lat: number
  lon: number
  /** From the first to the last fix standing; still growing while endTs is null. */
  durationS: number
  /** The first fix moving on (or the last standing one, when the trip ended). */
  endTs: string | null
  /** Whether the doors opened; null when the terminal does not report its doors. */
  doorsOpened: boolean | null
  /** The approved call nearest to where it stood. */
  nearestStopId: string
  nearestStopM: number
  /** How far from the approved path: on it (a queue, a breakdown) or off it. */
  offPathM: number
}

/** The bus arrived at a call of its trip `lateTripMin` or more after the call's planned time. */
export interface TripLateDetails {
  stopId: string
  /** The stop's name in the registers; null when the schedule gave none. */
  stopName: string | null
  seq: number
  /** Whether the call is the trip's school. */
  school: boolean
  plannedTs: string
  /** When the bus entered the call's radius (the stop rule's arrival), as the event's ts. */
  arrivedTs: string
  /** From the planned to the actual arrival, to a tenth of a minute. */
  lateMin: number
}

interface EventIdentity {
  busId: string
  /** With busId and kind, identifies the event: deriving it again updates the same row. */
  ts: Date
  tripId: string | null
}

export type DerivedEvent = EventIdentity &
  (
    | { kind: 'over_speed'; details: OverSpeedDetails }
    | { kind: 'limiter_disabled'; details: LimiterDisabledDetails }
    | { kind: 'terminal_silent'; details: TerminalSilentDetails }
    | { kind: TerminalAlarmEventKind; details: TerminalAlarmDetails }
    | { kind: 'stop_arrival'; details: StopArrivalDetails }
    | { kind: 'stop_departure'; details: StopDepartureDetails }
    | { kind: 'route_off_corridor'; details: RouteOffCorridorDetails }
    | { kind: 'stop_skipped'; details: StopSkippedDetails }
    | { kind: 'stop_unapproved'; details: StopUnapprovedDetails }
    | { kind: 'trip_late'; details: TripLateDetails }
  )

export type DerivedEventKind = DerivedEvent['kind']

export type EmitEvent = (event: DerivedEvent) => void

export const eventKey = (event: Pick<DerivedEvent, 'busId' | 'kind' | 'ts'>): string =>
  `${event.busId}\u0000${event.kind}\u0000${event.ts.getTime()}`
