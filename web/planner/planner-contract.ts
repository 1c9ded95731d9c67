import * as z from 'zod/mini'

/** What the planner page reads from the API: only the fields it shows. */
const latLon = z.object({ lat: z.number(), lon: z.number() })

const metricsSchema = z.object({
  pupils: z.number(),
  pupilsServed: z.number(),
  coverageWithinWalk: z.number(),
  meanWalkM: z.number(),
  maxWalkM: z.number(),
  meanRideS: z.number(),
  maxRideS: z.number(),
  buses: z.number(),
  busKmPerDay: z.number(),
  busHoursPerDay: z.number(),
  seatUse: z.number(),
  costPerDayYuan: z.number(),
  /** Each bus type's share; plans stored before it was counted have none. */
  parts: z.optional(
    z.array(
      z.object({
        busTypeId: z.string(),
        seats: z.number(),
        hired: z.boolean(),
        buses: z.number(),
        busKmPerDay: z.number(),
        busHoursPerDay: z.number(),
        costPerDayYuan: z.number(),
      }),
    ),
  ),
})
export type Metrics = z.infer<typeof metricsSchema>
export type ServicePart = NonNullable<Metrics['parts']>[number]

const timeShiftSchema = z.object({
  schoolId: z.string(),
  grade: z.optional(z.number()),
  waveId: z.optional(z.string()),
  shiftMin: z.number(),
})
export type TimeShift = z.infer<typeof timeShiftSchema>

/** A what-if's account of what it planned again and what it kept of its base plan. */
const replannedSchema = z.object({
  mode: z.enum(['partial', 'full']),
  reason: z.nullable(z.string()),
  groups: z.array(
    z.object({
      key: z.string(),
      schoolId: z.string(),
      direction: z.enum(['to_school', 'from_school']),
      timeS: z.number(),
      waveId: z.nullable(z.string()),
      pupils: z.number(),
    }),
  ),
  reusedGroups: z.number(),
  microRuns: z.object({ retimed: z.number(), kept: z.number() }),
  comparison: z.nullable(z.object({ groups: z.number(), reusedGroups: z.number() })),
})
export type Replanned = z.infer<typeof replannedSchema>

const planResultSchema = z.object({
  stops: z.array(z.object({ id: z.string(), name: z.string(), location: latLon })),
  /** The transit hubs the lines call at: plans stored before named none. */
  hubs: z.optional(z.array(z.object({ id: z.string(), name: z.string(), location: latLon }))),
  lines: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      kind: z.enum(['custom_bus', 'micro_bus']),
      busTypeId: z.string(),
      stopIds: z.array(z.string()),
      tripIds: z.array(z.string()),
      geometry: z.object({ coordinates: z.array(z.tuple([z.number(), z.number()])) }),
    }),
  ),
  trips: z.array(
    z.object({
      id: z.string(),
      lineId: z.string(),
      direction: z.enum(['to_school', 'from_school']),
      stops: z.array(
        z.object({
          stopId: z.string(),
          arriveS: z.number(),
          departS: z.number(),
          board: z.array(z.string()),
        }),
      ),
    }),
  ),
  vehicles: z.array(z.object({ id: z.string(), busTypeId: z.string(), tripIds: z.array(z.string()) })),
  /** School and grade came with the reasons later: plans stored before have neither. */
  unserved: z.array(
    z.object({
      pupilId: z.string(),
      reason: z.string(),
      schoolId: z.optional(z.string()),
      grade: z.optional(z.number()),
    }),
  ),
  metrics: metricsSchema,
  comparisons: z.array(z.object({ scope: z.string(), today: metricsSchema, proposed: metricsSchema })),
  shiftProposal: z.nullable(
    z.object({
      shifts: z.array(timeShiftSchema),
      busesBefore: z.number(),
      busesAfter: z.number(),
      meanRideSBefore: z.number(),
      meanRideSAfter: z.number(),
    }),
  ),
  /** Only a what-if has it, and only one planned since what-ifs re-use their base. */
  replanned: z.optional(replannedSchema),
})
export type PlanResult = z.infer<typeof planResultSchema>
export type PlannedLine = PlanResult['lines'][number]
export type UnservedPupil = PlanResult['unserved'][number]

export const pupilScopeSchema = z.union([
  z.object({ kind: z.literal('riders') }),
  z.object({ kind: z.literal('line_riders') }),
  z.object({ kind: z.literal('schools'), schoolIds: z.array(z.string()) }),
])
export type PupilScope = z.infer<typeof pupilScopeSchema>

const shiftWindowSchema = z.object({
  schoolId: z.string(),
  grade: z.optional(z.number()),
  waveId: z.optional(z.string()),
  earliestMin: z.number(),
  latestMin: z.number(),
})
export type ShiftWindow = z.infer<typeof shiftWindowSchema>

/** The body of a plan request, as the server stored it; a what-if names its base plan. */
export const planRequestSchema = z.object({
  name: z.nullable(z.string()),
  basePlanId: z.optional(z.string()),
  pupilScope: pupilScopeSchema,
  settings: z.looseObject({
    timeShifts: z.optional(z.array(timeShiftSchema)),
    shiftWindows: z.optional(z.array(shiftWindowSchema)),
  }),
})
export type PlanRequest = z.infer<typeof planRequestSchema>

const planStatusSchema = z.enum(['running', 'done', 'failed', 'cancelled'])
export type PlanStatus = z.infer<typeof planStatusSchema>

const planProgressSchema = z.object({ phase: z.string(), fraction: z.number() })
export type PlanProgress = z.infer<typeof planProgressSchema>

export const planSummarySchema = z.object({
  id: z.string(),
  name: z.nullable(z.string()),
  status: planStatusSchema,
  createdAt: z.string(),
  metrics: z.nullable(metricsSchema),
  progress: z.nullable(planProgressSchema),
})
export type PlanSummary = z.infer<typeof planSummarySchema>

export const planSchema = z.object({
  id: z.string(),
  name: z.nullable(z.string()),
  status: planStatusSchema,
  createdAt: z.string(),
  progress: z.nullable(planProgressSchema),
  inputs: planRequestSchema,
  result: z.nullable(planResultSchema),
  error: z.nullable(z.string()),
})
export type Plan = z.infer<typeof planSchema>

/** The live channel's `plan_progress`. */
export const planUpdateSchema = z.object({
  id: z.string(),
  status: planStatusSchema,
  phase: z.string(),
  fraction: z.number(),
})
export type PlanUpdate = z.infer<typeof planUpdateSchema>

export const densitySchema = z.object({
  cellM: z.number(),
  cells: z.array(z.object({ lat: z.number(), lon: z.number(), count: z.number() })),
  hidden: z.number(),
})
export type Density = z.infer<typeof densitySchema>

export const todaySchema = z.object({
  buses: z.number(),
  riders: z.number(),
  routes: z.array(
    z.object({ id: z.string(), kind: z.string(), coordinates: z.array(z.tuple([z.number(), z.number()])) }),
  ),
})
export type TodayService = z.infer<typeof todaySchema>

export const schoolSchema = z.object({
  id: z.string(),
  nameZh: z.string(),
  nameEn: z.nullable(z.string()),
  /** Where the school is, marked on the map. */
  lat: z.number(),
  lon: z.number(),
  schedule: z.object({
    grades: z.array(z.object({ grade: z.number(), startTime: z.string() })),
    dismissalWaves: z.array(z.object({ id: z.string(), name: z.string(), time: z.string() })),
  }),
})
export type School = z.infer<typeof schoolSchema>
