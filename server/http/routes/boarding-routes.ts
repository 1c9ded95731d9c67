import { Hono } from 'hono'
import { z } from 'zod'
import { assertRole } from '../../auth/access-policy.js'
import { checkScan } from '../../boarding/scan-rules.js'
import { toShanghaiTime } from '../../clock/shanghai-time.js'
import { AppError } from '../../errors/app-error.js'
import { createBoardingQueries } from '../../store/boarding-queries.js'
import { createTripQueries } from '../../store/trip-queries.js'
import type { ApiDeps } from '../api-deps.js'
import type { AuthenticatedEnv } from '../authenticate.js'
import { parseInput } from '../parse-input.js'

const scanBody = z.object({
  id: z.uuid({ message: 'expected a UUID made on the phone' }),
  pupilId: z.string().min(1),
  action: z.enum(['boarded', 'alighted']),
  stopId: z.string().min(1).optional(),
  scannedAt: z.iso.datetime({ offset: true, message: 'expected an ISO-8601 time with offset' }),
})

/**
 * The attendant's scans: who got on and off, at which stop. A scan is stored once whatever the
 * number of times the phone sends it, and the pupil's parents hear of it at once.
 */
export function boardingRoutes({ db, clock, notifyParents }: ApiDeps) {
  const trips = createTripQueries(db)
  const boardings = createBoardingQueries(db)

  return new Hono<AuthenticatedEnv>().post('/:tripId/boardings', async (c) => {
    const principal = c.get('principal')
    assertRole(principal, ['attendant'])
    const tripId = c.req.param('tripId')
    const scan = parseInput(scanBody, await c.req.json().catch(() => undefined), 'body')
    const trip = await trips.getTrip(tripId)
    if (!trip) throw new AppError('not_found', `no trip ${tripId}`)
    if (principal.role !== 'attendant' || trip.busId !== principal.busId) {
      throw new AppError('forbidden', `trip ${tripId} is outside this token's scope`)
    }

    const known = await boardings.byId(scan.id)
    if (known) return c.json({ boarding: known, duplicate: true })

    const local = toShanghaiTime(new Date(scan.scannedAt))
    if (!trip.weekdays.includes(local.isoWeekday)) {
      throw new AppError('unprocessable', `trip ${tripId} does not run on ${local.date}`)
    }
    const roster = await trips.roster(tripId)
    if (!roster.some((pupil) => pupil.pupilId === scan.pupilId)) {
      throw new AppError('unprocessable', `pupil ${scan.pupilId} does not ride trip ${tripId}: wrong bus`, {
        field: 'body.pupilId',
      })
    }
    const stops = await trips.tripStops(tripId)
    if (scan.stopId && !stops.some((stop) => stop.stopId === scan.stopId)) {
      throw new AppError('unprocessable', `stop ${scan.stopId} is not on trip ${tripId}`, {
        field: 'body.stopId',
      })
    }
    checkScan(scan, await boardings.pupilScans(tripId, local.date, scan.pupilId), {
      nowMs: clock.now().getTime(),
    })

    const record = {
      id: scan.id,
      tripId,
      serviceDate: local.date,
      pupilId: scan.pupilId,
      action: scan.action,
      stopId: scan.stopId ?? null,
      scannedAt: new Date(scan.scannedAt).toISOString(),
      recordedBy: principal.sub,
    }
    // Two phones may send the same scan at once: the loser of the race answers as a resend.
    if (!(await boardings.insert(record)))
      return c.json({ boarding: await boardings.byId(scan.id), duplicate: true })
    const place = scan.stopId ? stops.find((stop) => stop.stopId === scan.stopId) : undefined
    notifyParents?.(scan.pupilId, 'notice', {
      kind: scan.action,
      pupilId: scan.pupilId,
      tripId,
      busId: trip.busId,
      ts: record.scannedAt,
      stopId: record.stopId,
      stopName: place?.name ?? null,
      lat: place?.lat ?? null,
      lon: place?.lon ?? null,
    })
    return c.json({ boarding: record, duplicate: false }, 201)
  })
}
