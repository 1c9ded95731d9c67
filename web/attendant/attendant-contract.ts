import * as z from 'zod/mini'

/**
 * What the attendant page receives from the API and the live channel, checked here once (zod's
 * mini build keeps the page small).
 */

export const principalResponseSchema = z.object({
  principal: z.object({ role: z.string(), sub: z.string(), busId: z.optional(z.string()) }),
})

const directionSchema = z.enum(['to_school', 'from_school'])
export type Direction = z.infer<typeof directionSchema>

const todayTripSchema = z.object({
  tripId: z.string(),
  direction: directionSchema,
  schoolName: z.string(),
  /** Local Cixi time, 'HH:MM'. */
  startTime: z.string(),
  endTime: z.string(),
  state: z.enum(['upcoming', 'running', 'ended']),
  /** The attendant's end of the trip today: when, who, and whether they checked the bus was empty. */
  ended: z.nullable(z.object({ endedAt: z.string(), endedBy: z.string(), confirmedEmpty: z.boolean() })),
})
export type TodayTrip = z.infer<typeof todayTripSchema>

/** `GET /api/buses/:busId/today`: the bus's trips on its service day. */
export const todaySchema = z.object({
  busId: z.string(),
  plate: z.string(),
  /** The service day in Cixi, 'YYYY-MM-DD'. */
  date: z.string(),
  trips: z.array(todayTripSchema),
})
export type Today = z.infer<typeof todaySchema>

const tripStopSchema = z.object({
  seq: z.number(),
  stopId: z.string(),
  name: z.string(),
  lat: z.number(),
  lon: z.number(),
  /** Local Cixi time, 'HH:MM:SS'. */
  arriveTime: z.string(),
  departTime: z.string(),
})
export type TripStop = z.infer<typeof tripStopSchema>

export const tripDetailSchema = z.object({
  trip: z.object({ id: z.string(), busId: z.string(), direction: directionSchema }),
  stops: z.array(tripStopSchema),
})

const rosterPupilSchema = z.object({
  pupilId: z.string(),
  code: z.string(),
  name: z.string(),
  grade: z.number(),
  /** The seq of the stop where the pupil gets on, and of the one where they get off. */
  boardSeq: z.number(),
  alightSeq: z.number(),
})
export type RosterPupil = z.infer<typeof rosterPupilSchema>

export const rosterSchema = z.object({ tripId: z.string(), pupils: z.array(rosterPupilSchema) })

export type ScanAction = 'boarded' | 'alighted'

const boardingSchema = z.object({
  id: z.string(),
  tripId: z.string(),
  serviceDate: z.string(),
  pupilId: z.string(),
  action: z.enum(['boarded', 'alighted']),
  stopId: z.nullable(z.string()),
  scannedAt: z.string(),
  recordedBy: z.string(),
})
export type Boarding = z.infer<typeof boardingSchema>

export const boardingsSchema = z.object({ boardings: z.array(boardingSchema) })

/** The answer to a scan: 201 for a new one (with warnings such as 'wrong_stop'), 200 for a resend. */
export const scanAnswerSchema = z.object({
  boarding: boardingSchema,
  duplicate: z.boolean(),
  warnings: z.optional(z.array(z.string())),
})
export type ScanAnswer = z.infer<typeof scanAnswerSchema>

export const alarmSchema = z.object({
  busId: z.string(),
  kind: z.string(),
  ts: z.string(),
  tripId: z.optional(z.nullable(z.string())),
  details: z.optional(
    z.nullable(
      z.object({
        reason: z.optional(z.string()),
        pupils: z.optional(z.array(z.object({ pupilId: z.string(), name: z.string() }))),
      }),
    ),
  ),
  acknowledgedBy: z.optional(z.nullable(z.string())),
  acknowledgedAt: z.optional(z.nullable(z.string())),
})
export type Alarm = z.infer<typeof alarmSchema>

export const leftOnBusKind = 'child_left_on_bus'

export const eventsSchema = z.object({ events: z.array(alarmSchema) })
export const acknowledgeAnswerSchema = z.object({ event: alarmSchema })

export const endAnswerSchema = z.object({
  run: z.object({
    tripId: z.string(),
    date: z.string(),
    endedAt: z.string(),
    endedBy: z.string(),
    confirmedEmpty: z.boolean(),
  }),
  alarm: z.nullable(alarmSchema),
})
export type EndAnswer = z.infer<typeof endAnswerSchema>

/** The live channel's word that a scan was stored (any phone of the bus): time to look again. */
export const boardingEventSchema = z.object({ tripId: z.optional(z.string()) })
