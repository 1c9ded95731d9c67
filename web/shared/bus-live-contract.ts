import * as z from 'zod/mini'

/** What the live channel and `GET /api/buses/:busId/live` say about a bus: where it is, its ETA. */

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

export const unsubscribedEventSchema = z.object({ busId: z.optional(z.string()), reason: z.string() })
