import * as z from 'zod/mini'
import type { ComplianceLevel, ComplianceSubject } from '../../server/core/compliance/compliance-finding.js'
import type { ReportGrouping } from '../../server/core/reports/roll-up-report.js'
import type { ScoreMeasure, ScoreSubject } from '../../server/core/score/score-rule.js'
import type { ScoreStep } from '../../server/core/score/score-thresholds.js'

/**
 * What the reports page reads from `/api/reports`, `/api/compliance` and the score's routes: only
 * the fields it uses.
 */
export const groupings = [
  'bus',
  'driver',
  'school',
  'town',
  'county',
] as const satisfies readonly ReportGrouping[]
export type Grouping = (typeof groupings)[number]

/** A school's reports cover its trips and the buses serving it: never a town's or the county's. */
export const schoolGroupings: readonly Grouping[] = ['bus', 'driver', 'school']

export const periodKinds = ['day', 'month'] as const
export type PeriodKind = (typeof periodKinds)[number]

const reportValueSchema = z.union([z.string(), z.number(), z.null()])
const reportRecordSchema = z.record(z.string(), reportValueSchema)
export type ReportValue = z.infer<typeof reportValueSchema>
export type ReportRecord = z.infer<typeof reportRecordSchema>

const reportColumnSchema = z.object({
  key: z.string(),
  zh: z.string(),
  en: z.string(),
  type: z.enum(['label', 'number']),
  unit: z.optional(z.string()),
  group: z.optional(z.string()),
})
export type ReportColumn = z.infer<typeof reportColumnSchema>

export const reportSchema = z.object({
  period: z.object({ kind: z.enum(periodKinds), date: z.string(), from: z.string(), to: z.string() }),
  by: z.enum(groupings),
  columns: z.array(reportColumnSchema),
  rows: z.array(reportRecordSchema),
  totals: reportRecordSchema,
})
export type Report = z.infer<typeof reportSchema>

export const complianceLevels = ['red', 'amber', 'notice'] as const satisfies readonly ComplianceLevel[]
export type Level = (typeof complianceLevels)[number]
export const complianceSubjects = [
  'bus',
  'driver',
  'attendant',
] as const satisfies readonly ComplianceSubject[]
export type Subject = (typeof complianceSubjects)[number]
const statusSchema = z.enum(['red', 'amber', 'ok'])
export type Standing = z.infer<typeof statusSchema>

const findingSchema = z.object({
  subject: z.enum(complianceSubjects),
  key: z.string(),
  busPlate: z.nullable(z.string()),
  /** The server's rule code; the page words the ones it knows and shows any other as it is. */
  rule: z.string(),
  level: z.enum(complianceLevels),
  dueDate: z.nullable(z.string()),
  daysLeft: z.nullable(z.number()),
  name: z.nullable(z.string()),
})
export type Finding = z.infer<typeof findingSchema>

export const complianceSchema = z.object({
  date: z.string(),
  findings: z.array(findingSchema),
  buses: z.array(
    z.object({ plate: z.string(), busId: z.string(), status: statusSchema, crewStatus: statusSchema }),
  ),
  staff: z.array(
    z.object({
      staffId: z.string(),
      role: z.string(),
      name: z.string(),
      busPlate: z.nullable(z.string()),
      status: statusSchema,
    }),
  ),
})
export type Compliance = z.infer<typeof complianceSchema>

export const meSchema = z.object({
  principal: z.object({ role: z.string(), sub: z.string(), schoolId: z.optional(z.string()) }),
})

// The 12-point score (server/http/routes/score-routes.ts).

export const scoreSubjects = ['driver', 'company'] as const satisfies readonly ScoreSubject[]
export type ScoreSubjectName = (typeof scoreSubjects)[number]
export const scoreSteps = ['interview', 'warning', 'removal'] as const satisfies readonly ScoreStep[]
export type Step = (typeof scoreSteps)[number]
export const scoreMeasures = ['over_limit_pct', 'over_limit_kmh'] as const satisfies readonly ScoreMeasure[]
export type Measure = (typeof scoreMeasures)[number]
const thresholdsSchema = z.object({ interview: z.number(), warning: z.number(), removal: z.number() })
export type Thresholds = z.infer<typeof thresholdsSchema>
const cycleSchema = z.object({ startsOn: z.string(), endsOn: z.string() })
export type Cycle = z.infer<typeof cycleSchema>

