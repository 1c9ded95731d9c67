import { svg } from '../shared/svg-element.js'

export interface SpeedSample {
  ts: string
  speedKmh: number | null
}

export interface ChartBox {
  widthPx: number
  heightPx: number
  /** Room left for the speed labels on the left and the times below. */
  padLeftPx: number
  padBottomPx: number
}

export const speedChartBox: ChartBox = { widthPx: 320, heightPx: 120, padLeftPx: 30, padBottomPx: 16 }

/**
 * Where a speed trace is drawn in the chart: the line through its samples (time across, speed up,
 * a sample without a speed left out of the line), the limit's height, and the top of the scale, a
 * round 20 km/h above the fastest sample or the limit.
 */
export function speedChartGeometry(samples: readonly SpeedSample[], limitKmh: number | null, box: ChartBox) {
  const times = samples.map((sample) => Date.parse(sample.ts))
  const fromMs = Math.min(...times)
  const toMs = Math.max(...times)
  const fastest = Math.max(0, ...samples.map((sample) => sample.speedKmh ?? 0), limitKmh ?? 0)
  const topKmh = Math.max(20, Math.ceil((fastest + 1) / 20) * 20)
  const plotW = box.widthPx - box.padLeftPx
  const plotH = box.heightPx - box.padBottomPx
  const x = (ms: number) =>
    box.padLeftPx + (toMs > fromMs ? ((ms - fromMs) / (toMs - fromMs)) * plotW : plotW / 2)
  const y = (kmh: number) => plotH - (kmh / topKmh) * plotH
  const parts: string[] = []
  let drawing = false
  samples.forEach((sample, i) => {
    if (sample.speedKmh === null) {
      drawing = false
      return
    }
    parts.push(`${drawing ? 'L' : 'M'}${x(times[i]!).toFixed(1)},${y(sample.speedKmh).toFixed(1)}`)
    drawing = true
  })
  return {
    path: parts.join(' '),
    topKmh,
    limitY: limitKmh === null ? null : y(limitKmh),
    fromMs,
    toMs,
  }
}

/**
 * A speed trace as a small inline SVG chart: the speed line, the limit as a dashed line, the scale's
 * top and the trace's first and last times. `label` describes it for a screen reader.
 */
export function renderSpeedChart(
  samples: readonly SpeedSample[],
  options: { limitKmh: number | null; label: string; timeOf(ms: number): string; box?: ChartBox },
): SVGSVGElement {
  const box = options.box ?? speedChartBox
  const chart = svg('svg', {
    viewBox: `0 0 ${box.widthPx} ${box.heightPx}`,
    class: 'speed-chart',
    role: 'img',
    'aria-label': options.label,
  })
  const geometry = speedChartGeometry(samples, options.limitKmh, box)
  const plotH = box.heightPx - box.padBottomPx
  chart.append(
    svg('line', { x1: box.padLeftPx, y1: plotH, x2: box.widthPx, y2: plotH, class: 'chart-axis' }),
    svg('line', { x1: box.padLeftPx, y1: 0, x2: box.padLeftPx, y2: plotH, class: 'chart-axis' }),
  )
  const text = (content: string, attributes: Record<string, string | number>) => {
    const node = svg('text', { class: 'chart-text', ...attributes })
    node.textContent = content
    return node
  }
  chart.append(
    text(String(geometry.topKmh), { x: box.padLeftPx - 4, y: 10, 'text-anchor': 'end' }),
    text('0', { x: box.padLeftPx - 4, y: plotH, 'text-anchor': 'end' }),
  )
  if (samples.length > 0) {
    chart.append(
      text(options.timeOf(geometry.fromMs), {
        x: box.padLeftPx,
        y: box.heightPx - 2,
        'text-anchor': 'start',
      }),
      text(options.timeOf(geometry.toMs), { x: box.widthPx, y: box.heightPx - 2, 'text-anchor': 'end' }),
    )
  }
  if (geometry.limitY !== null)
    chart.append(
      svg('line', {
        x1: box.padLeftPx,
        y1: geometry.limitY,
        x2: box.widthPx,
        y2: geometry.limitY,
        class: 'chart-limit',
      }),
    )
  chart.append(svg('path', { d: geometry.path, class: 'chart-speed' }))
  chart.dataset.samples = String(samples.length)
  return chart
}
