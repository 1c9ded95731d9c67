import type { LimiterState } from './simulated-report.js'

/**
 * What the simulator made go wrong on a bus, and what really happened while it did: the ground
 * truth that oversight (over-speed, limiter, silence and route rules) is scored against. Times are
 * epoch milliseconds of the simulated clock; speeds are the bus's true speed, not what its noisy
 * GPS reported.
 */
export type InjectedFault =
  /**
   * A speeding episode of the driver: from when it began to when the bus was back at or under the
   * school-bus limit of its road. `excessKmh[i]` is the true speed minus that limit at
   * `startMs + i * stepMs` (negative while the bus was still under it).
   */
  | {
      kind: 'speeding'
      busId: string
      startMs: number
      endMs: number
      stepMs: number
      excessKmh: number[]
      /** The highest true speed, and the limit of the road it was reached on. */
      peakKmh: number
      peakLimitKmh: number
    }
  /** The speed limiter switched off or failing, until it was active again (or the terminal slept). */
  | {
      kind: 'limiter'
      busId: string
      state: Exclude<LimiterState, 'active'>
      startMs: number
      endMs: number
      /** The fastest the bus drove meanwhile, and for how long it drove faster than 10 km/h. */
      maxSpeedKmh: number
      movingMs: number
      /** The first instant it drove faster than 10 km/h; null if it never did. */
      firstMovingMs: number | null
    }
  /**
   * The terminal had no power: nothing was sent or kept from `startMs` until `endMs`. `lastSentMs`:
   * when it last sent anything before (null if never), where the platform's silence begins.
   */
  | { kind: 'terminal_off'; busId: string; startMs: number; endMs: number; lastSentMs: number | null }
  /**
   * The bus was in a coverage hole: from the first report the terminal could not send to the first
   * it could. A buffering terminal sent what it kept when it came out; the others lost it.
   */
  | {
      kind: 'coverage_gap'
      busId: string
      startMs: number
      endMs: number
      lastSentMs: number | null
      buffered: boolean
    }
  /** A tagged activity of the plan (a route deviation's drive or stand), from its start to its end. */
  | { kind: 'activity'; busId: string; tag: string; startMs: number; endMs: number }

export type InjectedFaultKind = InjectedFault['kind']

export type RecordFault = (fault: InjectedFault) => void
