import { describe, expect, it } from 'vitest'
import { axisTicks, barLength, chartBars, niceCeiling, shortLabel } from './chart-scale.js'

describe('a chart’s scale', () => {
  it('rounds the axis up to 1, 2 or 5 times a power of ten', () => {
    expect(niceCeiling(0)).toBe(1)
    expect(niceCeiling(0.3)).toBeCloseTo(0.5)
    expect(niceCeiling(1)).toBe(1)
    expect(niceCeiling(1.2)).toBe(2)
    expect(niceCeiling(37)).toBe(50)
    expect(niceCeiling(50)).toBe(50)
    expect(niceCeiling(51)).toBe(100)
    expect(niceCeiling(734.2)).toBe(1000)
    expect(niceCeiling(Number.NaN)).toBe(1)
  })

  it('ticks the axis in equal steps that read well, whole ones for counts', () => {
    expect(axisTicks(100)).toEqual([0, 25, 50, 75, 100])
    expect(axisTicks(50)).toEqual([0, 10, 20, 30, 40, 50])
    expect(axisTicks(0.5)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5])
    expect(axisTicks(1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1])
    expect(axisTicks(1, { whole: true })).toEqual([0, 1])
    expect(axisTicks(2, { whole: true })).toEqual([0, 1, 2])
    expect(axisTicks(10, { whole: true })).toEqual([0, 2, 4, 6, 8, 10])
    expect(axisTicks(20, { whole: true })).toEqual([0, 5, 10, 15, 20])
  })

  it('draws a bar in proportion, never negative or past the end', () => {
    expect(barLength(25, 50, 400)).toBe(200)
    expect(barLength(0, 50, 400)).toBe(0)
    expect(barLength(-3, 50, 400)).toBe(0)
    expect(barLength(80, 50, 400)).toBe(400)
    expect(barLength(5, 0, 400)).toBe(0)
  })
})

describe('a chart’s bars', () => {
  const rows = [
    { id: 'a', name: 'A', km: 5, 'alarms.x': 1, 'alarms.y': 2 },
    { id: 'b', name: 'B', km: 12, 'alarms.x': 0, 'alarms.y': 0 },
    { id: 'c', name: 'C', km: null, 'alarms.x': 4, 'alarms.y': null },
    { id: 'd', name: 'D', km: 7, 'alarms.x': 0, 'alarms.y': 1 },
  ]
  const label = (row: Record<string, unknown>) => String(row.name)

  it('are the rows with a number, largest first, at most the limit, saying how many had one', () => {
    const { bars, rowsWithValues } = chartBars(rows, ['km'], label, 2)
    expect(bars.map((bar) => [bar.label, bar.total])).toEqual([
      ['B', 12],
      ['D', 7],
    ])
    expect(rowsWithValues).toBe(3)
  })

  it('stack their parts, a missing part as nothing', () => {
    const { bars } = chartBars(rows, ['alarms.x', 'alarms.y'], label, 10)
    expect(bars.map((bar) => [bar.label, bar.parts])).toEqual([
      ['C', [4, 0]],
      ['A', [1, 2]],
      ['D', [0, 1]],
      ['B', [0, 0]],
    ])
  })

  it('cut long labels, a wide character counting two', () => {
    expect(shortLabel('浙B·10001', 22)).toBe('浙B·10001')
    expect(shortLabel('慈溪市实验小学南校区分校', 12)).toBe('慈溪市实验…')
    expect(shortLabel('Longshan Central Primary School', 12)).toBe('Longshan Ce…')
  })
})
