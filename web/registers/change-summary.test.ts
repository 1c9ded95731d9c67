import { describe, expect, it } from 'vitest'
import { changedFields, describeChange } from './change-summary.js'
import type { LoggedChange } from './registers-contract.js'
import { registersText } from './registers-text.js'
import { sheetOf, testSheets } from './test-sheets.js'

const bus = {
  plate: '浙B·X9924',
  code: 'bus-01',
  kind: 'school_bus',
  seats: 45,
  townCode: 'town-1',
  schoolCode: null,
  operator: '慈溪公交',
}
const change = (over: Partial<LoggedChange>): LoggedChange => ({
  id: 7,
  at: '2026-09-01T01:00:00.000Z',
  actor: 'bureau-admin',
  action: 'edit',
  register: 'buses',
  recordKey: '浙B·X9924',
  summary: { source: 'registers page' },
  ...over,
})
const words = (lang: 'zh' | 'en') => ({
  t: registersText[lang],
  sheets: testSheets,
  sheetName: (sheet: { zh: string; en: string }) => (lang === 'zh' ? sheet.zh : sheet.en),
})

describe('changedFields', () => {
  it('lists the fields an edit changed, in the sheet’s order', () => {
    const after = { ...bus, seats: 50, operator: '慈溪客运', schoolCode: 'school-01' }
    expect(changedFields(sheetOf('buses'), bus, after)).toEqual(['seats', 'schoolCode', 'operator'])
    expect(changedFields(sheetOf('buses'), bus, bus)).toEqual([])
  })

  it('compares lists by their items', () => {
    expect(changedFields(undefined, { a: [1, 2] }, { a: [1, 2] })).toEqual([])
    expect(changedFields(undefined, { a: [1, 2] }, { a: [2, 1] })).toEqual(['a'])
  })
})

describe('describeChange', () => {
  it('says what an edit changed, field by field, as the sheet writes values', () => {
    const edit = change({ before: bus, after: { ...bus, seats: 50 } })
    expect(describeChange(edit, words('zh'))).toBe('核载人数 seats: 45 → 50')
    const added = change({ before: null, after: bus })
    expect(describeChange(added, words('en'))).toMatch(/^new record: 浙B·X9924 · bus-01 · 校车 · 45/)
  })

  it('says which file an import read and what it changed per register', () => {
    const imported = change({
      action: 'import',
      register: null,
      recordKey: null,
      summary: {
        source: 'fixed.xlsx',
        remove: false,
        counts: {
          stops: { inserted: 1, updated: 0, unchanged: 500, removed: 0 },
          pupils: { inserted: 0, updated: 1, unchanged: 4000, removed: 0 },
          towns: { inserted: 0, updated: 0, unchanged: 7, removed: 0 },
        },
      },
    })
    expect(describeChange(imported, words('zh'))).toBe('fixed.xlsx; 站点新增 1; 学生修改 1')
    expect(describeChange(imported, words('en'))).toBe('fixed.xlsx; stops: 1 new; pupils: 1 changed')
    const same = { ...imported, summary: { source: 'same.xlsx', remove: true, counts: { towns: {} } } }
    expect(describeChange(same, words('en'))).toBe('same.xlsx (removing what it left out); nothing changed')
  })

  it('says what an export took and whether it held personal data', () => {
    const all = change({
      action: 'export',
      register: null,
      recordKey: null,
      summary: {
        format: 'xlsx',
        registers: testSheets.map((s) => s.register),
        schoolCode: null,
        personalData: true,
      },
    })
    expect(describeChange(all, words('en'))).toBe('xlsx · all registers · personal data')
    const one = change({
      action: 'export',
      register: 'buses',
      recordKey: null,
      summary: { format: 'csv', registers: ['buses'], schoolCode: null, personalData: false },
    })
    expect(describeChange(one, words('zh'))).toBe('csv · 车辆')
  })

  it('shows a removed record as it was', () => {
    expect(describeChange(change({ action: 'remove', before: bus }), words('zh'))).toBe(
      '浙B·X9924 · bus-01 · 校车 · 45 · town-1 · 慈溪公交',
    )
  })
})
