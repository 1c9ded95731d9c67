import type { Metrics } from './planner-contract.js'
import type { MetricKey, PlannerText } from './planner-text.js'

export interface MetricRow {
  key: MetricKey
  label: string
  today: string
  proposed: string
  /** Which side is better on this measure; null when they are equal or neither is better. */
  better: 'today' | 'proposed' | null
}

/** The order of the table's rows, and whether more is better on each. */
const shown: { key: MetricKey; more: 'better' | 'worse' | 'neither' }[] = [
  { key: 'pupils', more: 'neither' },
  { key: 'pupilsServed', more: 'better' },
  { key: 'coverageWithinWalk', more: 'better' },
  { key: 'meanWalkM', more: 'worse' },
  { key: 'maxWalkM', more: 'worse' },
  { key: 'meanRideS', more: 'worse' },
  { key: 'maxRideS', more: 'worse' },
  { key: 'buses', more: 'worse' },
  { key: 'busKmPerDay', more: 'worse' },
  { key: 'busHoursPerDay', more: 'worse' },
  { key: 'seatUse', more: 'better' },
  { key: 'costPerDayYuan', more: 'worse' },
]

/** A metric as the table shows it: shares in percent, rides in minutes, the rest rounded. */
export function formatMetric(key: MetricKey, value: number, lang: PlannerText['lang']): string {
  const number = (digits: number) =>
    value.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: digits })
  switch (key) {
    case 'coverageWithinWalk':
    case 'seatUse':
      return `${Math.round(value * 100)}%`
    case 'meanRideS':
    case 'maxRideS':
      value = value / 60
      return number(1)
    case 'busKmPerDay':
    case 'busHoursPerDay':
      return number(1)
    default:
      return number(0)
  }
}

/** Today's service and the plan side by side, measure by measure. */
export function metricRows(
  comparison: { today: Metrics; proposed: Metrics },
  text: PlannerText,
): MetricRow[] {
  return shown.map(({ key, more }) => {
    const today = comparison.today[key]
    const proposed = comparison.proposed[key]
    const higher = proposed > today ? 'proposed' : proposed < today ? 'today' : null
    const lower = higher === 'proposed' ? 'today' : higher === 'today' ? 'proposed' : null
    return {
      key,
      label: text.metricLabels[key],
      today: formatMetric(key, today, text.lang),
      proposed: formatMetric(key, proposed, text.lang),
      better: more === 'better' ? higher : more === 'worse' ? lower : null,
    }
  })
}
