import type { TerminalStatus } from './terminal-status.js'

/** The rows a valid report becomes: what ingest stores and what the live path and derived events read. */
export interface PositionRow {
  busId: string
  ts: Date
  lat: number
  lon: number
  speedKmh: number
  headingDeg: number | null
  altM: number | null
  accuracyM: number | null
  ignition: boolean | null
  seq: number | null
  /** What the bus's own terminal said besides its position; absent when it said nothing. */
  terminal?: TerminalStatus | null
}

export interface LimiterRow {
  busId: string
  ts: Date
  limitKmh: number | null
  state: 'active' | 'disabled' | 'fault'
}

/** What was stored by one commit, in arrival order: for the live path and derived events. */
export interface CommittedBatch {
  positions: PositionRow[]
  limiterStates: LimiterRow[]
}
