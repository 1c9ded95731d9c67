import { Hono } from 'hono'
import { z } from 'zod'
import { assertAllowed, assertRole } from '../../core/auth/access-policy.js'
import type { Principal } from '../../core/auth/principal.js'
import { pickPupilBusToday } from '../../core/boarding/pupil-bus-today.js'
import { checkPhoneTime, checkScan } from '../../core/boarding/scan-rules.js'
import { fromShanghaiTime, toShanghaiTime, type LocalTime } from '../../core/clock/shanghai-time.js'
import { AppError } from '../../core/errors/app-error.js'
import { createBoardingQueries } from '../../core/store/boarding-queries.js'
import { createRideQueries } from '../../core/store/ride-queries.js'
import { createTripQueries, type TripRow } from '../../core/store/trip-queries.js'
import { createTripRunQueries } from '../../core/store/trip-run-queries.js'
import type { ApiDeps } from '../api-deps.js'
import type { AuthenticatedEnv } from '../authenticate.js'
import { idSchema, instantSchema, serviceDateSchema } from '../input-schemas.js'
import { describeOperations } from '../openapi/api-operation.js'
import { parseInput } from '../parse-input.js'
import { readJsonBody, readPathId, smallBodyMaxBytes } from '../read-request.js'

const dayMs = 24 * 3600_000

const scanBody = z
  .object({
    id: z.uuid({ message: 'expected a UUID made on the phone' }),
    pupilId: idSchema.optional(),
    pupilCode: idSchema.optional(),
    action: z.enum(['boarded', 'alighted']),
    stopId: idSchema.optional(),
    scannedAt: instantSchema,
  })
  .refine((scan) => (scan.pupilId === undefined) !== (scan.pupilCode === undefined), {
    message: 'expected a pupilId or a pupilCode, not both',
    path: ['pupilId'],
  })

const endBody = z.object({
  confirmedEmpty: z.literal(true, { message: 'the attendant must confirm that the bus is empty' }),
  endedAt: instantSchema,
})

const dayQuery = z.object({ date: serviceDateSchema.optional() })

export const boardingOperations = describeOperations([
  {
    method: 'get',
    path: '/api/trips/:tripId/boardings',
    summary: "A trip's scans on one day",
    description: 'Today unless `date` names another day the caller may read.',
    callers: ['bureau', 'school', 'attendant'],
    query: dayQuery,
    responses: { 200: '`{tripId, date, boardings}`' },
  },
  {
    method: 'post',
    path: '/api/trips/:tripId/boardings',
    summary: 'Records a pupil getting on or off',
    description:
      'The scan id is made on the phone: sending it again answers the stored scan with `duplicate: true`. ' +
      'A pupil scanned at a stop that is not theirs is recorded with the warning `wrong_stop`. ' +
      'A pupil of another bus is refused with the reason `pupil_not_on_this_bus` and, in `details.busPlate`, ' +
      'the plate of the bus the pupil rides that day (the only thing said of the pupil).',
    callers: ['attendant'],
    body: scanBody,
    responses: {
      201: '`{boarding, duplicate: false, warnings}`',
      200: '`{boarding, duplicate: true, warnings: []}`: the scan was stored before',
    },
    errors: ['not_found', 'conflict', 'unprocessable'],
  },
  {
    method: 'post',
    path: '/api/trips/:tripId/end',
    summary: 'Ends the trip, the attendant confirming the bus is empty',
    description: 'A pupil never marked off raises the child-left-on-bus alarm, answered as `alarm`.',
    callers: ['attendant'],
    body: endBody,
    responses: {
      201: '`{run, alarm}`: the trip ended now',
      200: '`{run, alarm: null}`: it had ended before',
    },
    errors: ['not_found', 'unprocessable'],
  },
])

/**
 * The attendant's scans: who got on and off, at which stop, and the end of the trip with the
 * empty-bus check. A scan is stored once whatever the number of times the phone sends it, and the
 * pupil's parents hear of it at once.
 */
