import { describe, expect, it } from 'vitest'
import { columnWords, formatValue, kindWords, rowName, shownColumns } from './report-columns.js'
import type { ReportColumn } from './reports-contract.js'
import { reportsText } from './reports-text.js'

const number = (key: string, zh: string, en: string, group?: string): ReportColumn => ({
  key,
  zh,
  en,
  type: 'number',
  ...(group ? { group } : {}),
})

describe('a report’s column headers', () => {
  it('word the fixed columns and the name column by grouping', () => {
    const trips = number('tripsRun', '运行趟次', 'trips run')
    expect(columnWords(trips, 'bus', reportsText.en)).toBe('Trips run')
    const name: ReportColumn = { key: 'name', zh: '车辆', en: 'bus', type: 'label' }
    expect(columnWords(name, 'bus', reportsText.zh)).toBe('车牌')
    expect(columnWords(name, 'school', reportsText.en)).toBe('School')
  })

  it('word a breakdown by its kind, and keep the server’s header for a kind they do not know', () => {
    const primary = number('overSpeed.primary', '超速·主干道', 'over-speed, primary road', 'overSpeedByRoad')
    expect(columnWords(primary, 'bus', reportsText.en)).toBe('Over-speed, primary road')
    expect(kindWords(primary, reportsText.zh)).toBe('主干道')
    const skipped = number(
      'route.stop_skipped',
      '线路违规·漏停站点',
      'route violation, stop skipped',
      'routeViolations',
    )
    expect(columnWords(skipped, 'bus', reportsText.zh)).toBe('线路违规·漏停站点')
    const fatigue = number('alarms.terminal_fatigue', '报警·疲劳驾驶', 'alarm, fatigue driving', 'alarms')
    expect(columnWords(fatigue, 'bus', reportsText.zh)).toBe('报警·疲劳驾驶')
    expect(columnWords(fatigue, 'bus', reportsText.en)).toBe('alarm, fatigue driving')
    expect(kindWords(fatigue, reportsText.en)).toBe('alarm, fatigue driving')
    const sos = number('alarms.terminal_sos', '报警·紧急报警', 'alarm, emergency button', 'alarms')
    expect(columnWords(sos, 'bus', reportsText.en)).toBe('Alarm: emergency button')
  })

  it('leave out the breakdowns unless asked', () => {
    const columns = [number('alarms', '报警数', 'alarms'), number('alarms.over_speed', 'a', 'b', 'alarms')]
    expect(shownColumns(columns, false).map((c) => c.key)).toEqual(['alarms'])
    expect(shownColumns(columns, true)).toHaveLength(2)
  })
})

describe('a report’s cells', () => {
  it('show numbers to one decimal, grouped, and a dash for nothing', () => {
    expect(formatValue(1234.56, 'en')).toBe('1,234.6')
    expect(formatValue(0, 'zh')).toBe('0')
    expect(formatValue(null, 'en')).toBe('—')
    expect(formatValue(undefined, 'en')).toBe('—')
    expect(formatValue('浙B·1', 'en')).toBe('浙B·1')
  })

  it('name rows in the page’s language where the server names them in both', () => {
    expect(rowName({ id: null, name: '全县 county' }, 'county', reportsText.en)).toBe('The county')
    expect(rowName({ id: null, name: '未登记 not registered' }, 'driver', reportsText.zh)).toBe(
      '未登记驾驶员',
    )
    expect(rowName({ id: 'B1', name: '浙B·1' }, 'bus', reportsText.en)).toBe('浙B·1')
    expect(rowName({ id: 'B9', name: null }, 'bus', reportsText.en)).toBe('B9')
  })
})
