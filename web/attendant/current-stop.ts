import type { TripEta } from '../shared/bus-live-contract.js'
import { cixiInstantMs } from '../shared/cixi-time.js'
import type { TripStop } from './attendant-contract.js'

export type StopSource = 'chosen' | 'gps' | 'timetable'

/**
 * The stop the bus is at, or last reached, which every scan records: the attendant's own choice
 * first; else the last stop the bus's GPS reached on this trip; else the timetable's.
 */
export function findCurrentStop(input: {
  stops: readonly TripStop[]
  chosenSeq: number | null
  /** The live ETA of this trip, when the bus runs it. */
  eta: TripEta | null
  serviceDate: string
  serverNowMs: number
}): { seq: number; source: StopSource } {
  const { stops } = input
  if (input.chosenSeq !== null && stops.some((s) => s.seq === input.chosenSeq))
    return { seq: input.chosenSeq, source: 'chosen' }
  const reached = input.eta?.stops.filter((s) => s.passed).at(-1)
  if (reached) return { seq: reached.seq, source: 'gps' }
  const due = stops.filter((s) => cixiInstantMs(input.serviceDate, s.arriveTime) <= input.serverNowMs).at(-1)
  return { seq: (due ?? stops[0])?.seq ?? 1, source: 'timetable' }
}

/** The stop before or after `seq` in driving order, or `seq` itself at either end. */
export function stepStop(stops: readonly TripStop[], seq: number, step: -1 | 1): number {
  const index = stops.findIndex((s) => s.seq === seq)
  return stops[Math.min(stops.length - 1, Math.max(0, index + step))]?.seq ?? seq
}
