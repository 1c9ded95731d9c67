import { describe, expect, it } from 'vitest'
import { speedChartGeometry, type ChartBox } from './speed-chart.js'

const box: ChartBox = { widthPx: 110, heightPx: 110, padLeftPx: 10, padBottomPx: 10 }
const at = (second: number, speedKmh: number | null) => ({
  ts: new Date(Date.UTC(2026, 2, 1, 23, 5, second)).toISOString(),
  speedKmh,
})

describe('the speed chart', () => {
  it('draws time across and speed up, with the limit, on a scale rounded above the fastest', () => {
    const geometry = speedChartGeometry([at(0, 0), at(50, 40), at(100, 70)], 60, box)
    // Fastest 70: the scale goes to 80; the plot is 100 px wide and 100 px high.
    expect(geometry.topKmh).toBe(80)
    expect(geometry.path).toBe('M10.0,100.0 L60.0,50.0 L110.0,12.5')
    expect(geometry.limitY).toBe(25)
    expect(geometry.toMs - geometry.fromMs).toBe(100_000)
  })

  it('leaves a gap where a sample has no speed, and has a scale without a limit', () => {
    const geometry = speedChartGeometry([at(0, 10), at(10, null), at(20, 10)], null, box)
    expect(geometry.path).toBe('M10.0,50.0 M110.0,50.0')
    expect(geometry.limitY).toBeNull()
    expect(geometry.topKmh).toBe(20)
  })
})
