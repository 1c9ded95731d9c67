import { describe, expect, it } from 'vitest'
import { formatMetric, metricRows } from './metric-rows.js'
import type { Metrics } from './planner-contract.js'
import { plannerText } from './planner-text.js'

const today: Metrics = {
  pupils: 1200,
  pupilsServed: 1100,
  coverageWithinWalk: 0.9,
  meanWalkM: 310,
  maxWalkM: 800,
  meanRideS: 1500,
  maxRideS: 3000,
  buses: 36,
  busKmPerDay: 4100.25,
  busHoursPerDay: 120.04,
  seatUse: 0.55,
  costPerDayYuan: 36500,
}

describe('metricRows', () => {
  it('puts today and the plan side by side and says which is better on each measure', () => {
    const proposed = { ...today, pupilsServed: 1180, buses: 31, meanRideS: 1620, seatUse: 0.7 }
    const rows = metricRows({ today, proposed }, plannerText.en)
    expect(rows).toHaveLength(12)
    const row = (key: string) => rows.find((r) => r.key === key)!
    expect(row('buses')).toEqual({
      key: 'buses',
      label: 'Buses',
      today: '36',
      proposed: '31',
      better: 'proposed',
    })
    expect(row('pupilsServed').better).toBe('proposed')
    expect(row('meanRideS')).toMatchObject({ today: '25', proposed: '27', better: 'today' })
    expect(row('seatUse')).toMatchObject({ today: '55%', proposed: '70%', better: 'proposed' })
    expect(row('pupils').better).toBeNull()
    expect(row('maxWalkM').better).toBeNull()
  })
})

describe('formatMetric', () => {
  it('shows shares in percent, rides in minutes and distances rounded', () => {
    expect(formatMetric('coverageWithinWalk', 0.934, 'en')).toBe('93%')
    expect(formatMetric('maxRideS', 2730, 'en')).toBe('45.5')
    expect(formatMetric('busKmPerDay', 4100.25, 'en')).toBe('4,100.3')
    expect(formatMetric('costPerDayYuan', 36500.4, 'zh')).toBe('36,500')
  })
})
