import type { ReportRecord } from './reports-contract.js'

/**
 * The top of a chart's axis: the smallest 1, 2 or 5 times a power of ten at or above `max`, so
 * that the axis reads in round numbers; 1 for nothing to draw.
 */
export function niceCeiling(max: number): number {
  if (!Number.isFinite(max) || max <= 0) return 1
  const power = 10 ** Math.floor(Math.log10(max))
  for (const step of [1, 2, 5, 10]) if (step * power >= max - power * 1e-9) return step * power
  return 10 * power
}

/**
 * The axis' ticks from 0 to `ceiling` in equal round steps (1, 2, 2.5 or 5 times a power of ten),
 * 4 of them, else 5, 2 or 1: whole steps for counts (no "0.3 trips"), a tenth at finest for
 * measures shown to one decimal.
 */
export function axisTicks(ceiling: number, options: { whole?: boolean } = {}): number[] {
  const close = (a: number, b: number) => Math.abs(a - b) < 1e-9
  const fits = (step: number) => {
    const mantissa = step / 10 ** Math.floor(Math.log10(step))
    const round = [1, 2, 2.5, 5, 10].some((nice) => close(mantissa, nice))
    const shown = options.whole ? Number.isInteger(step) : close(step * 10, Math.round(step * 10))
    return round && shown
  }
  const count = [4, 5, 2, 1].find((n) => fits(ceiling / n)) ?? 1
  return Array.from({ length: count + 1 }, (_, i) => Math.round(((ceiling * i) / count) * 1e6) / 1e6)
}

/** A bar's length for `value` on an axis from 0 to `ceiling` drawn `widthPx` long: never negative or past the end. */
export function barLength(value: number, ceiling: number, widthPx: number): number {
  if (!(ceiling > 0) || !(value > 0)) return 0
  return Math.min(widthPx, (value / ceiling) * widthPx)
}

/** One bar of a chart: its row's name, and its value (or its parts, stacked). */
export interface ChartBar {
  label: string
  parts: number[]
  total: number
}

/**
 * The bars of a chart of `keys` (one key a plain bar, several a stack): a bar per row that has a
 * number in any of them, the largest totals first, at most `limit`; how many rows had one is
 * told beside, so a chart of the 15 highest says so.
 */
export function chartBars(
  rows: readonly ReportRecord[],
  keys: readonly string[],
  labelOf: (row: ReportRecord) => string,
  limit: number,
): { bars: ChartBar[]; rowsWithValues: number } {
  const bars: ChartBar[] = []
  for (const row of rows) {
    const values = keys.map((key) => row[key])
    if (!values.some((value) => typeof value === 'number')) continue
    const parts = values.map((value) => (typeof value === 'number' && value > 0 ? value : 0))
    bars.push({ label: labelOf(row), parts, total: parts.reduce((a, b) => a + b, 0) })
  }
  const sorted = bars
    .map((bar, index) => ({ bar, index }))
    .sort((a, b) => b.bar.total - a.bar.total || a.index - b.index)
    .map(({ bar }) => bar)
  return { bars: sorted.slice(0, limit), rowsWithValues: bars.length }
}

/** A label cut to `maxWidth` (a wide character counting two), ending in an ellipsis when cut. */
export function shortLabel(label: string, maxWidth: number): string {
  const widthOf = (char: string) => (char.codePointAt(0)! >= 0x2e80 ? 2 : 1)
  let total = 0
  for (const char of label) total += widthOf(char)
  if (total <= maxWidth) return label
  let width = 0
  let out = ''
  for (const char of label) {
    // Room is kept for the ellipsis.
    if (width + widthOf(char) > maxWidth - 1) break
    width += widthOf(char)
    out += char
  }
  return `${out}…`
}
