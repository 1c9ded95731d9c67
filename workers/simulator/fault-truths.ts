import type { InjectedFault } from './injected-fault.js'
import type { LimiterState } from './simulated-report.js'

/** Faster than this the bus is plainly moving: what a limiter fault's record counts. */
const MOVING_KMH = 10

/**
 * What is recorded of each fault under way on one bus, until it ends and becomes an InjectedFault.
 * The steps below only change this record and return what ended; telling anyone is the agent's.
 */
export interface FaultTruths {
  speeding?: { startMs: number; excessKmh: number[]; peakKmh: number; peakLimitKmh: number }
  limiter?: {
    state: Exclude<LimiterState, 'active'>
    startMs: number
    maxSpeedKmh: number
    movingMs: number
    firstMovingMs: number | null
  }
  /** The terminal has no power until `untilMs`. */
  powerCut?: { startMs: number; untilMs: number; lastSentMs: number | null }
  /** A tagged activity of the plan under way. */
  tagged?: { tag: string; startMs: number }
}

export type FaultTruthKind = keyof FaultTruths

/** In the order a sleeping terminal ends them. */
export const faultTruthKinds: readonly FaultTruthKind[] = ['speeding', 'limiter', 'powerCut', 'tagged']

/** Ends the records of `kinds` under way at `atMs`, and returns them as faults. */
export function endFaultTruths(
  truths: FaultTruths,
  kinds: readonly FaultTruthKind[],
  at: { busId: string; atMs: number; stepMs: number },
): InjectedFault[] {
  const ended: InjectedFault[] = []
  for (const kind of kinds) {
    const fault = toInjectedFault(truths, kind, at)
    if (fault) ended.push(fault)
    delete truths[kind]
  }
  return ended
}

function toInjectedFault(
  truths: FaultTruths,
  kind: FaultTruthKind,
  { busId, atMs, stepMs }: { busId: string; atMs: number; stepMs: number },
): InjectedFault | undefined {
  switch (kind) {
    case 'speeding': {
      const truth = truths.speeding
      if (!truth) return undefined
      // Ends at its last sample: the bus may have stopped being simulated between two.
      const endMs = truth.startMs + Math.max(0, truth.excessKmh.length - 1) * stepMs
      return { kind: 'speeding', busId, endMs, stepMs, ...truth }
    }
    case 'limiter':
      return truths.limiter && { kind: 'limiter', busId, endMs: atMs, ...truths.limiter }
    case 'powerCut': {
      const truth = truths.powerCut
      if (!truth) return undefined
      return {
        kind: 'terminal_off',
        busId,
        startMs: truth.startMs,
        endMs: atMs,
        lastSentMs: truth.lastSentMs,
      }
    }
    case 'tagged':
      return truths.tagged && { kind: 'activity', busId, ...truths.tagged, endMs: atMs }
  }
}

/**
 * One step of a speeding record: from the start of an episode until the bus is back within the
 * limit of the road it is on. Returns true when the record is complete and should be ended.
 */
export function sampleSpeeding(
  truths: FaultTruths,
  sample: { atMs: number; speedKmh: number; legalKmh: number; episodeUnderWay: boolean },
): boolean {
  const { atMs, speedKmh, legalKmh, episodeUnderWay } = sample
  if (episodeUnderWay && !truths.speeding)
    truths.speeding = { startMs: atMs, excessKmh: [], peakKmh: 0, peakLimitKmh: legalKmh }
  const truth = truths.speeding
  if (!truth) return false
  const excessKmh = speedKmh - legalKmh
  truth.excessKmh.push(Math.round(excessKmh * 10) / 10)
  if (excessKmh > truth.peakKmh - truth.peakLimitKmh) {
    truth.peakKmh = Math.round(speedKmh * 10) / 10
    truth.peakLimitKmh = legalKmh
  }
  return !episodeUnderWay && excessKmh <= 0
}

/** One step of a limiter record: how fast, and how long moving, the bus drove meanwhile. */
export function sampleLimiter(truths: FaultTruths, atMs: number, speedKmh: number, stepMs: number): void {
  const truth = truths.limiter
  if (!truth) return
  truth.maxSpeedKmh = Math.max(truth.maxSpeedKmh, Math.round(speedKmh * 10) / 10)
  if (speedKmh > MOVING_KMH) {
    truth.movingMs += stepMs
    truth.firstMovingMs ??= atMs
  }
}
