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
    expect(kindWords(primary, reportsText.en)).toBe('Primary road')
    const skipped = number(
      'route.stop_skipped',
      '线路违规·漏停站点',
      'route violation, stop skipped',
      'routeViolations',
    )
    expect(columnWords(skipped, 'bus', reportsText.zh)).toBe('线路违规·漏停站点')
    // A kind the page knows is worded by the page, whatever the server's header says.
    const alarm = (kind: string) => number(`alarms.${kind}`, '报警', 'alarm', 'alarms')
    expect(columnWords(alarm('terminal_fatigue'), 'bus', reportsText.zh)).toBe('报警·疲劳驾驶')
    expect(columnWords(alarm('terminal_fatigue'), 'bus', reportsText.en)).toBe('Alarm: driver fatigue')
    expect(kindWords(alarm('terminal_fatigue'), reportsText.en)).toBe('Driver fatigue')
    expect(columnWords(alarm('terminal_gnss_fault'), 'bus', reportsText.en)).toBe('Alarm: GNSS module fault')
    expect(columnWords(alarm('terminal_sos'), 'bus', reportsText.en)).toBe('Alarm: emergency button')
    const unknown = number('alarms.some_new_kind', '报警·some new kind', 'alarm, some new kind', 'alarms')
    expect(columnWords(unknown, 'bus', reportsText.zh)).toBe('报警·some new kind')
    expect(columnWords(unknown, 'bus', reportsText.en)).toBe('alarm, some new kind')
    expect(kindWords(unknown, reportsText.en)).toBe('alarm, some new kind')
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