export function boardingRoutes({ db, access, clock, notifyParents, notifyAttendants, alarms }: ApiDeps) {
  const trips = createTripQueries(db)
  const boardings = createBoardingQueries(db)
  const rides = createRideQueries(db)
  const runs = createTripRunQueries(db)

  /** The trip, if it is this attendant's bus's. */
  const attendantsTrip = async (principal: Principal, tripId: string): Promise<TripRow> => {
    assertRole(principal, ['attendant'])
    const trip = await trips.getTrip(tripId)
    if (!trip) throw new AppError('not_found', `no trip ${tripId}`)
    if (principal.role !== 'attendant' || trip.busId !== principal.busId) {
      throw new AppError('forbidden', `trip ${tripId} is outside this token's scope`)
    }
    return trip
  }

  /**
   * Another bus's pupil: the attendant is told the plate of the bus the pupil rides that day, so
   * the child can be sent to it. An attendant may know which bus a child rides; nothing else of
   * the pupil is said.
   */
  const wrongBus = async (trip: TripRow, pupilId: string, local: LocalTime, field: string) => {
    const ridden = pickPupilBusToday(await rides.pupilTrips(pupilId), {
      isoWeekday: local.isoWeekday,
      direction: trip.direction,
      time: local.time,
      busId: trip.busId,
    })
    return new AppError(
      'unprocessable',
      `wrong bus: the pupil rides ${ridden ? `${ridden.plate} on ${local.date}` : 'no other school bus that day'}, not this one`,
      { field, reason: 'pupil_not_on_this_bus', ...(ridden ? { details: { busPlate: ridden.plate } } : {}) },
    )
  }

  const pupilOf = async (trip: TripRow, scan: z.infer<typeof scanBody>, local: LocalTime) => {
    const roster = await trips.roster(trip.id)
    if (scan.pupilCode !== undefined) {
      const onTrip = roster.find((pupil) => pupil.code === scan.pupilCode)
      if (onTrip) return onTrip
      const known = await boardings.pupilByCode(scan.pupilCode)
      if (!known) {
        throw new AppError('unprocessable', `no pupil has the code ${scan.pupilCode}`, {
          field: 'body.pupilCode',
          reason: 'unknown_pupil_code',
        })
      }
      throw await wrongBus(trip, known.id, local, 'body.pupilCode')
    }
    const onTrip = roster.find((pupil) => pupil.pupilId === scan.pupilId)
    if (!onTrip) throw await wrongBus(trip, scan.pupilId!, local, 'body.pupilId')
    return onTrip
  }

  /**
   * The stored scan a resent id names, if any. The id is made on the phone and is the key of the
   * store, so the same id on another trip cannot be a second record: it is a mistake or someone
   * fishing for another bus's scans, and is refused as a conflict that shows nothing of the other.
   */
  const resentScan = async (scanId: string, tripId: string) => {
    const known = await boardings.byId(scanId)
    if (known && known.tripId !== tripId) {
      throw new AppError('conflict', `body.id: scan ${scanId} belongs to another trip`, {
        field: 'body.id',
        reason: 'scan_of_another_trip',
      })
    }
    return known
  }

  return new Hono<AuthenticatedEnv>()
    .get('/:tripId/boardings', async (c) => {
      const principal = c.get('principal')
      const tripId = readPathId(c, 'tripId')
      await assertAllowed(access.canSeeRoster(principal, tripId), `the boardings of trip ${tripId}`)
      const { date } = parseInput(dayQuery, c.req.query(), 'query')
      const day = date ?? toShanghaiTime(clock.now()).date
      const dayStart = fromShanghaiTime(day, '00:00:00')
      const dayRange = { from: dayStart, to: new Date(dayStart.getTime() + dayMs) }
      if ((await access.historyWindows(principal, dayRange)).length === 0) {
        throw new AppError(
          'forbidden',
          `the boardings of trip ${tripId} on ${day} are outside this token's scope`,
        )
      }
      return c.json({ tripId, date: day, boardings: await boardings.tripScans(tripId, day) })
    })
    .post('/:tripId/boardings', async (c) => {
      const principal = c.get('principal')
      const tripId = readPathId(c, 'tripId')
      const trip = await attendantsTrip(principal, tripId)
      const scan = await readJsonBody(c, scanBody, smallBodyMaxBytes)

      const known = await resentScan(scan.id, tripId)
      if (known) return c.json({ boarding: known, duplicate: true, warnings: [] })

      const local = toShanghaiTime(new Date(scan.scannedAt))
      if (!trip.weekdays.includes(local.isoWeekday)) {
        throw new AppError('unprocessable', `trip ${tripId} does not run on ${local.date}`, {
          reason: 'trip_not_running',
        })
      }
      const pupil = await pupilOf(trip, scan, local)
      const stops = await trips.tripStops(tripId)
      const place = scan.stopId ? stops.find((stop) => stop.stopId === scan.stopId) : undefined
      if (scan.stopId && !place) {
        throw new AppError('unprocessable', `stop ${scan.stopId} is not on trip ${tripId}`, {
          field: 'body.stopId',
          reason: 'stop_not_on_trip',
        })
      }
      checkScan(scan, await boardings.pupilScans(tripId, local.date, pupil.pupilId), {
        nowMs: clock.now().getTime(),
      })
      // Recorded all the same: the pupil is on the bus, wherever they got on, and must be counted.
      const ownSeq = scan.action === 'boarded' ? pupil.boardSeq : pupil.alightSeq
      const warnings = place && place.seq !== ownSeq ? ['wrong_stop'] : []

      const record = {
        id: scan.id,
        tripId,
        serviceDate: local.date,
        pupilId: pupil.pupilId,
        action: scan.action,
        stopId: scan.stopId ?? null,
        scannedAt: new Date(scan.scannedAt).toISOString(),
        recordedBy: principal.sub,
      }
      // Two phones may send the same scan at once: the loser of the race answers as a resend.
      if (!(await boardings.insert(record))) {
        return c.json({ boarding: await resentScan(scan.id, tripId), duplicate: true, warnings: [] })
      }
      if (trip.busId) notifyAttendants?.(trip.busId, 'boarding', record)
      notifyParents?.(pupil.pupilId, 'notice', {
        kind: scan.action,
        pupilId: pupil.pupilId,
        tripId,
        busId: trip.busId,
        ts: record.scannedAt,
        stopId: record.stopId,
        stopName: place?.name ?? null,
        lat: place?.lat ?? null,
        lon: place?.lon ?? null,
      })
      return c.json({ boarding: record, duplicate: false, warnings }, 201)
    })
    .post('/:tripId/end', async (c) => {
      const principal = c.get('principal')
      const tripId = readPathId(c, 'tripId')
      const trip = await attendantsTrip(principal, tripId)
      const body = await readJsonBody(c, endBody, smallBodyMaxBytes)
      const endedAtMs = Date.parse(body.endedAt)
      checkPhoneTime(endedAtMs, { nowMs: clock.now().getTime(), field: 'body.endedAt' })
      const date = toShanghaiTime(new Date(endedAtMs)).date
      const { run, created } = await runs.endRun({
        tripId,
        date,
        endedAt: new Date(endedAtMs).toISOString(),
        endedBy: principal.sub,
        confirmedEmpty: body.confirmedEmpty,
      })
      // Confirmed empty, yet a pupil was never marked off: someone must go and look.
      const alarm =
        created && alarms && trip.busId
          ? await alarms.raise({
              busId: trip.busId,
              tripId,
              serviceDate: date,
              atMs: endedAtMs,
              reason: 'trip_ended',
            })
          : null
      return c.json({ run, alarm }, created ? 201 : 200)
    })
}
