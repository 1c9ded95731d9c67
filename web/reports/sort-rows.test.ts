import { describe, expect, it } from 'vitest'
import { nextOrder, sortRows } from './sort-rows.js'

const rows = [
  { id: 'B1', name: '浙B·2', km: 10, onTimeRate: null },
  { id: 'B2', name: '浙B·10', km: 25.5, onTimeRate: 50 },
  { id: 'B3', name: '浙B·1', km: 10, onTimeRate: 100 },
]
const ids = (sorted: readonly Record<string, unknown>[]) => sorted.map((r) => r.id)

describe('sorting a report’s rows', () => {
  it('keeps the server’s order without a column', () => {
    expect(ids(sortRows(rows, null, 'en'))).toEqual(['B1', 'B2', 'B3'])
  })

  it('sorts numbers as numbers, ties in the server’s order', () => {
    expect(ids(sortRows(rows, { key: 'km', direction: 'descending' }, 'en'))).toEqual(['B2', 'B1', 'B3'])
    expect(ids(sortRows(rows, { key: 'km', direction: 'ascending' }, 'en'))).toEqual(['B1', 'B3', 'B2'])
  })

  it('puts rows with nothing last, either way', () => {
    expect(ids(sortRows(rows, { key: 'onTimeRate', direction: 'ascending' }, 'en'))).toEqual([
      'B2',
      'B3',
      'B1',
    ])
    expect(ids(sortRows(rows, { key: 'onTimeRate', direction: 'descending' }, 'en'))).toEqual([
      'B3',
      'B2',
      'B1',
    ])
  })

  it('sorts text with its numbers in order', () => {
    expect(ids(sortRows(rows, { key: 'name', direction: 'ascending' }, 'zh-CN'))).toEqual(['B3', 'B1', 'B2'])
  })

  it('starts a number column largest first, text from A, and turns a column round', () => {
    expect(nextOrder(null, { key: 'km', type: 'number' })).toEqual({ key: 'km', direction: 'descending' })
    expect(nextOrder(null, { key: 'name', type: 'label' })).toEqual({ key: 'name', direction: 'ascending' })
    expect(nextOrder({ key: 'km', direction: 'descending' }, { key: 'km', type: 'number' })).toEqual({
      key: 'km',
      direction: 'ascending',
    })
  })
})
