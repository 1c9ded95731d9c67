/** One of a pupil's trips, as the store lists them (ride-queries.ts pupilTrips). */
export interface PupilBusTrip {
  busId: string
  plate: string
  direction: 'to_school' | 'from_school'
  weekdays: readonly number[]
  /** Local 'HH:MM:SS' of the trip's first stop. */
  startTime: string
}

const secondsOf = (time: string) => {
  const [h = 0, m = 0, s = 0] = time.split(':').map(Number)
  return h * 3600 + m * 60 + s
}

/**
 * The bus a pupil scanned on another bus rides that day, so the attendant can send the child to
 * it: of the pupil's trips that run that day on another bus, one in the direction of the scanned
 * trip before one in the other, then the one starting nearest the scan's time. None when the
 * pupil rides no other bus that day.
 */
export function pickPupilBusToday<T extends PupilBusTrip>(
  trips: readonly T[],
  scan: {
    /** ISO weekday of the scan's service day, 1 = Monday. */
    isoWeekday: number
    direction: PupilBusTrip['direction']
    /** Local 'HH:MM:SS' of the scan. */
    time: string
    /** The bus the pupil was scanned on. */
    busId: string
  },
): T | undefined {
  const atS = secondsOf(scan.time)
  const rank = (trip: T) => [
    trip.direction === scan.direction ? 0 : 1,
    Math.abs(secondsOf(trip.startTime) - atS),
  ]
  return trips
    .filter((trip) => trip.weekdays.includes(scan.isoWeekday) && trip.busId !== scan.busId)
    .map((trip) => ({ trip, rank: rank(trip) }))
    .sort((a, b) => a.rank[0]! - b.rank[0]! || a.rank[1]! - b.rank[1]!)[0]?.trip
}
