import type { DwellObservation, LegObservation } from './learned-leg-times.js'

export interface ChainFactorOptions {
  /** The stretch of each earlier run compared: legs and calls adding up to this much expected time. */
  horizonS?: number
  /** Fewer stretches than this say nothing. */
  minStretches?: number
  /** A factor closer to 1 than this is within what the ratio wanders by and is not applied. */
  deadBand?: number
  /** The factor never goes beyond these. */
  min?: number
  max?: number
}

type Lookup = (tripId: string, seq: number, atMs: number) => number | null

const defaults: Required<ChainFactorOptions> = {
  horizonS: 600,
  minStretches: 20,
  deadBand: 0.02,
  min: 0.8,
  max: 1.25,
}

/**
 * How much longer earlier runs took over a stretch of several stops than the learned figures of
 * its legs and calls add up to. Each figure is a median, right for one leg but short for a sum:
 * a leg's time is skewed (a red light or a queue at the kerb adds, nothing takes away) and a call
 * is often a bus passing by, so on real buses the medians of ten minutes of legs add up to a
 * minute less than the ten minutes. A mean instead of the median would let one jammed run move
 * every leg's figure; scaling the figures by the median ratio of whole stretches keeps each
 * figure robust and the sum honest.
 *
 * The stretches are rebuilt from the observations: one run's leg ends where its next call begins
 * and that call ends where its next leg begins, to the millisecond.
 */
export function measureChainFactor(
  legs: readonly LegObservation[],
  dwells: readonly DwellObservation[],
  legS: Lookup,
  dwellS: Lookup,
  options: ChainFactorOptions = {},
): number {
  const o = { ...defaults, ...options }
  const at = (tripId: string, seq: number, ms: number) => `${tripId}\u0000${seq}\u0000${ms}`
  const callArrivingAt = new Map(dwells.map((dwell) => [at(dwell.tripId, dwell.seq, dwell.arriveMs), dwell]))
  const legLeavingAt = new Map(legs.map((leg) => [at(leg.tripId, leg.fromSeq, leg.departMs), leg]))

  const ratios: number[] = []
  for (const start of legs) {
    let leg: LegObservation | undefined = start
    let expectedS = 0
    while (leg) {
      const drivenS = legS(leg.tripId, leg.fromSeq, leg.departMs)
      if (drivenS === null) break
      expectedS += drivenS
      if (expectedS >= o.horizonS) {
        if (expectedS > 0) ratios.push((leg.arriveMs - start.departMs) / 1000 / expectedS)
        break
      }
      const call = callArrivingAt.get(at(leg.tripId, leg.fromSeq + 1, leg.arriveMs))
      const standS = call ? dwellS(call.tripId, call.seq, call.arriveMs) : null
      if (!call || standS === null) break
      expectedS += standS
      leg = legLeavingAt.get(at(call.tripId, call.seq, call.departMs))
    }
  }
  if (ratios.length < o.minStretches) return 1
  ratios.sort((a, b) => a - b)
  const mid = ratios.length >> 1
  const factor = ratios.length % 2 === 1 ? ratios[mid]! : (ratios[mid - 1]! + ratios[mid]!) / 2
  if (Math.abs(factor - 1) < o.deadBand) return 1
  return Math.min(o.max, Math.max(o.min, factor))
}
