import type { Database, Queryable } from '../store/database.js'
import type { CountyBoundary } from './county-boundary.js'
import {
  mergeRegisters,
  type ChangeCounts,
  type LocatedRecords,
  type MergedRegisters,
  type RemovalRule,
} from './merge-registers.js'
import { readRegisters } from './read-registers.js'
import { logRegisterChange, type RegisterChange } from './register-change-log.js'
import type { RegisterProblem } from './register-problem.js'
import { registerKeys, registerNames, type RegisterName, type RegisterSet } from './register-records.js'
import { writeRegisters } from './write-registers.js'
import { validateRegisters } from './validate-registers.js'

/** A file with a hundred thousand bad rows is not answered with all of them. */
export const MAX_LISTED_PROBLEMS = 1000

export interface RegisterImportReport {
  /** True when the changes were written; false for a dry run or when an error was found. */
  applied: boolean
  errorCount: number
  warningCount: number
  /** Errors first, then warnings, in sheet and row order; at most MAX_LISTED_PROBLEMS. */
  problems: RegisterProblem[]
  /** Per register the file has a sheet for. */
  counts: { [R in RegisterName]?: ChangeCounts }
}

export interface RegisterImportOptions {
  /** Write the changes when nothing is wrong; otherwise only report (the dry run). */
  apply: boolean
  /** Remove stored records the file's sheets leave out (true), or the named ones. */
  remove: RemovalRule
  /** Who imports, for the change log. */
  actor: string
  /** What was imported (a file name), for the change log. */
  source: string
  county: CountyBoundary | undefined
  /**
   * The Cixi date the import is judged on: trips that would run in the week from it with a bus or
   * driver out of compliance are warned about. No such warnings without it.
   */
  serviceDay?: string
  /** One record edited or removed on the registers page: logged with its state before and after. */
  single?: { action: 'edit' | 'remove'; register: RegisterName; key: string }
}

/**
 * The one way records enter the registers, whether from a bureau's workbook, a CSV, an edit on the
 * registers page or the demo's fixture world: lay them over the stored registers, check the result
 * as a whole, and write the difference in one transaction, or nothing when an error was found.
 */
export async function importRegisters(
  db: Database,
  parsed: { records: LocatedRecords; problems: RegisterProblem[] },
  options: RegisterImportOptions,
): Promise<RegisterImportReport> {
  const judge = async (tx: Queryable) => {
    const stored = await readRegisters(tx)
    const merge = mergeRegisters(stored, parsed.records, { remove: options.remove })
    const problems = [
      ...parsed.problems,
      ...merge.problems,
      ...validateRegisters(merge.merged, merge.origins, options.county, { serviceDay: options.serviceDay }),
    ]
    return { stored, merge, problems }
  }
  if (!options.apply) {
    const { merge, problems } = await judge(db)
    return summarise(merge, problems, false)
  }
  return db.transaction(async (tx) => {
    const { stored, merge, problems } = await judge(tx)
    const failed = problems.some((p) => p.severity === 'error')
    if (!failed && hasChanges(merge)) {
      await writeRegisters(tx, merge.changes)
      await logRegisterChange(tx, describeChange(options, stored, merge))
    }
    return summarise(merge, problems, !failed)
  })
}

function describeChange(
  options: RegisterImportOptions,
  stored: RegisterSet,
  merge: MergedRegisters,
): RegisterChange {
  const { single } = options
  if (!single) {
    return {
      actor: options.actor,
      action: 'import',
      register: null,
      recordKey: null,
      summary: { source: options.source, remove: options.remove, counts: merge.counts },
    }
  }
  const keyOf = registerKeys[single.register] as (record: unknown) => string
  const find = (set: RegisterSet) => (set[single.register] as unknown[]).find((r) => keyOf(r) === single.key)
  return {
    actor: options.actor,
    action: single.action,
    register: single.register,
    recordKey: single.key,
    summary: { source: options.source },
    before: find(stored),
    after: find(merge.merged),
  }
}

function hasChanges(merge: MergedRegisters): boolean {
  return Object.keys(merge.changes.upserts).length > 0 || Object.keys(merge.changes.removals).length > 0
}

function summarise(
  merge: MergedRegisters,
  problems: RegisterProblem[],
  applied: boolean,
): RegisterImportReport {
  const order = new Map(registerNames.map((name, i) => [name, i]))
  const sorted = [...problems].sort(
    (a, b) =>
      Number(a.severity === 'warning') - Number(b.severity === 'warning') ||
      (a.register ? order.get(a.register)! : -1) - (b.register ? order.get(b.register)! : -1) ||
      (a.row ?? 0) - (b.row ?? 0),
  )
  const errorCount = problems.filter((p) => p.severity === 'error').length
  return {
    applied,
    errorCount,
    warningCount: problems.length - errorCount,
    problems: sorted.slice(0, MAX_LISTED_PROBLEMS),
    counts: merge.counts,
  }
}

/** The registers of a set as located records, for importing records that come from no file. */
export function locateRecords(set: Partial<RegisterSet>, source: string): LocatedRecords {
  const located: LocatedRecords = {}
  for (const register of registerNames) {
    const records = set[register]
    if (!records) continue
    ;(located[register] as unknown[]) = (records as unknown[]).map((record, i) => ({
      record,
      origin: { sheet: source, row: i + 2 },
    }))
  }
  return located
}
