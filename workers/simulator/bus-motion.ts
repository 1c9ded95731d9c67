import type { DrivePath } from './drive-path.js'
import { findSegment } from './drive-path.js'
import type { DrivingSettings } from './simulation-settings.js'

/** Where a bus is on the leg it drives, and how fast it goes. */
export interface MotionState {
  path: DrivePath
  alongM: number
  segment: number
  speedMs: number
}

/** What, besides the road, sets the speed this second. */
export interface MotionInputs {
  /** The driver's factor on the road's free-flow speed. */
  pace: number
  /** From the traffic model: 1 in free traffic, lower in congestion. */
  trafficFactor: number
  /** The speed a speeding driver is going for now; undefined when not speeding. */
  speedingKmh: number | undefined
  /** What the speed limiter allows: its setting while active, Infinity when off or faulty. */
  limiterKmh: number
}

/** Below this, a bus closing on its stop still creeps forward instead of stopping short. */
const CREEP_MS = 1
/** Where a bus counts as at its stop. */
const AT_END_M = 0.5
/** A loaded bus pulls less at speed: the full acceleration at rest, none left at this speed. */
const PULL_FADE_MS = 25
const MIN_PULL_SHARE = 0.25

export function startMotion(path: DrivePath): MotionState {
  return { path, alongM: 0, segment: 0, speedMs: 0 }
}

/**
 * Advances the bus by `dtS`: it accelerates toward the speed the road, driver, traffic and limiter
 * set, and brakes along the braking curve to the next turn, slower road or the stop. Returns true
 * once the bus stands at the end of the leg.
 */
export function stepMotion(
  state: MotionState,
  dtS: number,
  inputs: MotionInputs,
  driving: DrivingSettings,
): boolean {
  const { path } = state
  const segment = state.segment
  if (path.alongM.length < 2) {
    state.speedMs = 0
    return true
  }
  const remainingToVertexM = path.alongM[segment + 1]! - state.alongM
  // A brisk driver keeps to the school-bus limit; only a speeding episode goes beyond it.
  let wantMs = Math.min(path.cruiseMs[segment]! * inputs.pace, path.legalKmh[segment]! / 3.6)
  if (inputs.speedingKmh !== undefined) wantMs = Math.max(wantMs, inputs.speedingKmh / 3.6)
  wantMs = Math.min(wantMs * inputs.trafficFactor, inputs.limiterKmh / 3.6)
  const v = state.speedMs
  // Judged from where the bus will be after this step, so a one-second step does not overshoot.
  const aheadM = Math.max(0, remainingToVertexM - v * dtS)
  wantMs = Math.min(wantMs, Math.sqrt(path.vertexCapMs[segment + 1]! ** 2 + 2 * driving.brakingMs2 * aheadM))

  const pull = driving.accelerationMs2 * Math.max(MIN_PULL_SHARE, 1 - v / PULL_FADE_MS)
  let next =
    wantMs >= v ? Math.min(wantMs, v + pull * dtS) : Math.max(wantMs, v - driving.hardBrakingMs2 * dtS)
  if (next < CREEP_MS) next = CREEP_MS
  state.alongM += ((v + next) / 2) * dtS
  state.speedMs = next
  if (state.alongM >= path.lengthM - AT_END_M) {
    state.alongM = path.lengthM
    state.segment = path.alongM.length - 2
    state.speedMs = 0
    return true
  }
  state.segment = findSegment(path, state.alongM, segment)
  return false
}
