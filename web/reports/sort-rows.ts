import type { ReportColumn, ReportRecord, ReportValue } from './reports-contract.js'

export type SortDirection = 'ascending' | 'descending'

/** How the table is sorted: by a column's key, either way; null keeps the server's order (by id). */
export type SortOrder = { key: string; direction: SortDirection } | null

const isEmpty = (value: ReportValue | undefined) => value === null || value === undefined || value === ''

/**
 * The rows sorted by one column: numbers as numbers, text in the language's order; rows with
 * nothing in that column last, whichever way, and ties kept in the server's order.
 */
export function sortRows(rows: readonly ReportRecord[], order: SortOrder, locale: string): ReportRecord[] {
  if (!order) return [...rows]
  const sign = order.direction === 'ascending' ? 1 : -1
  const collator = new Intl.Collator(locale, { numeric: true })
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      const x = a.row[order.key]
      const y = b.row[order.key]
      if (isEmpty(x) || isEmpty(y)) return isEmpty(x) === isEmpty(y) ? a.index - b.index : isEmpty(x) ? 1 : -1
      const compared =
        typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y))
      return compared * sign || a.index - b.index
    })
    .map(({ row }) => row)
}

/**
 * The order after a click on a column's header: the same column turns round; another starts with
 * the largest numbers first (what a reader looks for) or text from A.
 */
export function nextOrder(current: SortOrder, column: Pick<ReportColumn, 'key' | 'type'>): SortOrder {
  if (current?.key === column.key)
    return { key: column.key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' }
  return { key: column.key, direction: column.type === 'number' ? 'descending' : 'ascending' }
}
