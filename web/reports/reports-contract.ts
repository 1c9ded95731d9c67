import * as z from 'zod/mini'
import type { ComplianceLevel, ComplianceSubject } from '../../server/core/compliance/compliance-finding.js'
import type { ReportGrouping } from '../../server/core/reports/roll-up-report.js'

/** What the reports page reads from `/api/reports` and `/api/compliance`: only the fields it uses. */
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
