import type { CellValue } from './parse-cell.js'
import type { CellType, Datum } from './register-sheets.js'

/** A cell as written to a workbook or CSV; null leaves it empty. */
export type ExportCell = string | number | null

/** Records hold WGS-84 coordinates whatever datum they were imported in. */
const EXPORT_DATUM: Datum = 'WGS-84'

/**
 * A field's value as the cell export writes, such that parseCell reads it back as the same value:
 * numbers stay numbers (Excel keeps a double exactly), everything else is text, yes/no and choices
 * in Chinese, lists joined with `;`.
 */
export function formatCell(value: CellValue, cell: CellType): ExportCell {
  if (cell.type === 'datum') return EXPORT_DATUM
  if (value === null) return null
  if (Array.isArray(value)) return value.length === 0 ? null : value.join(';')
  switch (cell.type) {
    case 'int':
    case 'number':
      return Number(value)
    case 'bool':
      return value ? '是' : '否'
    case 'enum':
      return cell.labels[String(value)] ?? String(value)
    default:
      return String(value)
  }
}
