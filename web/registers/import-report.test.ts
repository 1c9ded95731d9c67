import { describe, expect, it } from 'vitest'
import { countRows, fileKind, mayApply, registerOfFileName } from './import-report.js'
import { testSheets } from './test-sheets.js'

const counts = (inserted: number, updated: number, unchanged: number, removed: number) => ({
  inserted,
  updated,
  unchanged,
  removed,
})

describe('countRows', () => {
  it('gives a row per register of the file, in the registers’ order', () => {
    const rows = countRows(
      { counts: { pupils: counts(0, 1, 99, 0), stops: counts(1, 0, 50, 0), towns: counts(0, 0, 7, 0) } },
      testSheets,
    )
    expect(rows.map((r) => r.register)).toEqual(['towns', 'stops', 'pupils'])
    expect(rows[1]).toMatchObject({ inserted: 1, updated: 0, unchanged: 50, removed: 0 })
    expect(rows[1]!.sheet?.zh).toBe('站点')
  })
})

describe('mayApply', () => {
  it('allows an import only without errors; warnings do not stop it', () => {
    expect(mayApply({ errorCount: 0 })).toBe(true)
    expect(mayApply({ errorCount: 1 })).toBe(false)
  })
})

describe('the picked file', () => {
  it('is a workbook or a CSV by its extension', () => {
    expect(fileKind('registers.XLSX')).toBe('xlsx')
    expect(fileKind('学生.csv')).toBe('csv')
    expect(fileKind('registers.xls')).toBeNull()
    expect(fileKind('notes.txt')).toBeNull()
  })

  it('names the register a CSV holds by its English or Chinese sheet name, as the server reads it', () => {
    expect(registerOfFileName('buses.csv', testSheets)).toBe('buses')
    expect(registerOfFileName('车辆.csv', testSheets)).toBe('buses')
    expect(registerOfFileName('车辆 buses.csv', testSheets)).toBe('buses')
    expect(registerOfFileName('bell_times.csv', testSheets)).toBe('bellTimes')
    expect(registerOfFileName('C:\\exports\\Trip_Calls.csv', testSheets)).toBe('tripCalls')
    expect(registerOfFileName('pupils-2026.csv', testSheets)).toBeUndefined()
  })
})
