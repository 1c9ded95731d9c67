import { readRegisters } from '../registers/read-registers.js'
import { readRemovedByScore } from './removed-by-score.js'
import type { Queryable } from '../store/database.js'
import { createTripComplianceCheck, type TripComplianceWarning } from './trip-compliance.js'

/**
 * What giving trip `tripId` a bus (`busId`, else the bus it has) would run into over the week from
 * `serviceDay`: a warning for each red finding of that bus or its drivers on a day the trip runs.
 * Assigning goes ahead all the same (a breakdown leaves the bureau little choice); the warnings are
 * for the answer. None when the trip or the bus is unknown, or the trip is a line's run.
 */
export async function complianceWarningsForTrip(
  db: Queryable,
  request: { tripId: string; busId?: string; serviceDay: string },
): Promise<TripComplianceWarning[]> {
  const [trip] = await db.query<{ busId: string | null; weekdays: number[] }>(
    `SELECT bus_id AS "busId", weekdays FROM trips WHERE id = $1`,
    [request.tripId],
  )
  const busId = request.busId ?? trip?.busId
  if (!trip || !busId) return []
  const registers = {
    ...(await readRegisters(db, { registers: ['buses', 'staff'] })),
    removedByScore: await readRemovedByScore(db, request.serviceDay),
  }
  const bus = registers.buses.find((b) => b.code === busId)
  if (!bus) return []
  const check = createTripComplianceCheck(registers, request.serviceDay)
  return check({ code: request.tripId, busPlate: bus.plate, weekdays: trip.weekdays })
}
