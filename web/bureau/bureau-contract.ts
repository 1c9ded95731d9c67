import * as z from 'zod/mini'
import { alarmCaseStates, alarmOutcomes, alarmSeverities } from '../../server/core/alarms/alarm-case.js'
import { busStates } from '../../server/core/fleet/bus-state.js'

/** What the fleet console reads from the API and the live channel: only the fields it shows. */

const compliance = z.enum(['red', 'amber', 'ok'])

const deviceSchema = z.object({
  gps: z.object({
    state: z.enum(['ok', 'stale', 'fault', 'none']),
    lastReportTs: z.nullable(z.string()),
    satellites: z.nullable(z.number()),
    accuracyM: z.nullable(z.number()),
    faults: z.array(z.string()),
  }),
  limiter: z.object({
    state: z.enum(['on', 'off', 'fault', 'unknown']),
    limitKmh: z.nullable(z.number()),
    since: z.nullable(z.string()),
  }),
  video: z.object({
    state: z.enum(['ok', 'fault', 'silent', 'unknown']),
    faults: z.array(z.string()),
    channels: z.array(z.number()),
    lastHealthTs: z.nullable(z.string()),
  }),
  power: z.object({ state: z.enum(['ok', 'low', 'lost']) }),
})
export type DeviceHealth = z.infer<typeof deviceSchema>

export const fleetBusSchema = z.object({
  busId: z.string(),
  plate: z.string(),
  kind: z.string(),
  seats: z.number(),
  townId: z.string(),
  schoolIds: z.array(z.string()),
  state: z.enum(busStates),
  position: z.nullable(
    z.object({
      ts: z.string(),
      lat: z.number(),
      lon: z.number(),
      speedKmh: z.nullable(z.number()),
      headingDeg: z.nullable(z.number()),
      ignition: z.nullable(z.boolean()),
    }),
  ),
  trip: z.nullable(
    z.object({
      id: z.string(),
      schoolId: z.string(),
      direction: z.enum(['to_school', 'from_school']),
      firstCallAt: z.string(),
      lastCallAt: z.string(),
      nextCall: z.nullable(
        z.object({
          seq: z.number(),
          stopId: z.string(),
          nameZh: z.string(),
          nameEn: z.nullable(z.string()),
          plannedAt: z.string(),
          expectedAt: z.nullable(z.string()),
        }),
      ),
      lateS: z.nullable(z.number()),
      lateSource: z.nullable(z.enum(['eta', 'timetable'])),
      pupilsOnBoard: z.number(),
    }),
  ),
  crew: z.object({ driver: z.nullable(z.string()), attendant: z.nullable(z.string()) }),
  device: deviceSchema,
  compliance: z.nullable(z.object({ bus: compliance, crew: compliance })),
  openCases: z.number(),
})
export type FleetBus = z.infer<typeof fleetBusSchema>

export const fleetStateSchema = z.object({
  now: z.string(),
  date: z.string(),
  rules: z.object({ silentAfterS: z.number(), lateAfterS: z.number() }),
  buses: z.array(fleetBusSchema),
  towns: z.array(z.object({ id: z.string(), nameZh: z.string(), nameEn: z.string() })),
  schools: z.array(
    z.object({ id: z.string(), townId: z.string(), nameZh: z.string(), nameEn: z.nullable(z.string()) }),
  ),
})
export type FleetState = z.infer<typeof fleetStateSchema>

export const busEventSchema = z.object({
  busId: z.string(),
  kind: z.string(),
  ts: z.string(),
  tripId: z.nullable(z.string()),
  details: z.record(z.string(), z.unknown()),
})
export type BusEvent = z.infer<typeof busEventSchema>

export const busDaySchema = z.object({
  busId: z.string(),
  date: z.string(),
  from: z.string(),
  to: z.string(),
  events: z.array(busEventSchema),
})

