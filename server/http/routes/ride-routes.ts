import { Hono } from 'hono'
import { assertAllowed, defaultParentWindow } from '../../core/auth/access-policy.js'
import { AppError } from '../../core/errors/app-error.js'
import { toShanghaiTime } from '../../core/clock/shanghai-time.js'
import { pickPupilRide } from '../../core/rides/pick-pupil-ride.js'
import { stopsAParentSees } from '../../core/rides/stops-a-parent-sees.js'
import { createBoardingQueries } from '../../core/store/boarding-queries.js'
import { createRideQueries } from '../../core/store/ride-queries.js'
import { createTripNoticeQueries } from '../../core/store/trip-notice-queries.js'
import { createTripQueries } from '../../core/store/trip-queries.js'
import type { ApiDeps } from '../api-deps.js'
import type { AuthenticatedEnv } from '../authenticate.js'
import { readPathId } from '../read-request.js'
import { describeOperations } from '../openapi/api-operation.js'

export const rideOperations = describeOperations([
  {
    method: 'get',
    path: '/api/pupils/:pupilId/ride',
    summary: "Where the pupil's bus is: the ride running now or the next one",
    description:
      "The ride's bus, the pupil's stops and the road, `live`: whether the bus can be watched live " +
      "now, and `boardings`: the pupil's own scans on it today. `notices`: what the platform has " +
      "recorded of the pupil's trips for today and for the day of `nextRide`, oldest first; today " +
      'that is each change of bus (`{kind: "bus_changed", tripId, date, ts, busId, plate, newBusId, ' +
      'newPlate}`, `date` the service day it is for, `ts` the same instant as the live `notice`). ' +
      "A parent sees their child's stops, the other calls at least three of the trip's pupils share (never " +
      "one that could point to another child's door), and their child's trips' notices; no other pupil appears.",
    callers: ['bureau', 'school', 'attendant', 'parent'],
    responses: { 200: '`{pupil, ride, nextRide, notices}`: `ride` is null between rides' },
    errors: ['not_found', 'router_unavailable'],
  },
])

const hhmm = (time: string) => time.slice(0, 5)

/**
 * A parent's one question: where is my child's bus? The ride running now or next, the child's
 * stops and the road, whether the bus can be watched live now, and the child's own scans on this
 * ride (got on, got off, where and when), so that any phone of the family sees them however late
 * it is opened. No other pupil appears.
 */
export function rideRoutes({ db, access, clock, tripGeometry }: ApiDeps) {
  const rides = createRideQueries(db)
  const trips = createTripQueries(db)
  const boardings = createBoardingQueries(db)
  const tripNotices = createTripNoticeQueries(db)

  return new Hono<AuthenticatedEnv>().get('/:pupilId/ride', async (c) => {
    const principal = c.get('principal')
    const pupilId = readPathId(c, 'pupilId')
    await assertAllowed(access.canSeePupil(principal, pupilId), `pupil ${pupilId}`)
    const pupil = await rides.pupil(pupilId)
    if (!pupil) throw new AppError('not_found', `no pupil ${pupilId}`)

    const now = clock.now()
    const { current, next } = pickPupilRide(await rides.pupilTrips(pupilId), now, defaultParentWindow)
    // Today's, and those of the next ride's day: a bus swapped tonight for tomorrow is known tonight.
    // The platform keeps no delayed or cancelled state of a trip: changes of bus are what it has.
    const noticeDays = [...new Set([toShanghaiTime(now).date, ...(next ? [next.date] : [])])]
    const notices = await tripNotices.pupilBusChanges(pupilId, noticeDays)
    if (!current) {
      return c.json({
        pupil,
        ride: null,
        nextRide: next && {
          tripId: next.trip.tripId,
          date: next.date,
          scheduledTime: hhmm(next.trip.startTime),
        },
        notices,
      })
    }
    const { trip } = current
    const stops = (await trips.tripStops(trip.tripId)).map((stop) => ({
      seq: stop.seq,
      stopId: stop.stopId,
      name: stop.name,
      lat: stop.lat,
      lon: stop.lon,
      scheduledTime: hhmm(stop.arriveTime),
    }))
    // Where the child was scanned may be another stop than their own: named from all the trip's stops.
    const scans = (await boardings.pupilScans(trip.tripId, current.date, pupilId)).map((scan) => {
      const place = stops.find((stop) => stop.stopId === scan.stopId)
      return {
        action: scan.action,
        ts: new Date(scan.scannedAt).toISOString(),
        stopId: scan.stopId,
        stopName: place?.name ?? null,
        lat: place?.lat ?? null,
        lon: place?.lon ?? null,
      }
    })
    const stopAt = (seq: number) => {
      const stop = stops.find((s) => s.seq === seq)
      if (!stop) throw new Error(`trip ${trip.tripId} has no stop ${seq}`)
      return stop
    }
    return c.json({
      pupil,
      ride: {
        tripId: trip.tripId,
        date: current.date,
        direction: trip.direction,
        busId: trip.busId,
        plate: trip.plate,
        boardStop: stopAt(trip.boardSeq),
        alightStop: stopAt(trip.alightSeq),
        stops:
          principal.role === 'parent'
            ? stopsAParentSees(stops, await trips.ridersPerCall(trip.tripId), trip)
            : stops,
        route: tripGeometry
          ? await tripGeometry(trip.tripId)
          : { type: 'LineString', coordinates: stops.map((stop) => [stop.lon, stop.lat]) },
        visibleFrom: current.visibleFrom.toISOString(),
        visibleUntil: current.visibleUntil.toISOString(),
        live: await access.canSeeBus(principal, trip.busId),
        boardings: scans,
      },
      nextRide: null,
      notices,
    })
  })
}
