import { element, setText } from '../shared/dom.js'
import { signInAgainIf } from '../shared/staff-session.js'
import { cell, row } from '../shared/table-cells.js'
import { standingsByRow } from './compliance-rows.js'
import { failureText, type PageContext } from './page-context.js'
import { reportCharts } from './report-charts.js'
import { columnWords, formatValue, rowName, shownColumns } from './report-columns.js'
import { groupingsFor, initialQuery, isPeriodDate, switchPeriod } from './report-query.js'
import { reportParams, type ReportQuery } from './reports-api.js'
import { downloadWith } from './save-download.js'
import type {
  Grouping,
  PeriodKind,
  Report,
  ReportColumn,
  ReportRecord,
  Standing,
} from './reports-contract.js'
import { nextOrder, sortRows, type SortOrder } from './sort-rows.js'

const option = (value: string, text: string) =>
  Object.assign(document.createElement('option'), { value, text })

/**
 * The reports tab: a day or a month, by bus, driver, school, town or the county (a school its own
 * groupings), as a sortable table with its totals and as charts; the same report downloaded as a
 * workbook or CSV. The query is kept in the page's address, so that a reload shows the same report.
 */
export function createReportView(ctx: PageContext) {
  const ui = {
    period: element<HTMLSelectElement>('report-period'),
    dayField: element('report-day-field'),
    day: element<HTMLInputElement>('report-day'),
    monthField: element('report-month-field'),
    month: element<HTMLInputElement>('report-month'),
    by: element<HTMLSelectElement>('report-by'),
    xlsx: element<HTMLButtonElement>('report-xlsx'),
    csv: element<HTMLButtonElement>('report-csv'),
    status: element('report-status'),
    title: element('report-title'),
    standingNote: element('standing-note'),
    breakdowns: element<HTMLInputElement>('report-breakdowns'),
    table: element<HTMLTableElement>('report-table'),
    charts: element('report-charts'),
  }
  const allowed = groupingsFor(ctx.role)
  let query: ReportQuery = initialQuery(location.search, ctx.role, ctx.today)
  let report: Report | null = null
  let order: SortOrder = null
  let loading = false
  let failure: unknown = null
  let asked = 0

  const labelOf = (record: ReportRecord) => rowName(record, report?.by ?? query.by, ctx.t())

  function renderControls() {
    const t = ctx.t()
    ui.period.replaceChildren(option('day', t.periods.day), option('month', t.periods.month))
    ui.period.value = query.period
    ui.by.replaceChildren(...allowed.map((by) => option(by, t.groupings[by])))
    ui.by.value = query.by
    ui.dayField.hidden = query.period !== 'day'
    ui.monthField.hidden = query.period !== 'month'
    if (query.period === 'day') ui.day.value = query.date
    else ui.month.value = query.date
  }

  function nameCell(record: ReportRecord, by: Grouping, standings: Map<string, Standing>) {
    const t = ctx.t()
    const td = cell('td', rowName(record, by, t), 'name')
    const standing = typeof record.id === 'string' ? standings.get(record.id) : undefined
    if (standing === 'red' || standing === 'amber') {
      const badge = Object.assign(document.createElement('span'), {
        className: `standing ${standing}`,
        textContent: t.standing[standing],
      })
      td.append(' ', badge)
    }
    return td
  }

  function valueCell(record: ReportRecord, column: ReportColumn, tag: 'td' | 'th' = 'td') {
    const value = record[column.key]
    const node = cell(tag, formatValue(value, ctx.lang()), column.type === 'number' ? 'num' : 'label')
    node.dataset.key = column.key
    return node
  }

  function headCell(column: ReportColumn, by: Grouping) {
    const t = ctx.t()
    const words = columnWords(column, by, t)
    const th = cell('th', '')
    th.scope = 'col'
    th.dataset.key = column.key
    if (column.type === 'number') th.className = 'num'
    if (column.key === 'name') th.classList.add('name')
    const button = Object.assign(document.createElement('button'), { type: 'button', textContent: words })
    button.className = 'sort'
    button.title = t.sortBy(words)
    button.addEventListener('click', () => {
      order = nextOrder(order, column)
      renderReport()
    })
    if (order?.key === column.key) th.setAttribute('aria-sort', order.direction)
    th.append(button)
    return th
  }

  function renderReport() {
    const t = ctx.t()
    setText(ui.title, t.reportTitle(query.period, query.date, query.by))
    ui.table.setAttribute('aria-busy', String(loading))
    ui.table.dataset.by = report?.by ?? ''
    if (failure !== null && !loading) {
      ui.status.hidden = false
      ui.status.classList.add('error')
      setText(ui.status, failureText(failure, t))
    }
    if (!report) {
      ui.table.replaceChildren()
      ui.table.createTBody().append(row(cell('td', loading ? t.loading : t.noRows, 'empty')))
      ui.charts.replaceChildren()
      return
    }
    const { by } = report
    const columns = shownColumns(report.columns, ui.breakdowns.checked)
    if (order && !columns.some((column) => column.key === order?.key)) order = null
    const standings = standingsByRow(ctx.compliance(), by)
    ui.standingNote.hidden = !(by === 'bus' || by === 'driver') || ctx.compliance() === null
    const caption = ui.table.createCaption()
    caption.className = 'visually-hidden'
    setText(caption, t.tableLabel)
    ui.table.createTHead().replaceChildren(row(...columns.map((column) => headCell(column, by))))
    const body = ui.table.tBodies[0] ?? ui.table.createTBody()
    const sorted = sortRows(report.rows, order, t.htmlLang)
    if (sorted.length === 0) {
      const empty = cell('td', t.noRows, 'empty')
      empty.colSpan = columns.length
      body.replaceChildren(row(empty))
    } else {
      body.replaceChildren(
        ...sorted.map((record) => {
          const tr = row()
          tr.append(
            ...columns.map((column) =>
              column.key === 'name' ? nameCell(record, by, standings) : valueCell(record, column),
            ),
          )
          const standing = typeof record.id === 'string' ? standings.get(record.id) : undefined
          if (standing === 'red' || standing === 'amber') tr.classList.add(`standing-${standing}`)
          tr.dataset.id = typeof record.id === 'string' ? record.id : ''
          return tr
        }),
      )
    }
    // The totals stay below, however the rows are sorted.
    const totals = row(
      ...columns.map((column, i) => {
        if (i === 0) {
          const th = cell('th', t.total)
          th.scope = 'row'
          return th
        }
        return column.type === 'label' ? cell('td', '', 'label') : valueCell(report!.totals, column)
      }),
    )
    ui.table.createTFoot().replaceChildren(totals)
    ui.charts.replaceChildren(...reportCharts(report, t, labelOf))
  }

  function render() {
    renderControls()
    renderReport()
  }

  /** Keeps the query in the address (never the session), so that a reload shows this report again. */
  function keepInAddress() {
    const params = new URLSearchParams(location.search)
    for (const [key, value] of reportParams(query)) params.set(key, value)
    history.replaceState(null, '', `${location.pathname}?${params}${location.hash}`)
  }

  async function load() {
    const mine = ++asked
    loading = true
    failure = null
    ui.status.hidden = true
    keepInAddress()
    render()
    try {
      const answer = await ctx.api.report(query)
      if (mine !== asked) return
      report = answer
    } catch (error) {
      if (mine !== asked || signInAgainIf(error)) return
      report = null
      failure = error
    } finally {
      if (mine === asked) {
        loading = false
        render()
      }
    }
  }

  const ask = (next: ReportQuery) => {
    if (!isPeriodDate(next.period, next.date)) return
    query = next
    void load()
  }
  ui.period.addEventListener('change', () =>
    ask(switchPeriod(query, ui.period.value as PeriodKind, ctx.today)),
  )
  ui.day.addEventListener('change', () => ask({ ...query, date: ui.day.value }))
  ui.month.addEventListener('change', () => ask({ ...query, date: ui.month.value }))
  ui.by.addEventListener('change', () => ask({ ...query, by: ui.by.value as Grouping }))
  ui.breakdowns.addEventListener('change', renderReport)
  ui.xlsx.addEventListener('click', () => {
    const { period, date } = query
    const params = new URLSearchParams({ period, date })
    void downloadFile(ui.xlsx, `/api/reports.xlsx?${params}`, `report-${date}.xlsx`)
  })
  ui.csv.addEventListener('click', () => {
    void downloadFile(
      ui.csv,
      `/api/reports.csv?${reportParams(query)}`,
      `report-${query.date}-by-${query.by}.csv`,
    )
  })

  async function downloadFile(trigger: HTMLButtonElement, path: string, fallback: string) {
    await downloadWith(ctx, trigger, ui.status, () => ctx.api.download(path, fallback))
  }

  return { render, refresh: load }
}
