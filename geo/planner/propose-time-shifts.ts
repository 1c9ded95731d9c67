import type { ShiftProposal, ShiftWindow, TimeShift } from './plan-model.js'
import { shiftTrip, type DraftTrip, type TripAnchor } from './time-trip.js'

const STEP_MIN = 5
const MAX_PASSES = 4

export interface ShiftSearchOptions {
  /** The shifts the trips were timed with. */
  currentShifts: TimeShift[]
  /** The bus count of a day's trips, called often: fast, regardless of which buses exist. */
  countBuses: (trips: DraftTrip[]) => number
  /** The bus count the figures report, with the seats of the buses that exist. */
  estimateBuses: (trips: DraftTrip[]) => number
  /** estimateBuses of the unshifted trips, which the caller has already planned. */
  busesBefore: number
  meanRideS: number
}

function matches(window: ShiftWindow | TimeShift, anchor: TripAnchor): boolean {
  if (window.schoolId !== anchor.schoolId) return false
  if (window.waveId !== undefined) return 'waveId' in anchor && anchor.waveId === window.waveId
  return 'grades' in anchor && (window.grade === undefined || anchor.grades.includes(window.grade))
}

function baseShiftMin(window: ShiftWindow, current: TimeShift[]): number {
  const same = current.find(
    (s) => s.schoolId === window.schoolId && s.grade === window.grade && s.waveId === window.waveId,
  )
  return same?.shiftMin ?? 0
}

/**
 * Re-times the already routed trips for shifts within the windows, in 5-minute steps, and keeps the
 * shifts that need fewest buses (then the smallest moves): coordinate descent over the windows,
 * repeated while a pass still improves. A trip moves with its bell or wave; a trip hanging on two
 * windows that would move differently (a line run shared by two schools) rules that choice out.
 * A grade's window moves the trips of its whole bell group, as they were routed together. The bus
 * counts reported are estimates on these routes with the buses that exist; rides do not change, as
 * the trips are not routed again (a what-if plan with the shifts routes them afresh).
 */
export function proposeTimeShifts(
  trips: DraftTrip[],
  windows: ShiftWindow[],
  options: ShiftSearchOptions,
): ShiftProposal | null {
  if (windows.length === 0) return null
  const base = windows.map((w) => baseShiftMin(w, options.currentShifts))
  const retime = (values: number[]): DraftTrip[] | null => {
    const moved: DraftTrip[] = []
    for (const draft of trips) {
      const deltas = new Set<number>()
      for (const anchor of draft.anchors) {
        windows.forEach((window, w) => {
          if (matches(window, anchor)) deltas.add(values[w]! - base[w]!)
        })
      }
      if (deltas.size > 1) return null
      const deltaMin = deltas.size === 0 ? 0 : [...deltas][0]!
      moved.push(deltaMin === 0 ? draft : { ...draft, trip: shiftTrip(draft.trip, deltaMin * 60) })
    }
    return moved
  }
  // The buses of the mornings and of the afternoons apart break ties: a day may need both moved
  // before it saves a bus, and this lets the search take the first step.
  const score = (values: number[]) => {
    const moved = retime(values)
    if (!moved) return null
    const partBuses = (['to_school', 'from_school'] as const).reduce(
      (sum, direction) => sum + options.countBuses(moved.filter((d) => d.trip.direction === direction)),
      0,
    )
    return {
      buses: options.countBuses(moved),
      partBuses,
      moveMin: values.reduce((sum, v) => sum + Math.abs(v), 0),
    }
  }
  const better = (a: { buses: number; partBuses: number; moveMin: number }, b: typeof a) =>
    a.buses - b.buses || a.partBuses - b.partBuses || a.moveMin - b.moveMin
  const values = [...base]
  let best = score(values)!
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let improved = false
    windows.forEach((window, w) => {
      for (let minute = window.earliestMin; minute <= window.latestMin; minute += STEP_MIN) {
        if (minute === values[w]) continue
        const trial = values.map((v, k) => (k === w ? minute : v))
        const result = score(trial)
        if (result && better(result, best) < 0) {
          best = result
          values[w] = minute
          improved = true
        }
      }
    })
    if (!improved) break
  }
  const shifts: TimeShift[] = windows.flatMap((window, w) =>
    values[w] === 0
      ? []
      : [
          {
            schoolId: window.schoolId,
            ...(window.grade === undefined ? {} : { grade: window.grade }),
            ...(window.waveId === undefined ? {} : { waveId: window.waveId }),
            shiftMin: values[w]!,
          },
        ],
  )
  return {
    shifts,
    busesBefore: options.busesBefore,
    busesAfter: options.estimateBuses(retime(values)!),
    meanRideSBefore: options.meanRideS,
    meanRideSAfter: options.meanRideS,
  }
}
