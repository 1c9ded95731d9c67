import { cell, row } from '../shared/table-cells.js'
import { explainChange, pairParts } from './explain-change.js'
import { metricRows } from './metric-rows.js'
import type { Metrics } from './planner-contract.js'
import type { MetricKey, PlannerText } from './planner-text.js'

export interface ComparedColumn {
  heading: string
  /** The class of the column's cells, e.g. `today` and `proposed`. */
  className: string
  /** Null when there is nothing to set beside the other column (no service today). */
  metrics: Metrics | null
}

/**
 * Two services in two columns: their measures (all, or `keys`), the buses, driving and cost of
 * each bus type, and a line on why the cost moved from the first to the second.
 */
export function renderComparison(
  table: HTMLTableElement,
  columns: [ComparedColumn, ComparedColumn],
  words: { t: PlannerText; caption?: string; keys?: MetricKey[] },
) {
  const { t } = words
  const [left, right] = columns
  table.replaceChildren()
  if (!right.metrics) return
  if (words.caption) table.createCaption().textContent = words.caption
  const head = row(cell('th', ''), cell('th', left.heading), cell('th', right.heading))
  table.append(head)
  const rows = metricRows({ today: left.metrics ?? right.metrics, proposed: right.metrics }, t)
  for (const r of rows.filter((r) => !words.keys || words.keys.includes(r.key))) {
    const mark = (side: 'today' | 'proposed') => (r.better === side && left.metrics ? ' better' : '')
    const tr = row(
      cell('th', r.label),
      cell('td', left.metrics ? r.today : '–', `${left.className}${mark('today')}`),
      cell('td', r.proposed, `${right.className}${mark('proposed')}`),
    )
    tr.dataset.key = r.key
    table.append(tr)
  }
  const pairs = pairParts(left.metrics ?? right.metrics, right.metrics)
  if (pairs.length > 0) {
    const title = row(cell('th', t.byBusType))
    title.className = 'part-title'
    title.firstElementChild!.setAttribute('colspan', '3')
    table.append(title)
  }
  for (const pair of pairs) {
    const figures = (part: typeof pair.before, column: ComparedColumn) =>
      cell('td', part ? t.partFigures(part) : '–', `part ${column.className}`)
    const tr = row(
      cell('th', t.partLabel(pair.hired, pair.seats)),
      figures(left.metrics ? pair.before : null, left),
      figures(pair.after, right),
    )
    tr.dataset.part = pair.busTypeId
    table.append(tr)
  }
  if (!left.metrics) return
  const why = row(
    cell('th', t.whyMoved),
    cell('td', t.explainChange(explainChange(left.metrics, right.metrics))),
  )
  why.className = 'why'
  why.lastElementChild!.setAttribute('colspan', '2')
  table.append(why)
}
