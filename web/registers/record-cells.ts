import type { RegisterName } from '../../server/core/registers/register-records.js'
import { formatCell as exportCell } from '../../server/core/registers/format-cell.js'
import type { CellValue } from '../../server/core/registers/parse-cell.js'
import type { CellType } from '../../server/core/registers/register-sheets.js'
import type { RegisterRecord, Sheet } from './registers-contract.js'

/**
 * A record's value as the cell of its sheet, exactly as export writes it and import reads it
 * back (server/core/registers/format-cell.ts): lists joined with `;`, yes and no as 是 and 否,
 * choices by their Chinese label, coordinates' datum WGS-84, blanks empty. The edit form starts
 * from these, and the table shows them.
 */
export function formatCell(value: unknown, cell: CellType): string {
  const written = exportCell((value ?? null) as CellValue, cell)
  return written === null ? '' : String(written)
}

/** The fields that make a record's key: they name the record, so editing one makes another. */
export const keyFields: Readonly<Record<RegisterName, readonly string[]>> = {
  towns: ['code'],
  schools: ['code'],
  bellTimes: ['schoolCode', 'grade'],
  dismissalWaves: ['code'],
  stops: ['code'],
  buses: ['plate'],
  staff: ['code'],
  lines: ['code'],
  trips: ['code'],
  tripCalls: ['tripCode', 'seq'],
  pupils: ['code'],
  guardians: ['phone'],
}

/** A record as the edit form's text, one entry per column; stored coordinates are WGS-84. */
export function recordCells(sheet: Sheet, record: RegisterRecord): Record<string, string> {
  return Object.fromEntries(
    sheet.columns.map((column) => [column.field, formatCell(record[column.field], column.cell)]),
  )
}

/** The form for a new record: every column blank. */
export function blankCells(sheet: Sheet): Record<string, string> {
  return Object.fromEntries(sheet.columns.map((column) => [column.field, '']))
}

/** What the form sends: every column of the sheet, trimmed, a blank one as null. */
export function cellsToSend(sheet: Sheet, typed: Record<string, string>): Record<string, string | null> {
  return Object.fromEntries(
    sheet.columns.map((column) => {
      const text = (typed[column.field] ?? '').trim()
      return [column.field, text === '' ? null : text]
    }),
  )
}

/** The choices a column's cell offers as it is typed, if it has a fixed set. */
export function cellChoices(cell: CellType): string[] {
  switch (cell.type) {
    case 'bool':
      return ['是', '否']
    case 'enum':
      return Object.values(cell.labels)
    case 'datum':
      return ['WGS-84', 'GCJ-02', 'BD-09']
    default:
      return []
  }
}

/** A composite key (`school\tgrade`) as people read it. */
export const displayKey = (key: string) => key.split('\t').join(' · ')
