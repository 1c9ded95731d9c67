import { describe, expect, it } from 'vitest'
import { formatCell } from './format-cell.js'
import { parseCell, type CellValue } from './parse-cell.js'
import { formatPupilCode } from './pupil-code.js'
import type { CellType } from './register-sheets.js'

const roundTrips: Array<[CellType, CellValue[]]> = [
  [{ type: 'text' }, ['慈溪市实验小学', 'Cixi No. 1', '007']],
  [{ type: 'code' }, ['S001', '0042', 'a.b-c_d']],
  [{ type: 'int', min: 0, max: 86_400 }, [0, 1, 86_400]],
  [{ type: 'number', min: -180, max: 180 }, [29.123456, -0.000001, 121.987654, 1 / 3]],
  [{ type: 'time' }, ['07:20:00', '16:05:30']],
  [{ type: 'date' }, ['2024-09-01', '1999-12-31']],
  [{ type: 'bool' }, [true, false]],
  [{ type: 'enum', labels: { micro_bus: '微公交', custom_bus: '定制公交' } }, ['micro_bus', 'custom_bus']],
  [{ type: 'code_list' }, [['S1'], ['S3', 'S1', 'S2']]],
  [{ type: 'int_list', min: 1, max: 7 }, [[1], [1, 2, 3, 4, 5]]],
  [{ type: 'phone' }, ['13800138000', '0574-12345678', '010-12345678']],
  [{ type: 'plate' }, ['浙B·X9924', '浙B·D12345']],
  [{ type: 'pupil_code' }, [formatPupilCode(48_201_937)]],
]

describe('formatCell', () => {
  it.each(roundTrips)('writes %j so that it reads back the same', (cell, values) => {
    for (const value of [...values, null]) {
      const parsed = parseCell(formatCell(value, cell), { cell, required: false })
      const blank = cell.type === 'code_list' || cell.type === 'int_list' ? [] : null
      expect(parsed).toEqual({ ok: true, value: value ?? blank })
    }
  })

  it('writes numbers as numbers, yes and no and choices in Chinese, lists with ;', () => {
    expect(formatCell(29.123456, { type: 'number', min: -90, max: 90 })).toBe(29.123456)
    expect(formatCell(true, { type: 'bool' })).toBe('是')
    expect(formatCell(false, { type: 'bool' })).toBe('否')
    expect(formatCell('father', { type: 'enum', labels: { father: '父亲' } })).toBe('父亲')
    expect(formatCell(['S1', 'S2'], { type: 'code_list' })).toBe('S1;S2')
    expect(formatCell([], { type: 'code_list' })).toBeNull()
    expect(formatCell(null, { type: 'text' })).toBeNull()
  })

  it('writes every datum column as WGS-84, the datum records are kept in', () => {
    expect(formatCell(null, { type: 'datum' })).toBe('WGS-84')
  })
})
