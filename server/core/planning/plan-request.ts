import { z } from 'zod'
import { defaultPlanSettings, type PlanSettings } from '../../../geo/planner/plan-model.js'

const minutes = (limit: number) =>
  z
    .number()
    .int('expected whole minutes')
    .min(-limit, `expected at most ${limit} minutes earlier`)
    .max(limit, `expected at most ${limit} minutes later`)
const id = z.string().trim().min(1).max(64)
const grade = z.number().int().min(1).max(12)
const between = (min: number, max: number) => z.number().min(min).max(max)
const wholeBetween = (min: number, max: number) => z.number().int().min(min).max(max)

/** How far a start or a wave may be moved by hand or by the shift proposal. */
const maxShiftMin = 120

const timeShift = z.strictObject({
  schoolId: id,
  grade: grade.optional(),
  waveId: id.optional(),
  shiftMin: minutes(maxShiftMin),
})
const shiftWindow = z
  .strictObject({
    schoolId: id,
    grade: grade.optional(),
    waveId: id.optional(),
    earliestMin: minutes(maxShiftMin),
    latestMin: minutes(maxShiftMin),
  })
  .refine((w) => w.earliestMin <= w.latestMin, {
    message: 'must not be before earliestMin',
    path: ['latestMin'],
  })

/** What a caller may change of the planner's settings; everything left out keeps its default. */
const planSettingsSchema = z.strictObject({
  walkLimitM: between(50, 3000),
  youngWalkLimitM: between(50, 3000),
  youngGradesUpTo: wholeBetween(0, 12),
  stopCapacity: wholeBetween(1, 200),
  minStopPupils: wholeBetween(1, 50),
  maxRideS: between(300, 3 * 3600),
  arriveBeforeBellMaxS: between(0, 2 * 3600),
  arriveBeforeBellMinS: between(0, 2 * 3600),
  departAfterDismissalMaxS: between(0, 2 * 3600),
  timeShifts: z.array(timeShift).max(200),
  shiftWindows: z.array(shiftWindow).max(200),
  searchTimeLimitMs: wholeBetween(10, 600_000),
} satisfies Record<keyof PlanSettings, z.ZodType>)

export const pupilScopeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('riders') }),
  z.strictObject({ kind: z.literal('line_riders') }),
  z.strictObject({ kind: z.literal('schools'), schoolIds: z.array(id).min(1).max(200) }),
])

/**
 * The body of `POST /api/plans`, stored as the plan's inputs. A what-if names its base plan: a done
 * plan of the same pupils, whose stops, travel table and untouched routes it re-uses.
 */
export const planRequestSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(120).nullable().default(null),
    pupilScope: pupilScopeSchema.default({ kind: 'riders' }),
    settings: planSettingsSchema.partial().default({}),
    basePlanId: z.uuid({ message: 'expected a plan id (UUID)' }).optional(),
  })
  .refine(
    // One bound may be left to its default, so the pair is compared as the planner will see it.
    ({ settings }) => {
      const { arriveBeforeBellMinS, arriveBeforeBellMaxS } = { ...defaultPlanSettings, ...settings }
      return arriveBeforeBellMinS <= arriveBeforeBellMaxS
    },
    { message: 'must not be more than arriveBeforeBellMaxS', path: ['settings', 'arriveBeforeBellMinS'] },
  )

/** Every school a request names, with the field that names it. */
export function listRequestSchools(
  request: z.infer<typeof planRequestSchema>,
): { field: string; schoolId: string }[] {
  const { pupilScope, settings } = request
  return [
    ...(pupilScope.kind === 'schools'
      ? pupilScope.schoolIds.map((schoolId, i) => ({ field: `pupilScope.schoolIds.${i}`, schoolId }))
      : []),
    ...(settings.timeShifts ?? []).map(({ schoolId }, i) => ({
      field: `settings.timeShifts.${i}.schoolId`,
      schoolId,
    })),
    ...(settings.shiftWindows ?? []).map(({ schoolId }, i) => ({
      field: `settings.shiftWindows.${i}.schoolId`,
      schoolId,
    })),
  ]
}

export type PlanRequest = z.infer<typeof planRequestSchema>