const reachedSchema = z.object({
  step: z.enum(scoreSteps),
  threshold: z.number(),
  reachedAt: z.string(),
  totalThen: z.number(),
  /** The total is still at or over it. */
  stands: z.boolean(),
  fallenBelowAt: z.nullable(z.string()),
  caseId: z.nullable(z.number()),
})
export type Reached = z.infer<typeof reachedSchema>

const scoreFields = {
  subject: z.enum(scoreSubjects),
  key: z.string(),
  name: z.string(),
  busIds: z.array(z.string()),
  cycle: cycleSchema,
  total: z.number(),
  voidedPoints: z.number(),
  deductions: z.number(),
  reached: z.array(reachedSchema),
  /** A driver off school-bus duty in the cycle shown; null for a company. */
  removed: z.nullable(z.boolean()),
}
const subjectScoreSchema = z.object(scoreFields)
export type SubjectScore = z.infer<typeof subjectScoreSchema>

export const scoreBoardSchema = z.object({
  cycle: cycleSchema,
  thresholds: thresholdsSchema,
  scores: z.array(subjectScoreSchema),
})
export type ScoreBoard = z.infer<typeof scoreBoardSchema>

const bandSchema = z.object({ from: z.number(), points: z.number() })
export type Band = z.infer<typeof bandSchema>

const pointSchema = z.object({
  id: z.number(),
  points: z.number(),
  /** The rule as it was applied: its points, and for bands the margin read and the step met. */
  rule: z.object({
    kind: z.string(),
    points: z.number(),
    measure: z.nullable(z.enum(scoreMeasures)),
    margin: z.nullable(z.number()),
    band: z.nullable(bandSchema),
  }),
  voided: z.nullable(z.object({ at: z.string(), by: z.string(), outcome: z.string() })),
  event: z.object({ busId: z.string(), plate: z.nullable(z.string()), kind: z.string(), ts: z.string() }),
  case: z.nullable(
    z.object({
      id: z.number(),
      state: z.string(),
      outcome: z.nullable(z.string()),
      closedBy: z.nullable(z.string()),
      closedAt: z.nullable(z.string()),
    }),
  ),
})
export type ScorePoint = z.infer<typeof pointSchema>

const removalSchema = z.object({
  cycle: cycleSchema,
  removedAt: z.string(),
  liftedAt: z.nullable(z.string()),
  liftedBy: z.nullable(z.string()),
  note: z.nullable(z.string()),
})
export type Removal = z.infer<typeof removalSchema>

export const scoreHistorySchema = z.object({
  ...scoreFields,
  thresholds: thresholdsSchema,
  /** A driver's removals, latest first; null for a company. */
  removals: z.nullable(z.array(removalSchema)),
  points: z.array(pointSchema),
  /** Every cycle of the subject with its totals, earliest first. */
  cycles: z.array(
    z.object({ startsOn: z.string(), endsOn: z.string(), total: z.number(), voidedPoints: z.number() }),
  ),
})
export type ScoreHistory = z.infer<typeof scoreHistorySchema>

export const reinstatedSchema = z.object({ removal: removalSchema })

export const scoreRulesSchema = z.object({
  rules: z.array(
    z.object({
      kind: z.string(),
      points: z.nullable(z.number()),
      bands: z.nullable(z.object({ measure: z.enum(scoreMeasures), steps: z.array(bandSchema) })),
      subjects: z.array(z.enum(scoreSubjects)),
      /** Where the points come from, in the bureau's words. */
      basis: z.nullable(z.string()),
    }),
  ),
  cycleStartMonth: z.number(),
  thresholds: thresholdsSchema,
  voidingOutcomes: z.array(z.string()),
})
export type ScoreRules = z.infer<typeof scoreRulesSchema>