export const busTripsSchema = z.object({
  trips: z.array(
    z.object({
      tripId: z.string(),
      direction: z.enum(['to_school', 'from_school']),
      schoolName: z.string(),
      startTime: z.string(),
      endTime: z.string(),
      state: z.enum(['upcoming', 'running', 'ended']),
    }),
  ),
})
export type BusTrip = z.infer<typeof busTripsSchema>['trips'][number]

export const trackSchema = z.object({
  positions: z.array(
    z.object({ ts: z.string(), lat: z.number(), lon: z.number(), speedKmh: z.nullable(z.number()) }),
  ),
})
export type TrackPoint = z.infer<typeof trackSchema>['positions'][number]

export const alarmCaseSchema = z.object({
  id: z.number(),
  busId: z.string(),
  plate: z.nullable(z.string()),
  kind: z.string(),
  raisedAt: z.string(),
  tripId: z.nullable(z.string()),
  severity: z.enum(alarmSeverities),
  schoolIds: z.array(z.string()),
  state: z.enum(alarmCaseStates),
  acknowledgedBy: z.nullable(z.string()),
  acknowledgedAt: z.nullable(z.string()),
  assignedTo: z.nullable(z.string()),
  assignedAt: z.nullable(z.string()),
  closedBy: z.nullable(z.string()),
  closedAt: z.nullable(z.string()),
  outcome: z.nullable(z.enum(alarmOutcomes)),
  closingText: z.nullable(z.string()),
  escalationLevel: z.number(),
  escalatedAt: z.nullable(z.string()),
  where: z.nullable(z.object({ lat: z.number(), lon: z.number() })),
})
export type AlarmCase = z.infer<typeof alarmCaseSchema>

export const alarmListSchema = z.object({
  alarms: z.array(alarmCaseSchema),
  nextBeforeId: z.nullable(z.number()),
})

const noteSchema = z.object({ id: z.number(), at: z.string(), author: z.string(), text: z.string() })
export type AlarmNote = z.infer<typeof noteSchema>

export const alarmDetailSchema = z.object({
  alarm: alarmCaseSchema,
  evidence: z.object({
    event: z.nullable(busEventSchema),
    where: z.nullable(z.object({ lat: z.number(), lon: z.number(), ts: z.string(), source: z.string() })),
    speedTrace: z.object({
      from: z.string(),
      to: z.string(),
      points: z.array(
        z.object({ ts: z.string(), lat: z.number(), lon: z.number(), speedKmh: z.nullable(z.number()) }),
      ),
      truncated: z.boolean(),
    }),
    contacts: z.array(
      z.object({
        role: z.string(),
        name: z.string(),
        phone: z.nullable(z.string()),
        unit: z.nullable(z.string()),
      }),
    ),
  }),
  history: z.array(
    z.object({
      at: z.string(),
      actor: z.string(),
      action: z.string(),
      toState: z.string(),
      detail: z.record(z.string(), z.unknown()),
    }),
  ),
  notes: z.array(noteSchema),
})
export type AlarmDetail = z.infer<typeof alarmDetailSchema>

/** The live channel's `alarm_case`: a case opened or changed. */
export const alarmCaseChangeSchema = z.object({
  change: z.enum(['opened', 'acknowledged', 'assigned', 'closed', 'escalated', 'noted']),
  alarm: alarmCaseSchema,
  note: z.optional(noteSchema),
})
export type AlarmCaseChange = z.infer<typeof alarmCaseChangeSchema>

export const alarmKindsSchema = z.object({
  kinds: z.array(z.object({ kind: z.string(), severity: z.enum(alarmSeverities) })),
})

export const assigneesSchema = z.object({
  assignees: z.array(
    z.object({
      username: z.string(),
      displayName: z.string(),
      role: z.enum(['bureau', 'school']),
      schoolId: z.nullable(z.string()),
    }),
  ),
})
export type Assignee = z.infer<typeof assigneesSchema>['assignees'][number]

export const meSchema = z.object({
  principal: z.object({ role: z.string(), sub: z.string(), schoolId: z.optional(z.string()) }),
})
