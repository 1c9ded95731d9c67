import { describe, expect, it } from 'vitest'
import { registerKeys, registerNames } from '../../server/core/registers/register-records.js'
import {
  blankCells,
  cellChoices,
  cellsToSend,
  displayKey,
  formatCell,
  keyFields,
  recordCells,
} from './record-cells.js'
import { sheetOf, testSheets } from './test-sheets.js'

const pupil = {
  code: 'P100000016',
  id: 'pupil-1',
  name: '王小明',
  grade: 3,
  schoolCode: 'school-01',
  waveCode: null,
  afterSchoolService: true,
  homeLat: 30.17,
  homeLon: 121.27,
  stopCode: 'stop-07',
  tripCodes: ['trip-a', 'trip-b'],
}

describe('formatCell', () => {
  it('writes lists with ;, yes and no as 是 and 否, choices by their Chinese label, blanks empty', () => {
    expect(formatCell(['a', 'b', 'c'], { type: 'code_list' })).toBe('a;b;c')
    expect(formatCell([1, 2, 3, 4, 5], { type: 'int_list', min: 1, max: 7 })).toBe('1;2;3;4;5')
    expect(formatCell([], { type: 'code_list' })).toBe('')
    expect(formatCell(true, { type: 'bool' })).toBe('是')
    expect(formatCell(false, { type: 'bool' })).toBe('否')
    expect(formatCell('school_bus', sheetOf('buses').columns.find((c) => c.field === 'kind')!.cell)).toBe(
      '校车',
    )
    expect(
      formatCell('grandmother', sheetOf('guardians').columns.find((c) => c.field === 'relation')!.cell),
    ).toBe('祖母')
    expect(formatCell(null, { type: 'text' })).toBe('')
    expect(formatCell(undefined, { type: 'date' })).toBe('')
    expect(formatCell(45, { type: 'int', min: 1, max: 99 })).toBe('45')
    expect(formatCell(30.171234, { type: 'number', min: -90, max: 90 })).toBe('30.171234')
    expect(formatCell('07:05:00', { type: 'time' })).toBe('07:05:00')
  })

  it('shows an unknown choice as it is rather than nothing', () => {
    expect(formatCell('tram', sheetOf('buses').columns.find((c) => c.field === 'kind')!.cell)).toBe('tram')
  })
})

describe('the edit form’s cells', () => {
  it('start from a record as the sheet writes it, the coordinates’ datum as stored', () => {
    const cells = recordCells(sheetOf('pupils'), pupil)
    expect(cells).toMatchObject({
      code: 'P100000016',
      name: '王小明',
      grade: '3',
      waveCode: '',
      afterSchoolService: '是',
      homeLat: '30.17',
      datum: 'WGS-84',
      tripCodes: 'trip-a;trip-b',
    })
    expect(Object.keys(cells)).toEqual(sheetOf('pupils').columns.map((c) => c.field))
  })

  it('are blank for a new record, and go out trimmed with blanks as null', () => {
    const sheet = sheetOf('buses')
    expect(Object.values(blankCells(sheet)).every((v) => v === '')).toBe(true)
    const sent = cellsToSend(sheet, { plate: ' 浙B·X9924 ', seats: '45', operator: '' })
    expect(sent.plate).toBe('浙B·X9924')
    expect(sent.seats).toBe('45')
    expect(sent.operator).toBeNull()
    expect(Object.keys(sent)).toEqual(sheet.columns.map((c) => c.field))
  })

  it('offer the choices of yes-no, enumerated and datum columns', () => {
    expect(cellChoices({ type: 'bool' })).toEqual(['是', '否'])
    expect(cellChoices(sheetOf('trips').columns.find((c) => c.field === 'direction')!.cell)).toEqual([
      '上学',
      '放学',
    ])
    expect(cellChoices({ type: 'datum' })).toEqual(['WGS-84', 'GCJ-02', 'BD-09'])
    expect(cellChoices({ type: 'text' })).toEqual([])
  })
})

describe('keyFields', () => {
  it('names the fields each register’s key is made of, as the server keys records', () => {
    for (const register of registerNames) {
      const sheet = testSheets.find((s) => s.register === register)!
      const record = Object.fromEntries(sheet.columns.map((c, i) => [c.field, `v${i}`]))
      const key = (registerKeys[register] as (r: unknown) => string)(record)
      expect(key, register).toBe(keyFields[register].map((field) => record[field]).join('\t'))
    }
  })

  it('shows a composite key readably', () => {
    expect(displayKey('school-01\t3')).toBe('school-01 · 3')
    expect(displayKey('bus-01')).toBe('bus-01')
  })
})
