import type { DwellObservation, LegObservation } from './learned-leg-times.js'

/** A stop arrival or departure as the stop events record it, on any day. */
export interface StopEvent {
  tripId: string
  kind: 'stop_arrival' | 'stop_departure'
  /** The arrival's entering of the stop radius, or the departure's leaving of the exit radius. */
  tsMs: number
  seq: number
}

/** Runs of one trip on different days are told apart by the day the run begins on. */
const runGapMs = 6 * 3600_000

/**
 * Legs and dwells from stop events: the departure from a stop and the arrival at the next on the
 * same run make a leg; the arrival at a stop and the departure from it a dwell.
 */
export function observeStopEvents(events: readonly StopEvent[]): {
  legs: LegObservation[]
  dwells: DwellObservation[]
} {
  const byTrip = new Map<string, StopEvent[]>()
  for (const event of events) byTrip.set(event.tripId, [...(byTrip.get(event.tripId) ?? []), event])
  const legs: LegObservation[] = []
  const dwells: DwellObservation[] = []
  for (const [tripId, tripEvents] of byTrip) {
    tripEvents.sort((a, b) => a.tsMs - b.tsMs)
    let arrivals = new Map<number, number>()
    let departures = new Map<number, number>()
    let lastMs = -Infinity
    const closeRun = () => {
      for (const [seq, departMs] of departures) {
        const arriveMs = arrivals.get(seq)
        if (arriveMs !== undefined && arriveMs <= departMs) dwells.push({ tripId, seq, arriveMs, departMs })
        const nextArriveMs = arrivals.get(seq + 1)
        if (nextArriveMs !== undefined && nextArriveMs > departMs) {
          legs.push({ tripId, fromSeq: seq, departMs, arriveMs: nextArriveMs })
        }
      }
      arrivals = new Map()
      departures = new Map()
    }
    for (const event of tripEvents) {
      if (event.tsMs - lastMs > runGapMs) closeRun()
      lastMs = event.tsMs
      const seen = event.kind === 'stop_arrival' ? arrivals : departures
      if (!seen.has(event.seq)) seen.set(event.seq, event.tsMs)
    }
    closeRun()
  }
  return { legs, dwells }
}
