import { formatCell } from './record-cells.js'
import type { LoggedChange, Sheet } from './registers-contract.js'
import type { CountKey, RegistersText } from './registers-text.js'

/** The fields whose value differs between a record before and after an edit, in the sheet's order. */
export function changedFields(sheet: Sheet | undefined, before: unknown, after: unknown): string[] {
  const a = (before ?? {}) as Record<string, unknown>
  const b = (after ?? {}) as Record<string, unknown>
  const fields = sheet
    ? sheet.columns.filter((column) => column.cell.type !== 'datum').map((column) => column.field)
    : [...new Set([...Object.keys(a), ...Object.keys(b)])]
  return fields.filter((field) => JSON.stringify(a[field] ?? null) !== JSON.stringify(b[field] ?? null))
}

const asRecord = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}

/**
 * One line of the change log's details: an import's file and what it changed per register, an
 * edit's fields before and after, an export's format and registers (and that it held personal data).
 */
export function describeChange(
  change: LoggedChange,
  words: { t: RegistersText; sheets: readonly Sheet[]; sheetName: (sheet: Sheet) => string },
): string {
  const { t, sheets, sheetName } = words
  const summary = change.summary ?? {}
  const nameOf = (register: string) => {
    const sheet = sheets.find((s) => s.register === register)
    return sheet ? sheetName(sheet) : register
  }
  switch (change.action) {
    case 'import': {
      const order = (register: string) => sheets.findIndex((s) => s.register === register)
      const counts = Object.entries(asRecord(summary.counts))
        .map(([register, c]) => [register, asRecord(c) as Partial<Record<CountKey, number>>] as const)
        .filter(([, c]) => Boolean(c.inserted || c.updated || c.removed))
        .sort(([a], [b]) => order(a) - order(b))
        .map(([register, c]) => t.countsPart(nameOf(register), c))
      const removing = summary.remove === true ? ` (${t.removeAll})` : ''
      return [
        `${String(summary.source ?? '')}${removing}`,
        ...(counts.length > 0 ? counts : [t.nothingChanged]),
      ]
        .filter(Boolean)
        .join('; ')
    }
    case 'edit':
    case 'remove': {
      const sheet = sheets.find((s) => s.register === change.register)
      if (change.action === 'remove') return recordLine(sheet, change.before)
      if (change.before === undefined || change.before === null)
        return `${t.newRecord}: ${recordLine(sheet, change.after)}`
      const fields = changedFields(sheet, change.before, change.after)
      if (fields.length === 0) return t.unchangedRecord
      return fields
        .map((field) => {
          const column = sheet?.columns.find((c) => c.field === field)
          const show = (record: unknown) => {
            const value = asRecord(record)[field]
            return (column ? formatCell(value, column.cell) : JSON.stringify(value ?? null)) || '∅'
          }
          return `${column ? `${column.zh} ${column.en}` : field}: ${show(change.before)} → ${show(change.after)}`
        })
        .join('; ')
    }
    case 'export': {
      const registers = Array.isArray(summary.registers) ? summary.registers.map(String) : []
      const what =
        registers.length === 0 || registers.length === sheets.length
          ? t.allRegisters
          : registers.map(nameOf).join('、')
      const school = typeof summary.schoolCode === 'string' ? ` · ${summary.schoolCode}` : ''
      const personal = summary.personalData === true ? ` · ${t.personalData}` : ''
      return `${String(summary.format ?? '')} · ${what}${school}${personal}`
    }
    default:
      return JSON.stringify(summary)
  }
}

/** A record in a line: its values as sheet cells, blanks left out. */
function recordLine(sheet: Sheet | undefined, record: unknown): string {
  const values = asRecord(record)
  if (!sheet) return JSON.stringify(record ?? null)
  return sheet.columns
    .filter((column) => column.cell.type !== 'datum')
    .map((column) => formatCell(values[column.field], column.cell))
    .filter((text) => text !== '')
    .join(' · ')
}
