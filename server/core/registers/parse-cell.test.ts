import { describe, expect, it } from 'vitest'
import { parseCell, type RawCell } from './parse-cell.js'
import { formatPupilCode } from './pupil-code.js'
import type { CellType } from './register-sheets.js'

const required = (cell: CellType) => ({ cell, required: true })
const optional = (cell: CellType) => ({ cell, required: false })

const excelTime = (hours: number, minutes: number, ms = 0) =>
  new Date(Date.UTC(1899, 11, 30, hours, minutes) + ms)

function expectValue(raw: RawCell, cell: CellType, value: unknown) {
  expect(parseCell(raw, required(cell))).toEqual({ ok: true, value })
}

function expectProblem(raw: RawCell, cell: CellType, code: string) {
  expect(parseCell(raw, required(cell))).toMatchObject({ ok: false, code })
}

describe('parseCell', () => {
  it('reads blank cells as empty and requires a value where the column does', () => {
    for (const raw of [null, '', '   ']) {
      expect(parseCell(raw, required({ type: 'text' }))).toEqual({
        ok: false,
        code: 'missing_value',
        message: 'expected a value: text',
      })
      expect(parseCell(raw, optional({ type: 'code' }))).toEqual({ ok: true, value: null })
      expect(parseCell(raw, optional({ type: 'code_list' }))).toEqual({ ok: true, value: [] })
      expect(parseCell(raw, optional({ type: 'datum' }))).toEqual({ ok: true, value: 'WGS-84' })
    }
  })

  it('trims text', () => {
    expectValue('  慈溪市实验小学 ', { type: 'text' }, '慈溪市实验小学')
    expectValue(42, { type: 'text' }, '42')
    expectValue(new Date(Date.UTC(2024, 0, 5)), { type: 'text' }, '2024-01-05')
    expectProblem(new Date(NaN), { type: 'date' }, 'bad_date')
    expectProblem(new Date(NaN), { type: 'bool' }, 'bad_choice')
  })

  it('reads codes, and numbers Excel made of them as their digits', () => {
    const code: CellType = { type: 'code' }
    expectValue(' S-001.a_b ', code, 'S-001.a_b')
    expectValue(1001, code, '1001')
    for (const bad of ['bad code', '-x', 'a'.repeat(65), 'S#1', 1.5, true, new Date(0)]) {
      expectProblem(bad, code, 'bad_code')
    }
  })

  it('reads whole numbers and numbers within their range', () => {
    const grade: CellType = { type: 'int', min: 1, max: 12 }
    expectValue(3, grade, 3)
    expectValue(' 12 ', grade, 12)
    expectValue('3.0', grade, 3)
    expectProblem(3.5, grade, 'bad_number')
    expectProblem('three', grade, 'bad_number')
    expectProblem('0x10', grade, 'bad_number')
    expectProblem(13, grade, 'out_of_range')
    expectProblem('0', grade, 'out_of_range')
    expect(parseCell(13, required(grade))).toMatchObject({ message: 'expected a whole number from 1 to 12' })

    const lat: CellType = { type: 'number', min: -90, max: 90 }
    expectValue('29.123456', lat, 29.123456)
    expectValue(-90, lat, -90)
    expectValue('1e1', lat, 10)
    expectProblem(90.5, lat, 'out_of_range')
    expectProblem('29,5', lat, 'bad_number')
    expectProblem(true, lat, 'bad_number')
  })

  it('reads times of day as text, Excel times and fractions of a day', () => {
    const time: CellType = { type: 'time' }
    expectValue('7:20', time, '07:20:00')
    expectValue('07:20:30', time, '07:20:30')
    expectValue('7：20', time, '07:20:00')
    expectValue(excelTime(7, 20), time, '07:20:00')
    // exceljs turns Excel's fraction of a day into milliseconds with float error.
    expectValue(excelTime(7, 20, -1), time, '07:20:00')
    expectValue((7 * 60 + 20) / 1440, time, '07:20:00')
    expectValue(0, time, '00:00:00')
    for (const bad of ['24:00', '7:60', '7:20:60', '720', 'noon', 1.5, -0.1, true]) {
      expectProblem(bad, time, 'bad_time')
    }
    expect(parseCell('noon', required(time))).toMatchObject({
      message: 'expected a time of day HH:MM or HH:MM:SS',
    })
  })

  it('reads dates in the forms a bureau writes them and Excel dates', () => {
    const date: CellType = { type: 'date' }
    for (const raw of [
      '2024-09-01',
      '2024/9/1',
      '2024.9.1',
      '2024年9月1日',
      new Date(Date.UTC(2024, 8, 1)),
    ]) {
      expectValue(raw, date, '2024-09-01')
    }
    expectValue('2024-02-29', date, '2024-02-29')
    for (const bad of [
      '2023-02-29',
      '2024-13-01',
      '2024-9/1',
      '24-09-01',
      '2024-09-01 08:00',
      45536,
      excelTime(7, 20),
    ]) {
      expectProblem(bad, date, 'bad_date')
    }
  })

  it('reads yes and no in Chinese, English, digits and ticks', () => {
    const bool: CellType = { type: 'bool' }
    for (const yes of ['是', 'Yes', 'TRUE', 'y', '1', 1, true, '✓', '√']) expectValue(yes, bool, true)
    for (const no of ['否', 'no', 'False', 'N', '0', 0, false, '×']) expectValue(no, bool, false)
    expectProblem('maybe', bool, 'bad_choice')
  })

  it('reads a choice by its value in any case or by its Chinese label', () => {
    const relation: CellType = { type: 'enum', labels: { father: '父亲', mother: '母亲' } }
    expectValue('father', relation, 'father')
    expectValue('Mother', relation, 'mother')
    expectValue('父亲', relation, 'father')
    expect(parseCell('dad', required(relation))).toEqual({
      ok: false,
      code: 'bad_choice',
      message: 'expected one of 父亲 (father), 母亲 (mother)',
    })
  })

  it('reads code lists split on Chinese and English separators', () => {
    const list: CellType = { type: 'code_list' }
    expectValue('S1;S2', list, ['S1', 'S2'])
    expectValue('S1；S2，S3、S4 S5,S6', list, ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'])
    // The order is kept: a line's stops run in it.
    expectValue('S3;S1', list, ['S3', 'S1'])
    expectValue(1001, list, ['1001'])
    expectProblem(';', list, 'missing_value')
    expect(parseCell(' ; ', optional(list))).toEqual({ ok: true, value: [] })
    expectProblem('S1;#2', list, 'bad_code')
  })

  it('reads lists of whole numbers with ranges, sorted and without repeats', () => {
    const weekdays: CellType = { type: 'int_list', min: 1, max: 7 }
    expectValue('1-5', weekdays, [1, 2, 3, 4, 5])
    expectValue('5;1;3;1', weekdays, [1, 3, 5])
    expectValue('1-3，5、6~7', weekdays, [1, 2, 3, 5, 6, 7])
    expectValue(3, weekdays, [3])
    expectProblem('1-8', weekdays, 'out_of_range')
    expectProblem('0', weekdays, 'out_of_range')
    expectProblem('5-1', weekdays, 'bad_number')
    expectProblem('Mon', weekdays, 'bad_number')
    expectProblem('1.5', weekdays, 'bad_number')
  })

  it('reads mobile and landline numbers', () => {
    const phone: CellType = { type: 'phone' }
    for (const mobile of ['138 0013 8000', '138-0013-8000', 13800138000, '+86 138 0013 8000']) {
      expectValue(mobile, phone, '13800138000')
    }
    expectValue('0574-12345678', phone, '0574-12345678')
    expectValue('057412345678', phone, '0574-12345678')
    expectValue('0574 1234567', phone, '0574-1234567')
    expectValue('010 1234 5678', phone, '010-12345678')
    // Excel drops a landline's leading zero when it is typed into a number cell.
    for (const bad of ['12345', '23800138000', '1380013800', 57412345678, 'n/a'])
      expectProblem(bad, phone, 'bad_phone')
  })

  it('reads plates with or without the middle dot', () => {
    const plate: CellType = { type: 'plate' }
    for (const raw of ['浙B·X9924', '浙BX9924', '浙b x9924', '浙B-X9924', ' 浙B•X9924 '])
      expectValue(raw, plate, '浙B·X9924')
    expectValue('浙BD12345', plate, '浙B·D12345')
    for (const bad of ['浙BI9924', 'AB12345', '浙B·X992', '浙B·X9924567', '哈B·X9924', 12345]) {
      expectProblem(bad, plate, 'bad_plate')
    }
  })

  it('reads pupil codes that pass their check digit', () => {
    const pupilCode: CellType = { type: 'pupil_code' }
    const code = formatPupilCode(48_201_937)
    expectValue(` ${code.toLowerCase()} `, pupilCode, code)
    const wrongCheck = `${code.slice(0, 9)}${(Number(code[9]) + 1) % 10}`
    expect(parseCell(wrongCheck, required(pupilCode))).toEqual({
      ok: false,
      code: 'bad_pupil_code',
      message: 'expected P + 8 digits + Luhn check digit',
    })
  })

  it('reads datum names', () => {
    const datum: CellType = { type: 'datum' }
    for (const raw of ['WGS-84', 'wgs84', 'GPS']) expectValue(raw, datum, 'WGS-84')
    for (const raw of ['GCJ-02', 'gcj02', '火星坐标', '高德', 'AMap', '腾讯', 'Tencent'])
      expectValue(raw, datum, 'GCJ-02')
    for (const raw of ['BD-09', 'bd09', '百度', 'Baidu']) expectValue(raw, datum, 'BD-09')
    expectProblem('UTM', datum, 'bad_datum')
  })
})
