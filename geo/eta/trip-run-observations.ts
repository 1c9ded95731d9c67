import type { DwellObservation, LegObservation } from './learned-leg-times.js'

/** One stop call of one run of a trip, as the stop events date it; null where no event was seen. */
export interface StopVisit {
  seq: number
  arriveMs: number | null
  departMs: number | null
}

export interface ObserveTripRunOptions {
  /** The timetable's departure from the first stop, this run. */
  scheduledFirstDepartMs?: number
  /** Leaving the first stop more than this before the timetable is not the trip setting off. */
  firstStopEarlyS?: number
}

/**
 * The legs and dwells one run of a trip teaches, from its stop events. Only visits in the trip's
 * order count: a bus that passes a later stop on the way to an earlier one (the roads of two
 * stops cross) leaves an event out of order, and a leg measured from it would be nonsense that
 * every later run repeats. Likewise a departure from the first stop long before the timetable's
 * is a bus that passed by it earlier (on its way from the depot), not the trip setting off.
 */
export function observeTripRun(
  tripId: string,
  visits: readonly StopVisit[],
  options: ObserveTripRunOptions = {},
): { legs: LegObservation[]; dwells: DwellObservation[] } {
  const earliestFirstDepartMs =
    options.scheduledFirstDepartMs === undefined
      ? -Infinity
      : options.scheduledFirstDepartMs - (options.firstStopEarlyS ?? 120) * 1000
  const bySeq = new Map<number, StopVisit>()
  for (const visit of visits) bySeq.set(visit.seq, visit)
  const inOrder = (visit: StopVisit) => {
    if (visit.arriveMs !== null && visit.departMs !== null && visit.departMs < visit.arriveMs) return false
    if (visit.seq === 1 && visit.departMs !== null && visit.departMs < earliestFirstDepartMs) return false
    const before = bySeq.get(visit.seq - 1)
    const beforeLastMs = before ? (before.departMs ?? before.arriveMs) : null
    const firstMs = visit.arriveMs ?? visit.departMs
    return beforeLastMs === null || firstMs === null || firstMs > beforeLastMs
  }
  const legs: LegObservation[] = []
  const dwells: DwellObservation[] = []
  for (const visit of [...bySeq.values()].sort((a, b) => a.seq - b.seq)) {
    if (!inOrder(visit) || visit.departMs === null) continue
    if (visit.arriveMs !== null) {
      dwells.push({ tripId, seq: visit.seq, arriveMs: visit.arriveMs, departMs: visit.departMs })
    }
    const next = bySeq.get(visit.seq + 1)
    if (next && next.arriveMs !== null && inOrder(next)) {
      legs.push({ tripId, fromSeq: visit.seq, departMs: visit.departMs, arriveMs: next.arriveMs })
    }
  }
  return { legs, dwells }
}
