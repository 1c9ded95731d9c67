import { PassThrough } from 'node:stream'
import { finished } from 'node:stream/promises'
import { stringify } from 'csv-stringify/sync'
import ExcelJS from 'exceljs'
import { formatCell, type ExportCell } from './format-cell.js'
import { describeCell, type CellValue } from './parse-cell.js'
import { registerNames, type RegisterName, type RegisterSet } from './register-records.js'
import {
  columnHeader,
  registerSheets,
  sheetTitle,
  type RegisterColumn,
  type RegisterSheet,
} from './register-sheets.js'

const NOTES_SHEET = '说明 notes'
/** Column widths are sized on the first rows; a county's hundred thousand pupils look alike. */
const WIDTH_SAMPLE_ROWS = 100
const MIN_WIDTH = 8
const MAX_WIDTH = 40

type Style = Partial<ExcelJS.Style>

const headerStyle: Style = { font: { bold: true } }
/** Excel turns typed codes, phones, times, dates and lists into numbers or dates unless a cell is text. */
const textStyle: Style = { numFmt: '@' }
const plainStyle: Style = {}

/**
 * The registers as a workbook, a sheet per register in `registerNames` order, laid out as
 * readRegisterWorkbook reads them. A template has every register's sheet, empty unless `set` fills
 * it, after a notes sheet saying what each column takes. exceljs's streaming writer keeps a
 * county's pupils to seconds.
 */
export async function writeRegisterWorkbook(
  set: Partial<RegisterSet>,
  options: { template?: boolean } = {},
): Promise<Uint8Array> {
  const output = new PassThrough()
  const chunks: Buffer[] = []
  output.on('data', (chunk: Buffer) => chunks.push(chunk))
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true })
  if (options.template) writeNotesSheet(workbook)
  for (const register of registerNames) {
    const records = set[register] ?? (options.template ? [] : undefined)
    if (records) writeRegisterSheet(workbook, registerSheets[register] as RegisterSheet, records)
  }
  await Promise.all([workbook.commit(), finished(output)])
  return Buffer.concat(chunks)
}

/** One register as CSV with a header row, UTF-8 with a byte-order mark so that Excel reads the Chinese. */
export function writeRegisterCsv<R extends RegisterName>(register: R, records: RegisterSet[R]): string {
  const sheet = registerSheets[register] as RegisterSheet
  const rows = (records as readonly object[]).map((record) => formatRecord(sheet, record))
  return stringify([sheet.columns.map(columnHeader), ...rows], { bom: true })
}

function writeRegisterSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  sheet: RegisterSheet,
  records: object[],
) {
  const worksheet = workbook.addWorksheet(sheetTitle(sheet), { views: [{ state: 'frozen', ySplit: 1 }] })
  const headers = sheet.columns.map(columnHeader)
  const styles = sheet.columns.map(styleOf)
  const sample = [
    headers,
    ...records.slice(0, WIDTH_SAMPLE_ROWS).map((record) => formatRecord(sheet, record)),
  ]
  worksheet.columns = sheet.columns.map((_, i) => ({
    width: fitWidth(sample.map((row) => row[i] ?? null)),
    style: styles[i],
  }))
  writeRow(worksheet, headers, () => headerStyle)
  for (const record of records) writeRow(worksheet, formatRecord(sheet, record), (i) => styles[i]!)
  worksheet.commit()
}

function writeNotesSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter) {
  const worksheet = workbook.addWorksheet(NOTES_SHEET)
  worksheet.columns = [18, 16, 22, 12, 48, 60].map((width) => ({ width }))
  const datumHeader = columnHeader(
    registerSheets.towns.columns.find((column) => column.cell.type === 'datum')!,
  )
  writeRow(worksheet, ['填写说明 How to fill in this workbook'], () => headerStyle)
  const lines = [
    '每个工作表是一个名册：第一行是列名（中文、英文或两者），其后每行一条记录；必填列不可空白。',
    'Each sheet is a register: row 1 holds the headers (Chinese, English or both), every row after it one record.',
    `坐标可以是 WGS-84、GCJ-02（高德、腾讯）或 BD-09（百度），在“${datumHeader}”列注明，导入后统一保存为 WGS-84。`,
    `Coordinates may be WGS-84, GCJ-02 (AMap, Tencent) or BD-09 (Baidu), named in the ${datumHeader} column;` +
      ' they are stored in WGS-84.',
    '',
  ]
  for (const line of lines) writeRow(worksheet, [line], () => plainStyle)
  const header = [
    '工作表 sheet',
    '中文列名 Chinese header',
    '英文列名 English header',
    '必填 required',
    '格式',
    'format',
  ]
  writeRow(worksheet, header, () => headerStyle)
  for (const register of registerNames) {
    const sheet = registerSheets[register] as RegisterSheet
    for (const column of sheet.columns) {
      const { zh, en } = describeCell(column.cell)
      const row = [sheetTitle(sheet), column.zh, column.en, column.required ? '是 yes' : '否 no', zh, en]
      writeRow(worksheet, row, () => plainStyle)
    }
  }
  worksheet.commit()
}

/**
 * Every cell gets one shared style object: exceljs looks styles up by object, so a fresh one per
 * cell (what a column's style gives) makes a county's export nearly twice as slow.
 */
function writeRow(
  worksheet: ExcelJS.Worksheet,
  values: ExportCell[] | string[],
  styleOf: (i: number) => Style,
) {
  const row = worksheet.addRow(values)
  row.eachCell((cell, column) => {
    cell.style = styleOf(column - 1)
  })
  row.commit()
}

function formatRecord(sheet: RegisterSheet, record: object): ExportCell[] {
  const fields = record as Record<string, CellValue | undefined>
  return sheet.columns.map((column) => formatCell(fields[column.field] ?? null, column.cell))
}

function styleOf(column: RegisterColumn): Style {
  return column.cell.type === 'int' || column.cell.type === 'number' ? plainStyle : textStyle
}

/** Wide enough for the widest value, counting a Chinese character as two. */
function fitWidth(values: ExportCell[]): number {
  const widest = Math.max(...values.map((value) => displayWidth(value === null ? '' : String(value))))
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, widest + 2))
}

function displayWidth(text: string): number {
  let width = 0
  for (const char of text) width += char.codePointAt(0)! >= 0x2e80 ? 2 : 1
  return width
}
