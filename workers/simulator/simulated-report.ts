import type { TelemetryKind } from '../../server/core/broker/telemetry-topics.js'

/** `bus/{busId}/gps` as a terminal sends it (DESIGN §4); every field present. */
export interface GpsReport {
  /** ISO-8601 with the +08:00 offset, or epoch milliseconds: terminals differ. */
  ts: string | number
  lat: number
  lon: number
  speedKmh: number
  headingDeg: number
  altM: number
  accuracyM: number
  ignition: boolean
  seq: number
}

export type LimiterState = 'active' | 'disabled' | 'fault'

/** `bus/{busId}/limiter`, sent when the state changes and when the terminal powers up. */
export interface LimiterReport {
  ts: string | number
  limitKmh: number
  state: LimiterState
}

/**
 * One message the simulated terminal hands to the network, and when the platform gets it. `held`:
 * kept while the bus had no coverage and sent when it returned (a JT/T 808 terminal sends such
 * positions together, as a late batch).
 */
export type SimulatedReport = { busId: string; deliverAtMs: number; held?: true } & (
  | { kind: Extract<TelemetryKind, 'gps'>; payload: GpsReport }
  | { kind: Extract<TelemetryKind, 'limiter'>; payload: LimiterReport }
)

/**
 * What really happened at a stop, which no report states directly: the ground truth an ETA model
 * is scored against when a simulated day is replayed.
 */
export interface StopCallEvent {
  busId: string
  /** The fixture trip, or the load-mode loop the call belongs to. */
  tripId: string
  stopId: string
  stopIndex: number
  event: 'arrive' | 'depart'
  atMs: number
  /** The timetable's time for this event; null in load mode, which has no timetable. */
  scheduledMs: number | null
}

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000
const DAY_MS = 86_400_000
let cachedDay = NaN
let cachedDate = ''

/**
 * "2026-03-02T07:15:02+08:00", with milliseconds only when the instant has them. Formatting the
 * date once per day keeps this cheap enough for tens of thousands of reports a second.
 */
export function formatShanghaiTimestamp(epochMs: number): string {
  const localMs = epochMs + SHANGHAI_OFFSET_MS
  const day = Math.floor(localMs / DAY_MS)
  if (day !== cachedDay) {
    cachedDay = day
    cachedDate = new Date(day * DAY_MS).toISOString().slice(0, 10)
  }
  const msOfDay = localMs - day * DAY_MS
  const seconds = Math.floor(msOfDay / 1000)
  const millis = msOfDay - seconds * 1000
  const time = `${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}`
  return `${cachedDate}T${time}${millis === 0 ? '' : `.${String(millis).padStart(3, '0')}`}+08:00`
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value)
}
