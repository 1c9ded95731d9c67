import type { LatLon } from '../lat-lon.js'
import type { TrackedTrip } from './tracked-trip.js'

/** What the tracker has seen of the bus on its trip so far; each fix moves it on. */
export interface TrackerState {
  /** When the bus entered each stop's radius; null until it has. */
  enteredMs: (number | null)[]
  /** When the bus left each stop's wider radius; null until it has. */
  leftMs: (number | null)[]
  /** The smoothed expected arrival at each stop not yet reached. */
  smoothedMs: (number | null)[]
  started: boolean
  /** Legs before this stop were driven before the tracker joined: their times are not known. */
  firstTimedStop: number
  progressM: number
  placedMs: number
  lastFixMs: number | null
  offRouteCount: number
  lastPosition: LatLon | null
  /** The bus has been seen somewhere other than moving along the route since the tracker began. */
  seenElsewhere: boolean
  /** Fixes in a row moving along the route past the first stop; undefined once the bus left it too early. */
  join: { alongM: number; count: number } | undefined
  /** Recent placements with the router's time at them, oldest first, for the bus's own recent pace. */
  trail: { ms: number; routerS: number }[]
}

/** A bus not yet seen, on a trip of `n` stops. */
export function createTrackerState(n: number): TrackerState {
  return {
    enteredMs: new Array(n).fill(null),
    leftMs: new Array(n).fill(null),
    smoothedMs: new Array(n).fill(null),
    started: false,
    firstTimedStop: 0,
    progressM: 0,
    placedMs: 0,
    lastFixMs: null,
    offRouteCount: 0,
    lastPosition: null,
    seenElsewhere: false,
    join: { alongM: -Infinity, count: 0 },
    trail: [],
  }
}

/** Drops the start taken, and what was seen on the way since, when it turns out not to be this trip's. */
export function forgetStart(state: TrackerState) {
  state.started = false
  state.progressM = 0
  state.offRouteCount = 0
  state.firstTimedStop = 0
  state.join = undefined
  state.trail.length = 0
  for (const list of [state.enteredMs, state.leftMs, state.smoothedMs]) list.fill(null)
}

export function lastEnteredStop({ n }: TrackedTrip, { enteredMs }: TrackerState) {
  for (let k = n - 1; k >= 0; k--) if (enteredMs[k] !== null) return k
  return -1
}
