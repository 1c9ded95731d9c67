import type { ScheduledCall } from '../../geo/eta/eta-tracker.js'

/**
 * The usual arrival prediction of a feed with no engine: the timetable shifted by the delay at the
 * last stop the bus has passed by `atMs` (none passed: the timetable), never before `atMs`. Early
 * at the first stop is not a delay: the bus waits there for its departure.
 */
export function delayPropagated(
  schedule: readonly ScheduledCall[],
  arriveMs: readonly (number | null)[],
  atMs: number,
  stopIndex: number,
): number {
  let delayMs = 0
  for (let k = Math.min(stopIndex, arriveMs.length) - 1; k >= 0; k--) {
    const passedMs = arriveMs[k]
    if (passedMs !== null && passedMs !== undefined && passedMs <= atMs) {
      delayMs = passedMs - schedule[k]!.arriveMs
      if (k === 0) delayMs = Math.max(0, delayMs)
      break
    }
  }
  return Math.max(atMs, schedule[stopIndex]!.arriveMs + delayMs)
}
