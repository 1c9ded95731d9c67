import type { PupilRecord, TripCallRecord, TripDirection, TripRecord } from './register-records.js'

/** Who gets on and off at one call of a trip, by the platform's pupil ids. */
export interface CallRiders {
  board: string[]
  alight: string[]
}

/** The platform's id of a pupil: the register's id, or the lowercased code the store gives a new pupil. */
export const pupilIdOf = (pupil: PupilRecord): string => pupil.id ?? pupil.code.toLowerCase()

/** Each trip's calls in call order, by trip code. */
export function groupTripCalls(calls: readonly TripCallRecord[]): Map<string, TripCallRecord[]> {
  const byTrip = new Map<string, TripCallRecord[]>()
  for (const call of calls) {
    const list = byTrip.get(call.tripCode)
    if (list) list.push(call)
    else byTrip.set(call.tripCode, [call])
  }
  for (const list of byTrip.values()) list.sort((a, b) => a.seq - b.seq)
  return byTrip
}

/** Each trip's riders, by trip code, in the order of `pupils`. */
export function groupTripRiders(pupils: readonly PupilRecord[]): Map<string, PupilRecord[]> {
  const byTrip = new Map<string, PupilRecord[]>()
  for (const pupil of pupils) {
    for (const code of pupil.tripCodes) {
      const list = byTrip.get(code)
      if (list) list.push(pupil)
      else byTrip.set(code, [pupil])
    }
  }
  return byTrip
}

/**
 * A trip's riders on and off at its calls (`calls` in call order), as the registers imply: to
 * school, each boards at its stop and all alight at the last call, in the order they boarded; from
 * school, all board at the first call, in the order they will alight, and each alights at its
 * stop. A rider whose stop the trip does not call at is left off (the registers' checks refuse it).
 */
export function placeTripRiders(
  trip: Pick<TripRecord, 'direction'>,
  calls: readonly TripCallRecord[],
  riders: readonly PupilRecord[],
): CallRiders[] {
  const placed: CallRiders[] = calls.map(() => ({ board: [], alight: [] }))
  if (calls.length < 2) return placed
  const lastIndex = calls.length - 1
  const toSchool = trip.direction === 'to_school'
  const stopCodes = calls.map((call) => call.stopCode)
  const atStop: { id: string; at: number }[] = []
  for (const rider of riders) {
    const ride = rideCallIndexes(trip.direction, stopCodes, rider.stopCode)
    if (ride) atStop.push({ id: pupilIdOf(rider), at: toSchool ? ride.board : ride.alight })
  }
  for (const { id, at } of atStop) (toSchool ? placed[at]!.board : placed[at]!.alight).push(id)
  for (const { id } of [...atStop].sort((a, b) => a.at - b.at)) {
    ;(toSchool ? placed[lastIndex]!.alight : placed[0]!.board).push(id)
  }
  return placed
}

/**
 * Where a rider whose stop is `stopCode` gets on and off a trip, as indexes into its calls' stops:
 * to school at the stop (before the last call) and off at the last call; from school on at the
 * first call and off at the stop (after the first). Undefined when the trip does not serve the stop.
 */
export function rideCallIndexes(
  direction: TripDirection,
  stopCodes: readonly string[],
  stopCode: string | null,
): { board: number; alight: number } | undefined {
  const last = stopCodes.length - 1
  if (last < 1 || stopCode === null) return undefined
  if (direction === 'to_school') {
    const board = stopCodes.findIndex((code, i) => i < last && code === stopCode)
    return board < 0 ? undefined : { board, alight: last }
  }
  const alight = stopCodes.findIndex((code, i) => i > 0 && code === stopCode)
  return alight < 0 ? undefined : { board: 0, alight }
}
