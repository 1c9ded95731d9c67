import { GeoError } from '../geo-error.js'
import type { PlanProgress, PlanRunControl } from './plan-model.js'

/** The phases in order, each with the share of the 0..1 progress scale where it starts. */
const PHASES: [PlanProgress['phase'], number][] = [
  ['stops', 0],
  ['table', 0.15],
  ['routes', 0.25],
  ['chaining', 0.75],
  ['geometry', 0.85],
  ['metrics', 0.95],
]

/** Tells the run's listener how far a phase has come, on the 0..1 scale of the whole plan. */
export type ReportProgress = (phase: PlanProgress['phase'], withinPhase?: number) => void

/** Throws between steps once the run is asked to stop, so that a cancelled plan ends early. */
export function createStopCheck(control: PlanRunControl): () => void {
  return () => {
    if (control.shouldStop?.()) throw new GeoError('cancelled', 'the plan was cancelled')
  }
}

export function createProgressReport(control: PlanRunControl): ReportProgress {
  return (phase, withinPhase = 0) => {
    const k = PHASES.findIndex(([name]) => name === phase)
    const [, startFraction] = PHASES[k]!
    const endFraction = PHASES[k + 1]?.[1] ?? 1
    control.onProgress?.({ phase, fraction: startFraction + (endFraction - startFraction) * withinPhase })
  }
}
