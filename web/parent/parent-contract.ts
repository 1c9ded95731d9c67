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
})
export type Ride = z.infer<typeof rideSchema>

export const rideResponseSchema = z.object({
  pupil: z.object({ id: z.string(), name: z.string(), schoolName: z.string() }),
  ride: z.nullable(rideSchema),
  nextRide: z.nullable(z.object({ tripId: z.string(), date: z.string(), scheduledTime: z.string() })),
})
export type RideResponse = z.infer<typeof rideResponseSchema>

export const positionSchema = z.object({
  busId: z.string(),
  ts: z.string(),
  lat: z.number(),
  lon: z.number(),
  speedKmh: z.optional(z.nullable(z.number())),
  headingDeg: z.optional(z.nullable(z.number())),
})
export type BusPosition = z.infer<typeof positionSchema>

export const tripEtaSchema = z.object({
  status: z.enum(['on_route', 'not_started', 'silent', 'off_route', 'finished']),
  lastReportTs: z.nullable(z.string()),
  progressM: z.nullable(z.number()),
  nextSeq: z.nullable(z.number()),
  stops: z.array(
    z.object({
      seq: z.number(),
      stopId: z.string(),
      etaTs: z.nullable(z.string()),
      etaS: z.nullable(z.number()),
      passed: z.boolean(),
    }),
  ),
})
export type TripEta = z.infer<typeof tripEtaSchema>

/** The answer of `GET /api/buses/:busId/live` and the live channel's `state` event. */
export const busStateSchema = z.object({
  busId: z.string(),
  position: z.nullable(positionSchema),
  /** The trip the ETA is for: a bus runs several trips a day. */
  tripId: z.optional(z.nullable(z.string())),
  eta: z.nullable(tripEtaSchema),
})
export type BusState = z.infer<typeof busStateSchema>

/** A new ETA for the bus's running trip; both null once the bus runs no trip. */
export const etaEventSchema = z.object({
  busId: z.string(),
  tripId: z.nullable(z.string()),
  eta: z.nullable(tripEtaSchema),
})

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
})
export type NoticeEvent = z.infer<typeof noticeEventSchema>

export const unsubscribedEventSchema = z.object({ busId: z.optional(z.string()), reason: z.string() })

export const pageConfigSchema = z.object({
  tileUrl: z.nullable(z.string()),
  /** The server's clock when it answered: trips run on it, which may differ from the phone's. */
  now: z.string(),
})
export type PageConfig = z.infer<typeof pageConfigSchema>

/** The stop the ETA is for: where the child gets on in the morning, where they get off after school. */
export function childStopOf(ride: Ride): RideStop {
  return ride.direction === 'to_school' ? ride.boardStop : ride.alightStop
}
