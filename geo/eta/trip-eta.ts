import type { LatLon } from '../lat-lon.js'

export type EtaStatus = 'on_route' | 'not_started' | 'silent' | 'off_route' | 'finished'

export interface StopEta {
  seq: number
  stopId: string
  /** When the bus is expected at the stop, or for a passed stop when it reached it; null when unknown. */
  etaTs: string | null
  etaS: number | null
  passed: boolean
}

export interface TripEta {
  status: EtaStatus
  lastReportTs: string | null
  /** Metres along the trip's route; null before the trip has started. */
  progressM: number | null
  /** The first stop not yet reached; null once the trip is finished. */
  nextSeq: number | null
  stops: StopEta[]
}

export interface EtaFix extends LatLon {
  ts: Date
  speedKmh: number
}

export interface EtaTracker {
  /** Fixes in time order; an older or repeated fix is ignored. */
  observe(fix: EtaFix): void
  estimate(atMs: number): TripEta
}
