import { z } from 'zod'
import { idSchema } from '../input-schemas.js'
import { describeOperations } from './api-operation.js'

/**
 * The routes of trip-routes.ts and ride-routes.ts, described here rather than beside them. The
 * change of bus is the one body among them: its schema is written again here, and openapi.test.ts
 * checks that the route refuses what this one does.
 */
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
    description: "The trip's pupils' parents are told at once.",
    callers: ['bureau'],
    body: busChange,
    responses: { 200: '`{trip}` as changed' },
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
  {
    method: 'get',
    path: '/api/pupils/:pupilId/ride',
    summary: "Where the pupil's bus is: the ride running now or the next one",
    description:
      "The ride's bus, the pupil's stops and the road, and `live`: whether the bus can be watched " +
      "live now. A parent sees only their child's stops; no other pupil appears.",
    callers: ['bureau', 'school', 'attendant', 'parent'],
    responses: { 200: '`{pupil, ride, nextRide}`: `ride` is null between rides' },
    errors: ['not_found', 'router_unavailable'],
  },
])
