import { parseGtfsRows, requiredField, requiredNumber } from './gtfs-rows.js'
import { parseGtfsTimeS } from './gtfs-time.js'

export interface GtfsStopTime {
  tripId: string
  stopId: string
  stopSequence: number
  /** Seconds from the service day's origin (noon minus twelve hours); may pass 24 hours. */
  arrivalS: number
  departureS: number
  /** The time is one the bus keeps (timepoint 1, the default when times are given), not interpolated. */
  timepoint: boolean
}

/**
 * `stop_times.txt`, each trip's calls in stop_sequence order. A call whose arrival or departure is
 * left blank takes the other; one with neither (an untimed stop) is refused, since every call here
 * is measured against its time.
 */
export function parseGtfsStopTimes(text: string): GtfsStopTime[] {
  const calls = parseGtfsRows(text).map((row) => {
    const arrival = row.arrival_time || row.departure_time
    const departure = row.departure_time || row.arrival_time
    const tripId = requiredField(row, 'trip_id', 'stop_times.txt')
    if (!arrival || !departure) throw new RangeError(`stop_times.txt: trip ${tripId} has an untimed call`)
    return {
      tripId,
      stopId: requiredField(row, 'stop_id', 'stop_times.txt'),
      stopSequence: requiredNumber(row, 'stop_sequence', 'stop_times.txt'),
      arrivalS: parseGtfsTimeS(arrival),
      departureS: parseGtfsTimeS(departure),
      timepoint: row.timepoint !== '0',
    }
  })
  return calls.sort((a, b) =>
    a.tripId === b.tripId ? a.stopSequence - b.stopSequence : a.tripId < b.tripId ? -1 : 1,
  )
}

/** The calls of each trip, in order. */
export function groupStopTimesByTrip(calls: readonly GtfsStopTime[]): Map<string, GtfsStopTime[]> {
  const byTrip = new Map<string, GtfsStopTime[]>()
  for (const call of calls) {
    const list = byTrip.get(call.tripId)
    if (list) list.push(call)
    else byTrip.set(call.tripId, [call])
  }
  for (const list of byTrip.values()) list.sort((a, b) => a.stopSequence - b.stopSequence)
  return byTrip
}
