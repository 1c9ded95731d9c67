import { describe, expect, it } from 'vitest'
import {
  decodeCsvText,
  readUploadedRegisters,
  registerOfFileName,
  uploadedFileKind,
} from './read-uploaded-registers.js'

describe('readUploadedRegisters', () => {
  it('reads a CSV saved as GBK by Chinese Excel as well as one in UTF-8', async () => {
    // "乡镇代码,名称,类型,纬度,经度\nhushan,浒山,镇街,30.17,121.24" in GBK, as Excel saves it.
    const header = Buffer.from('cfe7d5f2b4fac2eb2cc3fbb3c62cc0e0d0cd2cceb3b6c82cbeadb6c80a', 'hex')
    const row = Buffer.from('68757368616e2ce4b0c9bd2cd5f2bdd62c33302e31372c3132312e32340a', 'hex')
    const gbk = Buffer.concat([header, row])
    expect(decodeCsvText(gbk)).toBe('乡镇代码,名称,类型,纬度,经度\nhushan,浒山,镇街,30.17,121.24\n')
    const parsed = await readUploadedRegisters({ name: 'towns.csv', bytes: gbk })
    expect(parsed.problems).toEqual([])
    expect(parsed.records.towns?.[0]?.record).toMatchObject({ code: 'hushan', nameZh: '浒山', kind: 'town' })
    const utf8 = Buffer.from('乡镇代码,名称,类型,纬度,经度\nhushan,浒山,镇街,30.17,121.24\n')
    expect(decodeCsvText(utf8)).toBe(decodeCsvText(gbk))
  })

  it('names the register of a CSV by its file name, and refuses other files', async () => {
    expect(registerOfFileName('车辆 buses')).toBe('buses')
    expect(registerOfFileName('学生')).toBe('pupils')
    const parsed = await readUploadedRegisters({ name: 'notes.txt', bytes: new Uint8Array() })
    expect(parsed.problems).toEqual([expect.objectContaining({ code: 'unreadable_file', register: null })])
  })

  it('tells a file that is no register file from a CSV that does not say its register', () => {
    expect(uploadedFileKind('registers.XLSX')).toEqual({ kind: 'xlsx' })
    expect(uploadedFileKind('车辆 buses.csv')).toEqual({ kind: 'csv', register: 'buses' })
    expect(uploadedFileKind('export.csv', 'pupils')).toEqual({ kind: 'csv', register: 'pupils' })
    expect(uploadedFileKind('export.csv')).toEqual({ kind: 'csv_register_unknown' })
    expect(uploadedFileKind('registers.xls')).toEqual({ kind: 'not_a_register_file' })
    expect(uploadedFileKind('notes.txt', 'buses')).toEqual({ kind: 'not_a_register_file' })
  })
})
