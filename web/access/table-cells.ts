import { formatCixiDate, formatCixiTime } from '../shared/cixi-time.js'
import { cell, row } from '../shared/table-cells.js'

/** The access page's builders for its tables, beside the pages' shared `cell` and `row`. */
export function headRow(labels: string[]) {
  return row(
    ...labels.map((label) => {
      const th = cell('th', label)
      th.scope = 'col'
      return th
    }),
  )
}

/** One row across the table saying it is empty, or still loading. */
export function emptyRow(text: string, columns: number) {
  const td = cell('td', text, 'empty')
  td.colSpan = columns
  return row(td)
}

export function button(label: string, onClick: () => void, className?: string) {
  const node = document.createElement('button')
  node.type = 'button'
  node.textContent = label
  node.className = className ? `small ${className}` : 'small'
  node.addEventListener('click', onClick)
  return node
}

export function span(text: string, className: string) {
  const node = document.createElement('span')
  node.className = className
  node.textContent = text
  return node
}

/** A moment as Cixi's date and time, `YYYY-MM-DD HH:MM`; a dash for none. */
export function cixiMoment(iso: string | null | undefined): string {
  if (!iso) return '—'
  const ms = Date.parse(iso)
  return `${formatCixiDate(ms)} ${formatCixiTime(ms)}`
}
