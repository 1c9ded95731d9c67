import { svg } from '../shared/svg-element.js'
import { axisTicks, barLength, chartBars, niceCeiling, shortLabel, type ChartBar } from './chart-scale.js'
import { formatValue, kindWords } from './report-columns.js'
import type { Report, ReportRecord } from './reports-contract.js'
import type { ChartName, ReportsText } from './reports-text.js'

/**
 * The reference line of the on-time chart: the share of school calls the page holds up as on time.
 * The registers carry no target of the bureau's; 95 % is the usual mark for school transport.
 */
export const onTimeTargetPct = 95

/** At most this many bars a chart: a county's 36 buses would make a desk chart too tall to read. */
const maxBars = 15
/** Of the few colours one person tells apart, the pages' stacked series (see reports.css `.series-N`). */
const seriesCount = 8

/** The drawing's own units (the SVG scales to its box): label column, bars, values after them. */
const layout = { width: 640, labelW: 150, gap: 8, valueW: 64, rowH: 22, barH: 14, top: 18, axisH: 20 }
const plotX = layout.labelW + layout.gap
const plotW = layout.width - plotX - layout.valueW

interface ChartSpec {
  name: ChartName
  keys: string[]
  /** The words of each key of a stack, for its legend. */
  legend?: string[]
  /** A fixed axis (a percentage), else round numbers above the largest bar. */
  ceiling?: number
  target?: number
}

let chartCount = 0

/** The charts of a report: km, trips, on-time rate with its target, and the breakdowns stacked. */
export function reportCharts(
  report: Report,
  t: ReportsText,
  labelOf: (row: ReportRecord) => string,
): HTMLElement[] {
  const stacked = (group: string) => report.columns.filter((column) => column.group === group)
  const alarms = stacked('alarms')
  const roads = stacked('overSpeedByRoad')
  const specs: ChartSpec[] = [
    { name: 'km', keys: ['km'] },
    { name: 'trips', keys: ['tripsRun'] },
    { name: 'onTime', keys: ['onTimeRate'], ceiling: 100, target: onTimeTargetPct },
    {
      name: 'alarms',
      keys: alarms.map((column) => column.key),
      legend: alarms.map((column) => kindWords(column, t)),
    },
    {
      name: 'overSpeed',
      keys: roads.map((column) => column.key),
      legend: roads.map((column) => kindWords(column, t)),
    },
  ]
  const present = new Set(report.columns.map((column) => column.key))
  return specs
    .filter((spec) => spec.keys.length > 0 && spec.keys.every((key) => present.has(key)))
    .map((spec) => drawChart(spec, report, t, labelOf))
}

function drawChart(
  spec: ChartSpec,
  report: Report,
  t: ReportsText,
  labelOf: (row: ReportRecord) => string,
): HTMLElement {
  const figure = document.createElement('figure')
  figure.className = 'chart'
  figure.dataset.chart = spec.name
  const caption = document.createElement('figcaption')
  caption.textContent = t.charts[spec.name]
  figure.append(caption)
  const { bars, rowsWithValues } = chartBars(report.rows, spec.keys, labelOf, maxBars)
  if (bars.length === 0 || bars.every((bar) => bar.total === 0)) {
    figure.append(
      Object.assign(document.createElement('p'), { className: 'note', textContent: t.chartEmpty }),
    )
    return figure
  }
  if (rowsWithValues > bars.length) {
    const note = Object.assign(document.createElement('p'), {
      className: 'note chart-note',
      textContent: t.chartTop(bars.length, rowsWithValues),
    })
    figure.append(note)
  }
  figure.append(chartSvg(spec, bars, t))
  if (spec.legend) figure.append(legendOf(spec, report.totals, t))
  return figure
}

