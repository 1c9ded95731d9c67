import type { PlannedTrip, PlannedTripStop } from './plan-model.js'
import type { SchoolCallWindow } from './school-bells.js'
import type { TravelTable } from './build-travel-table.js'

/** One call of a trip: a place of the travel table and who gets on and off there. */
export interface TripCall {
  place: number
  stopId: string
  board: string[]
  alight: string[]
}

/** What a trip's times hang on, so that a time shift can move the trip without routing it again. */
export type TripAnchor = { schoolId: string; grades: number[] } | { schoolId: string; waveId: string }

/** A trip with what the planner keeps beside the contract: its places, peak load and anchors. */
export interface DraftTrip {
  trip: PlannedTrip
  places: number[]
  load: number
  anchors: TripAnchor[]
  /** How far the whole trip may move and keep every school call within its window. */
  slack: { earlierS: number; laterS: number }
}

/**
 * A trip is timed at the pupils' best (morning: as late as the window allows; afternoon: leaving
 * at the release); chaining may then move it as far as every school call stays within the window
 * of each pupil getting off or on there. A trip timed outside a window is first moved into it.
 */
export function draftTrip(
  trip: PlannedTrip,
  places: number[],
  anchors: TripAnchor[],
  windowOf: (pupilId: string, direction: PlannedTrip['direction']) => SchoolCallWindow,
): DraftTrip {
  const morning = trip.direction === 'to_school'
  let lowS = -Infinity
  let highS = Infinity
  for (const stop of trip.stops) {
    if (!trip.schoolIds.includes(stop.stopId)) continue
    for (const pupilId of morning ? stop.alight : stop.board) {
      const { fromS, toS } = windowOf(pupilId, trip.direction)
      lowS = Math.max(lowS, fromS - stop.arriveS)
      highS = Math.min(highS, toS - (morning ? stop.arriveS : stop.departS))
    }
  }
  const offsetS = Math.min(Math.max(0, lowS), highS)
  return {
    trip: shiftTrip(trip, offsetS),
    places,
    load: findPeakLoad(trip.stops),
    anchors,
    slack: { earlierS: Math.max(0, offsetS - lowS), laterS: Math.max(0, highS - offsetS) },
  }
}

/** Doors, seat belts and the attendant's count: a fixed part and a part per pupil getting on or off. */
export function findDwellS(pupils: number): number {
  return 20 + 3 * pupils
}

/**
 * Times the calls on the table's durations with a dwell at each, so that the anchor call is reached
 * at its time. The duration runs from leaving the first stop to reaching the last.
 */
export function timeTrip(
  calls: TripCall[],
  table: TravelTable,
  /** Call `first` or `last` reaches its stop at `arriveS`. */
  anchor: { call: 'first' | 'last'; arriveS: number },
): { stops: PlannedTripStop[]; distanceM: number; durationS: number } {
  const stops: PlannedTripStop[] = []
  let clockS = 0
  let distanceM = 0
  mergeRepeatedCalls(calls).forEach((call, k, merged) => {
    if (k > 0) {
      const from = merged[k - 1]!.place * table.count + call.place
      clockS += table.durationS[from]!
      distanceM += table.distanceM[from]!
    }
    const arriveS = clockS
    clockS += findDwellS(call.board.length + call.alight.length)
    stops.push({ stopId: call.stopId, arriveS, departS: clockS, board: call.board, alight: call.alight })
  })
  const offsetS = anchor.arriveS - (anchor.call === 'first' ? stops[0]! : stops.at(-1)!).arriveS
  for (const stop of stops) {
    stop.arriveS += offsetS
    stop.departS += offsetS
  }
  const durationS = stops.at(-1)!.arriveS - stops[0]!.departS
  return { stops, distanceM: Math.round(distanceM), durationS }
}

/** A stop split into several customers by the route search is one call with everyone on it. */
function mergeRepeatedCalls(calls: TripCall[]): TripCall[] {
  const merged: TripCall[] = []
  for (const call of calls) {
    const last = merged.at(-1)
    if (last && last.stopId === call.stopId) {
      merged[merged.length - 1] = {
        ...last,
        board: [...last.board, ...call.board],
        alight: [...last.alight, ...call.alight],
      }
    } else merged.push(call)
  }
  return merged
}

/** Most pupils on board at once. */
export function findPeakLoad(stops: PlannedTripStop[]): number {
  let onBoard = 0
  let peak = 0
  for (const stop of stops) {
    onBoard += stop.board.length - stop.alight.length
    peak = Math.max(peak, onBoard)
  }
  return peak
}

/** The same trip moved by `deltaS`, as a time shift moves it. */
export function shiftTrip(trip: PlannedTrip, deltaS: number): PlannedTrip {
  if (deltaS === 0) return trip
  return {
    ...trip,
    stops: trip.stops.map((stop) => ({
      ...stop,
      arriveS: stop.arriveS + deltaS,
      departS: stop.departS + deltaS,
    })),
  }
}
