import type { EtaView } from './eta-display.js'
import type { ParentNotice } from './notice-log.js'

/** A trip this many minutes behind its timetable at the child's stop is "delayed". */
export const delayedFromMin = 5
export const approachChoicesMin = [2, 3, 5, 10, 15] as const
export const defaultApproachMin = 5

export interface RuleInput {
  view: EtaView
  /** The trip's local date: trip ids repeat every school day. */
  date: string
  tripId: string
  pupilId: string
  /** The child's stop, named in the notice. */
  stopName: string
  /** Server time now, ISO: when the notice happened. */
  at: string
  alreadyFired: (key: string) => boolean
}

/**
 * "The bus is N minutes away": once per trip, the first time the ETA to the child's stop is
 * known and at most N minutes (N chosen by the parent).
 */
export function approachNotice(input: RuleInput & { thresholdMin: number }): ParentNotice | null {
  const { view } = input
  const minutes = view.kind === 'minutes' ? view.minutes : view.kind === 'arriving' ? 0 : null
  if (minutes === null || minutes > input.thresholdMin) return null
  return fireOnce(input, 'approach', Math.max(minutes, 1))
}

/** "The trip is delayed": once per trip, when the child's stop is reached `delayedFromMin` late or more. */
export function delayedNotice(input: RuleInput): ParentNotice | null {
  const { view } = input
  if ((view.kind !== 'minutes' && view.kind !== 'arriving') || view.lateMin < delayedFromMin) return null
  return fireOnce(input, 'delayed', view.lateMin)
}

function fireOnce(input: RuleInput, kind: 'approach' | 'delayed', minutes: number): ParentNotice | null {
  const key = `${kind}:${input.date}:${input.tripId}:${input.pupilId}`
  if (input.alreadyFired(key)) return null
  return {
    key,
    kind,
    at: input.at,
    pupilId: input.pupilId,
    tripId: input.tripId,
    stopName: input.stopName,
    minutes,
  }
}
