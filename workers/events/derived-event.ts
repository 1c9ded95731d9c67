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
  )

export type DerivedEventKind = DerivedEvent['kind']

export type EmitEvent = (event: DerivedEvent) => void

export const eventKey = (event: Pick<DerivedEvent, 'busId' | 'kind' | 'ts'>): string =>
  `${event.busId}\u0000${event.kind}\u0000${event.ts.getTime()}`
