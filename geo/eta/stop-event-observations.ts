import type { DwellObservation, LegObservation } from './learned-leg-times.js'
import { observeTripRun, type StopVisit } from './trip-run-observations.js'

/** A stop arrival or departure as the stop events record it, on any day. */
export interface StopEvent {
  tripId: string
  kind: 'stop_arrival' | 'stop_departure'
  /** The arrival's entering of the stop radius, or the departure's leaving of the exit radius. */
  tsMs: number
  seq: number
}

export interface ObserveStopEventsOptions {
  /** The timetable's departure from the first stop for the run of a trip that began at `runStartMs`. */
  scheduledFirstDepartMs?(tripId: string, runStartMs: number): number | undefined
  /** Leaving the first stop more than this before the timetable is not the trip setting off. */
  firstStopEarlyS?: number
}

/** Runs of one trip on different days are told apart by the day the run begins on. */
const runGapMs = 6 * 3600_000

/**
 * Legs and dwells from stop events: the departure from a stop and the arrival at the next on the
 * same run make a leg; the arrival at a stop and the departure from it a dwell. Each run is read
 * as `observeTripRun` reads it, so stops visited out of order teach nothing.
 */
export function observeStopEvents(
  events: readonly StopEvent[],
  options: ObserveStopEventsOptions = {},
): { legs: LegObservation[]; dwells: DwellObservation[] } {
  const byTrip = new Map<string, StopEvent[]>()
  for (const event of events) {
    const list = byTrip.get(event.tripId)
    if (list) list.push(event)
    else byTrip.set(event.tripId, [event])
  }
  const legs: LegObservation[] = []
  const dwells: DwellObservation[] = []
  for (const [tripId, tripEvents] of byTrip) {
    tripEvents.sort((a, b) => a.tsMs - b.tsMs)
    let visits = new Map<number, StopVisit>()
    let runStartMs = -Infinity
    let lastMs = -Infinity
    const closeRun = () => {
      if (visits.size > 0) {
        const run = observeTripRun(tripId, [...visits.values()], {
          scheduledFirstDepartMs: options.scheduledFirstDepartMs?.(tripId, runStartMs),
          firstStopEarlyS: options.firstStopEarlyS,
        })
        legs.push(...run.legs)
        dwells.push(...run.dwells)
      }
      visits = new Map()
    }
    for (const event of tripEvents) {
      if (event.tsMs - lastMs > runGapMs) {
        closeRun()
        runStartMs = event.tsMs
      }
      lastMs = event.tsMs
      const visit = visits.get(event.seq) ?? { seq: event.seq, arriveMs: null, departMs: null }
      if (event.kind === 'stop_arrival') visit.arriveMs ??= event.tsMs
      else visit.departMs ??= event.tsMs
      visits.set(event.seq, visit)
    }
    closeRun()
  }
  return { legs, dwells }
}
