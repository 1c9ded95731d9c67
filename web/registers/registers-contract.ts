import * as z from 'zod/mini'
import type { RegisterName } from '../../server/core/registers/register-records.js'
import type { CellType } from '../../server/core/registers/register-sheets.js'

/** What the registers page reads from `/api/registers…`: only the fields it uses. */
const cellSchema = z.object({
  type: z.string(),
  labels: z.optional(z.record(z.string(), z.string())),
  min: z.optional(z.number()),
  max: z.optional(z.number()),
})

const columnSchema = z.object({
  field: z.string(),
  zh: z.string(),
  en: z.string(),
  cell: cellSchema,
  required: z.boolean(),
})

const sheetSchema = z.object({
  register: z.string(),
  zh: z.string(),
  en: z.string(),
  title: z.string(),
  columns: z.array(columnSchema),
  personal: z.array(z.string()),
})

export const sheetsSchema = z.object({ registers: z.array(sheetSchema) })

/** A column as the server lays it out; its cell type is the server's own (register-sheets.ts). */
export interface SheetColumn {
  field: string
  zh: string
  en: string
  cell: CellType
  required: boolean
}

export interface Sheet {
  register: RegisterName
  zh: string
  en: string
  title: string
  columns: SheetColumn[]
  personal: string[]
}

/** The server's answer, typed by the server's own sheet types (it writes them from register-sheets.ts). */
export function sheetsOf(answer: z.infer<typeof sheetsSchema>): Sheet[] {
  return answer.registers as unknown as Sheet[]
}

export type RegisterRecord = Record<string, unknown>

export const recordsSchema = z.object({
  total: z.number(),
  records: z.array(z.object({ key: z.string(), record: z.record(z.string(), z.unknown()) })),
})
export type RecordPage = z.infer<typeof recordsSchema>

export const problemSchema = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  register: z.nullable(z.string()),
  sheet: z.string(),
  row: z.nullable(z.number()),
  column: z.nullable(z.string()),
  value: z.nullable(z.string()),
  message: z.string(),
})
export type Problem = z.infer<typeof problemSchema>

const countsSchema = z.object({
  inserted: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  removed: z.number(),
})
export type ChangeCounts = z.infer<typeof countsSchema>

export const reportSchema = z.object({
  applied: z.boolean(),
  errorCount: z.number(),
  warningCount: z.number(),
  problems: z.array(problemSchema),
  counts: z.record(z.string(), countsSchema),
})
export type ImportReport = z.infer<typeof reportSchema>

export const reportAnswerSchema = z.object({ report: reportSchema })

export const changeActions = ['import', 'edit', 'remove', 'export'] as const
export type ChangeAction = (typeof changeActions)[number]

const changeSchema = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  register: z.nullable(z.string()),
  recordKey: z.nullable(z.string()),
  summary: z.nullable(z.record(z.string(), z.unknown())),
  before: z.optional(z.unknown()),
  after: z.optional(z.unknown()),
})
export type LoggedChange = z.infer<typeof changeSchema>

export const changesSchema = z.object({ changes: z.array(changeSchema) })

export const meSchema = z.object({
  principal: z.object({ role: z.string(), sub: z.string(), schoolId: z.optional(z.string()) }),
})