function chartSvg(spec: ChartSpec, bars: readonly ChartBar[], t: ReportsText): SVGSVGElement {
  const id = `chart-${++chartCount}`
  const fmt = (n: number) => formatValue(n, t.lang)
  const ceiling = spec.ceiling ?? niceCeiling(Math.max(...bars.map((bar) => bar.total)))
  const height = layout.top + bars.length * layout.rowH + layout.axisH
  const root = svg('svg', {
    viewBox: `0 0 ${layout.width} ${height}`,
    role: 'img',
    'aria-labelledby': `${id}-title ${id}-desc`,
    class: 'chart-drawing',
  })
  const title = svg('title', { id: `${id}-title` })
  title.textContent = t.charts[spec.name]
  // The values in words too: a screen reader reads the chart as the list it draws.
  const desc = svg('desc', { id: `${id}-desc` })
  desc.textContent = bars.map((bar) => t.barValue(bar.label, fmt(bar.total))).join('; ')
  root.append(title, desc)

  const axisY = layout.top + bars.length * layout.rowH
  const whole = bars.every((bar) => bar.parts.every((part) => Number.isInteger(part)))
  for (const tick of axisTicks(ceiling, { whole })) {
    const x = plotX + barLength(tick, ceiling, plotW)
    root.append(svg('line', { x1: x, x2: x, y1: layout.top - 4, y2: axisY, class: 'grid' }))
    const label = svg('text', { x, y: axisY + 14, 'text-anchor': 'middle', class: 'tick' })
    label.textContent = fmt(tick)
    root.append(label)
  }

  bars.forEach((bar, i) => {
    const y = layout.top + i * layout.rowH
    const group = svg('g', { class: 'bar-row' })
    const hover = svg('title', {})
    hover.textContent = t.barValue(bar.label, fmt(bar.total))
    group.append(hover)
    const name = svg('text', {
      x: layout.labelW,
      y: y + layout.barH - 2,
      'text-anchor': 'end',
      class: 'bar-label',
    })
    name.textContent = shortLabel(bar.label, 22)
    group.append(name)
    let x = plotX
    bar.parts.forEach((part, p) => {
      const w = Math.min(barLength(part, ceiling, plotW), plotX + plotW - x)
      if (w <= 0) return
      const cls = spec.legend ? `bar series-${p % seriesCount}` : 'bar'
      const rect = svg('rect', { x, y, width: w, height: layout.barH, class: cls })
      if (spec.legend) {
        const partTitle = svg('title', {})
        partTitle.textContent = t.barValue(`${bar.label} · ${spec.legend[p] ?? ''}`, fmt(part))
        rect.append(partTitle)
      }
      group.append(rect)
      x += w
    })
    const value = svg('text', { x: x + 4, y: y + layout.barH - 2, class: 'bar-value' })
    value.textContent = fmt(bar.total)
    group.append(value)
    root.append(group)
  })

  if (spec.target !== undefined) {
    const x = plotX + barLength(spec.target, ceiling, plotW)
    root.append(svg('line', { x1: x, x2: x, y1: layout.top - 6, y2: axisY, class: 'target' }))
    const label = svg('text', { x, y: layout.top - 8, 'text-anchor': 'middle', class: 'target-label' })
    label.textContent = t.target(spec.target)
    root.append(label)
  }
  return root
}

/** A stack's legend, in words beside each colour, with the period's totals: the colours alone say nothing. */
function legendOf(spec: ChartSpec, totals: ReportRecord, t: ReportsText): HTMLElement {
  const list = document.createElement('ul')
  list.className = 'legend'
  list.setAttribute('aria-label', t.legendLabel)
  spec.keys.forEach((key, p) => {
    const total = totals[key] ?? null
    const item = document.createElement('li')
    const swatch = svg('svg', { viewBox: '0 0 12 12', width: 12, height: 12, 'aria-hidden': 'true' })
    swatch.append(svg('rect', { width: 12, height: 12, class: `bar series-${p % seriesCount}` }))
    item.append(swatch, ` ${spec.legend?.[p] ?? key} (${formatValue(total, t.lang)})`)
    list.append(item)
  })
  return list
}
