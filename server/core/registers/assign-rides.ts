import type { Queryable } from '../store/database.js'
import { selectRecords } from './read-registers.js'
import type { PupilRecord, TripDirection } from './register-records.js'
import { chunksOf, insertResolved, jsonRows } from './store-upsert.js'
import { rideCallIndexes } from './trip-riders.js'

/** One ride of a pupil on a trip, before its calls are found. */
interface Ride {
  tripCode: string
  pupilCode: string
  stopCode: string | null
}

/** A trip's direction and the stop of each call, in call order. */
interface TripCalls {
  direction: TripDirection
  calls: Array<{ seq: number; stopCode: string }>
}

/**
 * trip_pupils as the upserted pupils' trips and stops make them, and again for the stored riders
 * of the trips whose calls changed. A morning trip is boarded at the pupil's stop and left at its
 * last call (the school); an afternoon trip is boarded at its first call and left at the pupil's stop.
 */
export async function assignRides(
  tx: Queryable,
  pupils: readonly PupilRecord[],
  changedTrips: Set<string>,
): Promise<void> {
  const upserted = new Set(pupils.map((p) => p.code))
  const storedRides = (await ridesOnTrips(tx, changedTrips)).filter((ride) => !upserted.has(ride.pupilCode))
  const rides = [
    ...pupils.flatMap((p) =>
      [...new Set(p.tripCodes)].map((tripCode) => ({ tripCode, pupilCode: p.code, stopCode: p.stopCode })),
    ),
    ...storedRides,
  ]
  const trips = await readTripCalls(tx, new Set(rides.map((ride) => ride.tripCode)))
  const seated = rides.map((ride) => ({
    trip_id: ride.tripCode,
    pupil_code: ride.pupilCode,
    ...seatsOf(ride, trips.get(ride.tripCode)),
  }))
  await clearRides(tx, [...upserted], [...changedTrips])
  await insertResolved(
    tx,
    `INSERT INTO trip_pupils (trip_id, pupil_id, board_seq, alight_seq)
     SELECT r.trip_id, p.id, r.board_seq, r.alight_seq
       FROM ${jsonRows({ trip_id: 'text', pupil_code: 'text', board_seq: 'int', alight_seq: 'int' })}
       JOIN pupils p ON p.code = r.pupil_code`,
    seated,
    'rides name pupils',
  )
}

async function ridesOnTrips(tx: Queryable, tripCodes: Set<string>): Promise<Ride[]> {
  if (tripCodes.size === 0) return []
  return selectRecords<Ride>(
    tx,
    `SELECT tp.trip_id AS "tripCode", p.code AS "pupilCode", p.stop_id AS "stopCode"
       FROM trip_pupils tp JOIN pupils p ON p.id = tp.pupil_id WHERE tp.trip_id = ANY($1::text[])`,
    [[...tripCodes]],
  )
}

async function readTripCalls(tx: Queryable, tripCodes: Set<string>): Promise<Map<string, TripCalls>> {
  if (tripCodes.size === 0) return new Map()
  const trips = await selectRecords<TripCalls & { code: string }>(
    tx,
    `SELECT t.id AS code, t.direction,
            coalesce(json_agg(json_build_object('seq', ts.seq, 'stopCode', ts.stop_id) ORDER BY ts.seq)
                       FILTER (WHERE ts.seq IS NOT NULL), '[]') AS calls
       FROM trips t LEFT JOIN trip_stops ts ON ts.trip_id = t.id
      WHERE t.id = ANY($1::text[]) GROUP BY t.id`,
    [[...tripCodes]],
  )
  return new Map(trips.map(({ code, ...trip }) => [code, trip]))
}

/** The calls a rider boards and leaves at; the registers' checks make sure there are such calls. */
function seatsOf(ride: Ride, trip: TripCalls | undefined): { board_seq: number; alight_seq: number } {
  const what = `pupil ${ride.pupilCode} on trip ${ride.tripCode}`
  if (!trip) throw new Error(`${what}: the trip is not in the store`)
  if (trip.calls.length < 2) throw new Error(`${what}: the trip has fewer than two calls`)
  if (ride.stopCode === null) throw new Error(`${what}: the pupil has no stop`)
  const indexes = rideCallIndexes(
    trip.direction,
    trip.calls.map((call) => call.stopCode),
    ride.stopCode,
  )
  if (!indexes) throw new Error(`${what}: the trip does not call at the pupil's stop ${ride.stopCode}`)
  return { board_seq: trip.calls[indexes.board]!.seq, alight_seq: trip.calls[indexes.alight]!.seq }
}

async function clearRides(
  tx: Queryable,
  pupilCodes: readonly string[],
  tripCodes: readonly string[],
): Promise<void> {
  if (tripCodes.length > 0) {
    await tx.query('DELETE FROM trip_pupils WHERE trip_id = ANY($1::text[])', [tripCodes])
  }
  for (const chunk of chunksOf(pupilCodes)) {
    await tx.query(
      `DELETE FROM trip_pupils tp USING pupils p, unnest($1::text[]) AS k(code)
        WHERE p.code = k.code AND tp.pupil_id = p.id`,
      [chunk],
    )
  }
}
