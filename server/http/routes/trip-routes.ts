import { complianceWarningsForTrip } from '../../core/compliance/compliance-warnings-for-trip.js'
import { Hono } from 'hono'
import { z } from 'zod'
import { assertAllowed, assertRole } from '../../core/auth/access-policy.js'
import type { Principal } from '../../core/auth/principal.js'
import { AppError } from '../../core/errors/app-error.js'
import { serviceDayOfChange } from '../../core/schedule/change-service-day.js'
import { createScopeQueries } from '../../core/store/scope-queries.js'
import { createTripNoticeQueries } from '../../core/store/trip-notice-queries.js'
import { createTripQueries } from '../../core/store/trip-queries.js'
import type { ApiDeps } from '../api-deps.js'
import { auditPersonalData } from '../audit-personal-reads.js'
import type { AuthenticatedEnv } from '../authenticate.js'
import { idSchema } from '../input-schemas.js'
import { readJsonBody, readPathId, smallBodyMaxBytes } from '../read-request.js'
import { describeOperations } from '../openapi/api-operation.js'

const busChange = z.object({ busId: idSchema })

export const tripOperations = describeOperations([
  {
    method: 'get',
    path: '/api/trips',
    summary: 'The trips the caller may see',
    description: "The bureau's all, a school's own, an attendant's bus's, a parent's children's.",
    callers: ['bureau', 'school', 'attendant', 'parent'],
    responses: { 200: '`{trips}`' },
  },
  {
    method: 'get',
    path: '/api/trips/:tripId',
    summary: 'One trip with its stops and times',
    callers: ['bureau', 'school', 'attendant', 'parent'],
    responses: { 200: '`{trip, stops}`' },
    errors: ['not_found'],
  },
  {
    method: 'patch',
    path: '/api/trips/:tripId',
    summary: 'Gives the trip another bus: a breakdown or a swap',
    description:
      "The trip's pupils' parents are told at once, and the change is kept for the service day it " +
      'is for (today while the trip has yet to finish, else the next day it runs): the ride answer ' +
      "of each of the trip's pupils carries it as a notice that day.",
    callers: ['bureau'],
    body: busChange,
    responses: {
      200:
        '`{trip, warnings}`: the trip as changed, and a warning for each red compliance finding of its ' +
        "new bus or that bus's driver on a day the trip runs in the coming week (the change stands)",
    },
    errors: ['not_found', 'unprocessable'],
  },
  {
    method: 'get',
    path: '/api/trips/:tripId/roster',
    summary: 'The pupils on a trip, with their stops; the read is kept in the audit log',
    callers: ['bureau', 'school', 'attendant'],
    responses: { 200: '`{tripId, pupils}`' },
    errors: ['not_found'],
  },
])

export function tripRoutes(deps: ApiDeps) {
  const { db, access, clock, notifyParents } = deps
  const trips = createTripQueries(db)
  const scope = createScopeQueries(db)

  const tripsOf = async (principal: Principal) => {
    switch (principal.role) {
      case 'bureau':
        return trips.listTrips({})
      case 'school':
        return trips.listTrips({ schoolId: principal.schoolId })
      case 'attendant':
        return trips.listTrips({ busIds: [principal.busId] })
      case 'parent':
        return trips.listTrips({ tripIds: await scope.tripsCarryingPupils(principal.pupilIds) })
      case 'device':
      case 'service':
        throw new AppError('forbidden', `the ${principal.role} role may not list trips`)
    }
  }

  const existingTrip = async (tripId: string) => {
    const trip = await trips.getTrip(tripId)
    if (!trip) throw new AppError('not_found', `no trip ${tripId}`)
    return trip
  }

  return new Hono<AuthenticatedEnv>()
    .get('/', async (c) => c.json({ trips: await tripsOf(c.get('principal')) }))
    .get('/:tripId', async (c) => {
      const tripId = readPathId(c, 'tripId')
      await assertAllowed(access.canSeeTrip(c.get('principal'), tripId), `trip ${tripId}`)
      return c.json({ trip: await existingTrip(tripId), stops: await trips.tripStops(tripId) })
    })
    .patch('/:tripId', async (c) => {
      // A breakdown or a swap: another bus runs the trip; its pupils' parents are told at once, and
      // the change is kept so that a phone that was not listening learns it from the ride.
      const principal = c.get('principal')
      assertRole(principal, ['bureau'])
      const tripId = readPathId(c, 'tripId')
      const { busId } = await readJsonBody(c, busChange, smallBodyMaxBytes)
      const trip = await existingTrip(tripId)
      if (trip.busId === busId) return c.json({ trip })
      const changedAt = clock.now()
      const endTime = (await trips.tripStops(tripId)).at(-1)?.departTime ?? '23:59:59'
      const serviceDate = serviceDayOfChange({ weekdays: trip.weekdays, endTime }, changedAt)
      const notice = await db.transaction(async (tx) => {
        if (!(await createTripQueries(tx).assignBus(tripId, busId))) return null
        return createTripNoticeQueries(tx).recordBusChange({
          tripId,
          serviceDate,
          changedAt,
          oldBusId: trip.busId,
          newBusId: busId,
          changedBy: principal.sub,
        })
      })
      if (!notice) {
        throw new AppError('unprocessable', `body.busId: no bus ${busId}`, { field: 'body.busId' })
      }
      for (const pupil of await trips.roster(tripId)) {
        notifyParents?.(pupil.pupilId, 'notice', { ...notice, pupilId: pupil.pupilId })
      }
      // A bus or driver out of compliance still takes the trip (a breakdown leaves little choice),
      // but whoever assigned it is told so.
      const warnings = await complianceWarningsForTrip(db, { tripId, serviceDay: serviceDate })
      return c.json({ trip: await existingTrip(tripId), warnings })
    })
    .get('/:tripId/roster', async (c) => {
      const tripId = readPathId(c, 'tripId')
      await assertAllowed(access.canSeeRoster(c.get('principal'), tripId), `the roster of trip ${tripId}`)
      await existingTrip(tripId)
      const pupils = await trips.roster(tripId)
      await auditPersonalData(c, deps, { target: `roster/${tripId}`, detail: { pupils: pupils.length } })
      return c.json({ tripId, pupils })
    })
}
