import * as z from 'zod/mini'

/**
 * What the parent page receives from the API and the live channel. zod's mini build keeps the
 * page small on a slow connection; everything that crosses the wire is checked here once.
 */

const stopSchema = z.object({
  seq: z.number(),
  stopId: z.string(),
  name: z.string(),
  lat: z.number(),
  lon: z.number(),
  /** Local Cixi time, 'HH:MM'. */
  scheduledTime: z.string(),
})
export type RideStop = z.infer<typeof stopSchema>

export const principalResponseSchema = z.object({
  principal: z.object({ role: z.string(), sub: z.string(), pupilIds: z.optional(z.array(z.string())) }),
})

const rideSchema = z.object({
  tripId: z.string(),
  /** The trip's local date, 'YYYY-MM-DD'. */
  date: z.string(),
  direction: z.enum(['to_school', 'from_school']),
  busId: z.string(),
  plate: z.string(),
  boardStop: stopSchema,
  alightStop: stopSchema,
  stops: z.array(stopSchema),
  route: z.object({
    type: z.literal('LineString'),
    coordinates: z.array(z.tuple([z.number(), z.number()])),
  }),
  visibleFrom: z.string(),
  visibleUntil: z.string(),
  live: z.boolean(),
  /** The child's scans on this ride, as the attendant's phone recorded them, in order. */
  boardings: z.array(
    z.object({
      action: z.enum(['boarded', 'alighted']),
      ts: z.string(),
      stopId: z.nullable(z.string()),
      stopName: z.nullable(z.string()),
      lat: z.nullable(z.number()),
      lon: z.nullable(z.number()),
    }),
  ),
})
export type Ride = z.infer<typeof rideSchema>

/**
 * What the server has recorded of the child's trips for today (and the next ride's day): each
 * change of bus, with the same `ts` as the live notice of it. A kind this page does not know is
 * read and left out, so that a newer server does not break an older page.
 */
const tripNoticeSchema = z.object({
  kind: z.string(),
  tripId: z.string(),
  /** The service day it is for, 'YYYY-MM-DD'. */
  date: z.string(),
  ts: z.string(),
  busId: z.optional(z.nullable(z.string())),
  plate: z.optional(z.nullable(z.string())),
  newBusId: z.optional(z.nullable(z.string())),
  newPlate: z.optional(z.nullable(z.string())),
})
export type TripNotice = z.infer<typeof tripNoticeSchema>

export const rideResponseSchema = z.object({
  pupil: z.object({ id: z.string(), name: z.string(), schoolName: z.string() }),
  ride: z.nullable(rideSchema),
  nextRide: z.nullable(z.object({ tripId: z.string(), date: z.string(), scheduledTime: z.string() })),
  notices: z.optional(z.array(tripNoticeSchema)),
})
export type RideResponse = z.infer<typeof rideResponseSchema>

export const noticeEventSchema = z.object({
  kind: z.enum(['boarded', 'alighted', 'bus_changed']),
  pupilId: z.string(),
  tripId: z.string(),
  ts: z.string(),
  stopId: z.optional(z.nullable(z.string())),
  stopName: z.optional(z.nullable(z.string())),
  lat: z.optional(z.nullable(z.number())),
  lon: z.optional(z.nullable(z.number())),
  busId: z.optional(z.nullable(z.string())),
  newBusId: z.optional(z.nullable(z.string())),
  /** A change of bus: the service day it is for, and the plates before and after. */
  date: z.optional(z.string()),
  plate: z.optional(z.nullable(z.string())),
  newPlate: z.optional(z.nullable(z.string())),
})
export type NoticeEvent = z.infer<typeof noticeEventSchema>

/** The stop the ETA is for: where the child gets on in the morning, where they get off after school. */
export function childStopOf(ride: Ride): RideStop {
  return ride.direction === 'to_school' ? ride.boardStop : ride.alightStop
}
