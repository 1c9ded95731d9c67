import { describe, expect, it } from 'vitest'
import { columnOfHeader, errorsFirst, placeProblems } from './problem-fields.js'
import type { Problem } from './registers-contract.js'
import { sheetOf } from './test-sheets.js'

const problem = (over: Partial<Problem>): Problem => ({
  severity: 'error',
  code: 'bad_number',
  register: 'buses',
  sheet: '车辆',
  row: 2,
  column: '核载人数 seats',
  value: 'abc',
  message: 'expected a whole number from 1 to 99',
  ...over,
})

describe('columnOfHeader', () => {
  it('finds a column by its header as export writes it, or by either half, in any case', () => {
    const buses = sheetOf('buses')
    expect(columnOfHeader(buses, '核载人数 seats')?.field).toBe('seats')
    expect(columnOfHeader(buses, '核载人数')?.field).toBe('seats')
    expect(columnOfHeader(buses, 'SEATS')?.field).toBe('seats')
    expect(columnOfHeader(buses, ' 核载人数   seats ')?.field).toBe('seats')
    expect(columnOfHeader(buses, 'colour')).toBeUndefined()
    expect(columnOfHeader(buses, null)).toBeUndefined()
  })
})

describe('placeProblems', () => {
  it('puts a problem of the typed row beside the field its column names', () => {
    const placed = placeProblems(sheetOf('buses'), [
      problem({}),
      problem({ code: 'unknown_reference', column: '所属乡镇 town', value: 'nowhere' }),
    ])
    expect(placed.byField.seats?.map((p) => p.code)).toEqual(['bad_number'])
    expect(placed.byField.townCode?.map((p) => p.code)).toEqual(['unknown_reference'])
    expect(placed.general).toEqual([])
  })

  it('keeps above the form what names no field of this row: stored records, other registers, whole rows', () => {
    const stored = problem({
      code: 'still_referenced',
      register: 'staff',
      sheet: '人员',
      row: null,
      column: '车牌号 bus',
    })
    const storedBus = problem({ code: 'duplicate_key', row: null, column: '车辆编号 code' })
    const wholeRow = problem({ code: 'inconsistent', column: null })
    const placed = placeProblems(sheetOf('buses'), [stored, storedBus, wholeRow])
    expect(placed.byField).toEqual({})
    expect(placed.general).toEqual([stored, storedBus, wholeRow])
  })
})

describe('errorsFirst', () => {
  it('lists errors before warnings, each in the order given', () => {
    const w1 = problem({ severity: 'warning', code: 'no_coordinates', row: 2 })
    const e1 = problem({ row: 5 })
    const w2 = problem({ severity: 'warning', code: 'no_coordinates', row: 3 })
    const e2 = problem({ row: 9 })
    expect(errorsFirst([w1, e1, w2, e2])).toEqual([e1, e2, w1, w2])
  })
})
