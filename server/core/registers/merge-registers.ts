import {
  emptyRegisterSet,
  registerKeys,
  registerNames,
  type RegisterName,
  type RegisterSet,
} from './register-records.js'
import type { RecordOrigin, RegisterProblem } from './register-problem.js'
import { columnHeader, registerSheets } from './register-sheets.js'
import type { RegisterChanges } from './write-registers.js'

export type LocatedRecords = {
  [R in RegisterName]?: Array<{ record: RegisterSet[R][number]; origin: RecordOrigin }>
}

/** Where each imported record came from, by register and natural key. */
export type RecordOrigins = { [R in RegisterName]?: Map<string, RecordOrigin> }

export interface ChangeCounts {
  inserted: number
  updated: number
  unchanged: number
  removed: number
}

export interface MergedRegisters {
  /** The registers as they will be once the import is applied. */
  merged: RegisterSet
  origins: RecordOrigins
  changes: RegisterChanges
  counts: { [R in RegisterName]?: ChangeCounts }
  /** Keys given twice in the file. */
  problems: RegisterProblem[]
}

/**
 * Lays imported records over the stored registers by natural key. Records equal to the stored ones
 * are left out of the changes, so importing an export changes nothing. Stored records the file does
 * not name stay unless the removal rule says otherwise; a trip's calls always come whole, so calls
 * of an imported trip that the file leaves out go.
 */
export function mergeRegisters(
  stored: RegisterSet,
  imported: LocatedRecords,
  options: { remove: RemovalRule },
): MergedRegisters {
  const merged = emptyRegisterSet()
  const origins: RecordOrigins = {}
  const changes: RegisterChanges = { upserts: {}, removals: {} }
  const counts: MergedRegisters['counts'] = {}
  const problems: RegisterProblem[] = []
  const callTripsImported = new Set((imported.tripCalls ?? []).map(({ record }) => record.tripCode))
  const removes = (register: RegisterName, key: string) =>
    options.remove === true
      ? imported[register] !== undefined
      : options.remove !== false && (options.remove[register]?.includes(key) ?? false)

  for (const register of registerNames) {
    const result = mergeRegister(
      register,
      stored,
      imported,
      (key, record) =>
        removes(register, key) ||
        (register === 'tripCalls' && callTripsImported.has((record as { tripCode: string }).tripCode)),
    )
    ;(merged[register] as unknown[]) = result.records
    if (!imported[register] && result.removals.length === 0) continue
    origins[register] = result.origins
    if (result.upserts.length > 0) (changes.upserts[register] as unknown[]) = result.upserts
    if (result.removals.length > 0) changes.removals[register] = result.removals
    counts[register] = result.counts
    for (const problem of result.problems) problems.push(problem)
  }
  return { merged, origins, changes, counts, problems }
}

/**
 * Which stored records the file leaves out are removed: none, those of every register the file has
 * a sheet for, or the named keys (one record removed on the registers page).
 */
export type RemovalRule = boolean | { [R in RegisterName]?: readonly string[] }

function mergeRegister<R extends RegisterName>(
  register: R,
  stored: RegisterSet,
  imported: LocatedRecords,
  removes: (key: string, record: RegisterSet[R][number]) => boolean,
) {
  type Rec = RegisterSet[R][number]
  const keyOf = registerKeys[register] as (record: Rec) => string
  const storedByKey = new Map((stored[register] as Rec[]).map((record) => [keyOf(record), record]))
  const rows = (imported[register] ?? []) as Array<{ record: Rec; origin: RecordOrigin }>
  const origins = new Map<string, RecordOrigin>()
  const importedByKey = new Map<string, Rec>()
  const upserts: Rec[] = []
  const problems: RegisterProblem[] = []
  const counts: ChangeCounts = { inserted: 0, updated: 0, unchanged: 0, removed: 0 }

  for (const { record, origin } of rows) {
    const key = keyOf(record)
    const first = origins.get(key)
    if (first) {
      problems.push({
        severity: 'error',
        code: 'duplicate_key',
        register,
        sheet: origin.sheet,
        row: origin.row,
        column: keyColumn(register),
        value: key.replace('\t', ' '),
        message: `the same ${describeKey(register)} is already on row ${first.row}; each may appear once`,
      })
      continue
    }
    origins.set(key, origin)
    const before = storedByKey.get(key)
    const after = before ? keepStoredId(before, record) : record
    importedByKey.set(key, after)
    if (!before) {
      counts.inserted++
      upserts.push(after)
    } else if (recordsEqual(register, before, after)) {
      counts.unchanged++
    } else {
      counts.updated++
      upserts.push(after)
    }
  }

  const removals: string[] = []
  // Stored records first: when an imported record clashes with a stored one, the imported is at fault.
  const records: Rec[] = []
  for (const [key, record] of storedByKey) {
    if (importedByKey.has(key)) continue
    if (removes(key, record)) {
      removals.push(key)
      counts.removed++
    } else {
      records.push(record)
    }
  }
  // One push per record: spreading a county's 100,000 guardians into one call overflows the stack.
  for (const record of importedByKey.values()) records.push(record)
  return { records, origins, upserts, removals, counts, problems }
}

/** The platform id of a stored pupil or guardian survives an import that leaves it blank. */
function keepStoredId<T>(before: T, after: T): T {
  const storedId = (before as { id?: string | null }).id
  const givenId = (after as { id?: string | null }).id
  if (storedId === undefined || givenId) return after
  return { ...after, id: storedId }
}

function recordsEqual(register: RegisterName, a: object, b: object): boolean {
  const left = a as Record<string, unknown>
  const right = b as Record<string, unknown>
  return registerSheets[register].columns.every(
    (column) => column.field === 'datum' || sameValue(left[column.field], right[column.field]),
  )
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i])
  return (a ?? null) === (b ?? null)
}

/** The header of the column that holds a register's key, when one column does. */
function keyColumn(register: RegisterName): string | null {
  const fields: Partial<Record<RegisterName, string>> = { buses: 'plate', guardians: 'phone' }
  const field = fields[register] ?? (register === 'bellTimes' || register === 'tripCalls' ? null : 'code')
  const column = registerSheets[register].columns.find((c) => c.field === field)
  return column ? columnHeader(column) : null
}

function describeKey(register: RegisterName): string {
  const keys: Record<RegisterName, string> = {
    towns: 'town code',
    schools: 'school code',
    bellTimes: 'school and grade',
    dismissalWaves: 'wave code',
    stops: 'stop code',
    buses: 'plate',
    staff: 'staff code',
    lines: 'line code',
    trips: 'trip code',
    tripCalls: 'trip and call number',
    pupils: 'pupil code',
    guardians: 'guardian phone',
  }
  return keys[register]
}
