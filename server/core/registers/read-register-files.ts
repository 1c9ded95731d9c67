import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import gcoordModule from 'gcoord'
import { parseCell, type CellValue, type RawCell } from './parse-cell.js'
import type { RecordOrigin, RegisterProblem } from './register-problem.js'
import { registerNames, type RegisterName, type RegisterSet } from './register-records.js'
import {
  columnHeader,
  registerSheets,
  sheetTitle,
  type Datum,
  type RegisterColumn,
  type RegisterSheet,
} from './register-sheets.js'

/** gcoord declares an ES default export, but it is CommonJS and its module.exports is that object. */
const gcoord = gcoordModule as unknown as (typeof gcoordModule)['default']

export interface ParsedRegisters {
  records: { [R in RegisterName]?: Array<{ record: RegisterSet[R][number]; origin: RecordOrigin }> }
  problems: RegisterProblem[]
}

/** Sites and homes the planner places: one without coordinates is listed, never guessed. */
const placedRegisters: ReadonlySet<RegisterName> = new Set(['schools', 'stops', 'pupils'])

const MAX_VALUE_LENGTH = 60

/** A zip file (and so an .xlsx) starts with a local file header. */
const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04]

type RowRecord = Record<string, CellValue>

interface SheetLayout {
  register: RegisterName
  sheet: RegisterSheet
  /** The sheet's name as the file has it. */
  name: string
  /** The file's columns that are read, by their position in a row. */
  columns: Array<{ column: RegisterColumn; index: number; header: string }>
  coordinates: Array<{ lat: string; lon: string; latHeader: string; lonHeader: string }>
  records: Array<{ record: RowRecord; origin: RecordOrigin }>
}

/**
 * The per-register sheet types do not widen to RegisterSheet (their coordinate keys differ), so
 * code that handles any register sees the sheet through this plain view.
 */
function sheetOf(register: RegisterName): RegisterSheet {
  return registerSheets[register] as RegisterSheet
}

function normaliseName(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase()
}

/** Names a sheet or a header is known by: Chinese, English, or both as export writes them. */
const sheetsByName = new Map(
  registerNames.flatMap((register) => {
    const sheet = sheetOf(register)
    return [sheet.zh, sheet.en, sheetTitle(sheet)].map((name) => [normaliseName(name), register] as const)
  }),
)
const columnsByHeader = new Map(
  registerNames.map((register) => [
    register,
    new Map(
      sheetOf(register).columns.flatMap((column) =>
        [column.zh, column.en, columnHeader(column)].map((name) => [normaliseName(name), column] as const),
      ),
    ),
  ]),
)

/**
 * A workbook with a sheet per register, as Excel, WPS or export write it. Sheets named after no
 * register (notes, say) are skipped.
 *
 * The workbook is loaded whole: exceljs 4.4's streaming reader is faster but not reliable. It can
 * lose zip entries that arrive while it is busy, and with them worksheets or their names (exceljs
 * issues #2790 and #3064), and it decodes each chunk of XML on its own, so that a Chinese character
 * split between two chunks reads as U+FFFD (a few rows in every hundred thousand).
 */
export async function readRegisterWorkbook(bytes: Uint8Array): Promise<ParsedRegisters> {
  // An old .xls or a CSV is no zip: say what is expected rather than how unzipping failed.
  if (!ZIP_SIGNATURE.every((byte, i) => bytes[i] === byte))
    return unreadableWorkbook('expected an Excel workbook (.xlsx)')
  const workbook = new ExcelJS.Workbook()
  try {
    // exceljs declares its own Buffer type, an ArrayBuffer; it loads a Node Buffer as well.
    await workbook.xlsx.load(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer,
    )
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return unreadableWorkbook(`expected an Excel workbook (.xlsx); reading failed: ${reason}`)
  }
  const parsed: ParsedRegisters = { records: {}, problems: [] }
  for (const worksheet of workbook.worksheets) {
    const readRowOf = sheetRowReader(worksheet.name, parsed)
    if (readRowOf) worksheet.eachRow((row, number) => readRowOf(number, rowCells(row)))
  }
  if (Object.keys(parsed.records).length > 0) return parsed
  const names = registerNames.map((register) => sheetTitle(sheetOf(register))).join(', ')
  const found = workbook.worksheets.map((worksheet) => worksheet.name).join(', ')
  return unreadableWorkbook(`expected a sheet named after a register: ${names}`, found)
}

/**
 * Reads a sheet row by row: its first row that is not blank is the header. Null for a sheet named
 * after no register.
 */
function sheetRowReader(
  name: string,
  parsed: ParsedRegisters,
): ((row: number, cells: RawCell[]) => void) | null {
  const register = sheetsByName.get(normaliseName(name))
  if (!register) return null
  // undefined until the header row is seen; null when the header lacks a required column.
  let layout: SheetLayout | null | undefined
  return (row, cells) => {
    if (layout === null || cells.every(isBlank)) return
    if (layout) readRow(layout, row, cells, parsed.problems)
    else layout = openSheet(register, name, row, cells, parsed)
  }
}

/** A problem of the whole workbook: it has no register, sheet or row to point at. */
function unreadableWorkbook(message: string, value: string | null = null): ParsedRegisters {
  const where = { register: null, sheet: '', row: null, column: null }
  return {
    records: {},
    problems: [problem({ severity: 'error', code: 'unreadable_file', ...where, message }, value)],
  }
}

/** One register as CSV with a header row, as Excel or export writes it (a byte-order mark is skipped). */
export function readRegisterCsv(text: string, register: RegisterName): ParsedRegisters {
  const parsed: ParsedRegisters = { records: {}, problems: [] }
  const name = sheetOf(register).en
  let rows: string[][]
  try {
    rows = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false })
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    const message = `expected a CSV file; reading failed: ${reason}`
    const where = { register, sheet: name, row: null, column: null }
    parsed.problems.push(problem({ severity: 'error', code: 'unreadable_file', ...where, message }))
    return parsed
  }
  const layout = openSheet(register, name, 1, rows[0] ?? [], parsed)
  if (!layout) return parsed
  // The spreadsheet row: the header is row 1, and a quoted line break stays within its row.
  for (let i = 1; i < rows.length; i++) {
    if (!rows[i]!.every(isBlank)) readRow(layout, i + 1, rows[i]!, parsed.problems)
  }
  return parsed
}

/**
 * One row as edited on the registers page, its cells named by field or by header as a sheet's are
 * (`plate`, `车牌号`, `车牌号 plate`); a column left out is blank. It is read as a sheet's row is.
 */
export function parseRegisterRow<R extends RegisterName>(
  register: R,
  cells: Readonly<Record<string, RawCell>>,
  origin: RecordOrigin,
): { record: RegisterSet[R][number] | null; origin: RecordOrigin; problems: RegisterProblem[] } {
  const sheet = sheetOf(register)
  const known = columnsByHeader.get(register)!
  const problems: RegisterProblem[] = []
  const row: RawCell[] = sheet.columns.map(() => null)
  for (const [key, raw] of Object.entries(cells)) {
    const column = sheet.columns.find((c) => c.field === key) ?? known.get(normaliseName(key))
    if (column) row[sheet.columns.indexOf(column)] = raw
    else {
      const message = `expected a column of ${sheetTitle(sheet)}; this one is ignored`
      const where = { register, sheet: origin.sheet, row: origin.row, column: key }
      problems.push(problem({ severity: 'warning', code: 'unknown_column', ...where, message }))
    }
  }
  const columns = sheet.columns.map((column, index) => ({ column, index, header: columnHeader(column) }))
  const layout = createLayout(register, origin.sheet, columns, [])
  readRow(layout, origin.row, row, problems)
  const record = (layout.records[0]?.record ?? null) as unknown as RegisterSet[R][number] | null
  return { record, origin, problems }
}

/**
 * A row's cells from the first column. A merged cell reads as its value in every row it spans, as
 * a bureau that merges a school's cell over its pupils means it.
 */
function rowCells(row: ExcelJS.Row): RawCell[] {
  // exceljs counts columns from 1 and leaves holes for empty cells.
  const values = row.values as ExcelJS.CellValue[]
  const cells: RawCell[] = []
  for (let i = 1; i < values.length; i++) cells.push(rawCellOf(values[i]))
  return cells
}

/** A cell's value as seen in Excel: rich text as its text, a formula as its result, an error as its code. */
function rawCellOf(value: ExcelJS.CellValue): RawCell {
  if (value === null || value === undefined) return null
  if (typeof value !== 'object' || value instanceof Date) return value
  if ('richText' in value) return value.richText.map((run) => run.text).join('')
  if ('error' in value) return value.error
  if ('hyperlink' in value) return rawCellOf(value.text)
  if ('result' in value) return rawCellOf(value.result ?? null)
  return null
}

function isBlank(cell: RawCell): boolean {
  return cell === null || (typeof cell === 'string' && cell.trim() === '')
}

/**
 * Matches the header row to the register's columns. A sheet without a required column is reported
 * once for it and its rows are not read: each would fail the same way.
 */
function openSheet(
  register: RegisterName,
  name: string,
  headerRow: number,
  header: readonly RawCell[],
  parsed: ParsedRegisters,
): SheetLayout | null {
  const sheet = sheetOf(register)
  const known = columnsByHeader.get(register)!
  const columns: SheetLayout['columns'] = []
  header.forEach((raw, index) => {
    const text = raw === null ? '' : String(raw).trim()
    if (text === '') return
    const column = known.get(normaliseName(text))
    if (column && !columns.some((read) => read.column === column)) {
      columns.push({ column, index, header: text })
      return
    }
    const why = column ? 'this column repeats an earlier one' : `this is not a column of ${sheetTitle(sheet)}`
    const where = { register, sheet: name, row: headerRow, column: text }
    const message = `expected each column once; ${why}`
    parsed.problems.push(problem({ severity: 'warning', code: 'unknown_column', ...where, message }))
  })
  const missing = sheet.columns.filter(
    (column) => column.required && !columns.some((read) => read.column === column),
  )
  for (const column of missing) {
    const where = { register, sheet: name, row: headerRow, column: columnHeader(column) }
    const message = `expected a column ${columnHeader(column)} (${column.zh} or ${column.en})`
    parsed.problems.push(problem({ severity: 'error', code: 'missing_sheet_column', ...where, message }))
  }
  // A sheet that is there but empty still names its register, so that an import may empty it.
  const found = parsed.records as Record<string, SheetLayout['records']>
  const records = (found[register] ??= [])
  return missing.length > 0 ? null : createLayout(register, name, columns, records)
}

function createLayout(
  register: RegisterName,
  name: string,
  columns: SheetLayout['columns'],
  records: SheetLayout['records'],
): SheetLayout {
  const sheet = sheetOf(register)
  const headerOf = (field: string) => {
    const read = columns.find((c) => c.column.field === field)
    return read ? read.header : columnHeader(sheet.columns.find((column) => column.field === field)!)
  }
  const pairs: Array<{ lat: string; lon: string }> = sheet.coordinates
  const coordinates = pairs.map(({ lat, lon }) => ({
    lat,
    lon,
    latHeader: headerOf(lat),
    lonHeader: headerOf(lon),
  }))
  return { register, sheet, name, columns, coordinates, records }
}

/**
 * Parses a row that is not blank into a record. A row with an error is reported and left out; one
 * with only warnings is kept.
 */
function readRow(
  layout: SheetLayout,
  row: number,
  cells: readonly RawCell[],
  problems: RegisterProblem[],
): void {
  const record = blankRecord(layout.sheet)
  const failed = new Set<string>()
  let datum: Datum = 'WGS-84'
  for (const { column, index, header } of layout.columns) {
    const raw = cells[index] ?? null
    const cell = parseCell(raw, column)
    if (!cell.ok) {
      const where = { register: layout.register, sheet: layout.name, row, column: header }
      problems.push(problem({ severity: 'error', code: cell.code, ...where, message: cell.message }, raw))
      failed.add(column.field)
    } else if (column.cell.type === 'datum') datum = cell.value as Datum
    else record[column.field] = cell.value
  }
  for (const pair of layout.coordinates) placeCoordinates(layout, pair, record, datum, row, failed, problems)
  if (failed.size === 0) layout.records.push({ record, origin: { sheet: layout.name, row } })
}

/** Every field of the register, so that columns the sheet leaves out read as empty. */
function blankRecord(sheet: RegisterSheet): RowRecord {
  const record: RowRecord = {}
  for (const column of sheet.columns) {
    if (column.cell.type === 'datum') continue
    const list = column.cell.type === 'code_list' || column.cell.type === 'int_list'
    record[column.field] = list ? [] : null
  }
  return record
}

/** Checks a coordinate pair is whole and converts it from the row's datum to WGS-84. */
function placeCoordinates(
  layout: SheetLayout,
  pair: SheetLayout['coordinates'][number],
  record: RowRecord,
  datum: Datum,
  row: number,
  failed: Set<string>,
  problems: RegisterProblem[],
): void {
  if (failed.has(pair.lat) || failed.has(pair.lon) || failed.has('datum')) return
  const lat = record[pair.lat] as number | null
  const lon = record[pair.lon] as number | null
  const where = (column: string) => ({ register: layout.register, sheet: layout.name, row, column })
  if (lat === null && lon === null) {
    // A row left out for an error is not kept without a position either.
    if (!placedRegisters.has(layout.register) || failed.size > 0) return
    const message = 'expected a latitude and a longitude; the record is kept without a position'
    problems.push(problem({ severity: 'warning', code: 'no_coordinates', ...where(pair.latHeader), message }))
  } else if (lat === null || lon === null) {
    const column = lat === null ? pair.latHeader : pair.lonHeader
    const message = 'expected both a latitude and a longitude, or neither'
    problems.push(problem({ severity: 'error', code: 'half_coordinates', ...where(column), message }))
    failed.add(lat === null ? pair.lat : pair.lon)
  } else {
    const [wgsLat, wgsLon] = toWgs84(lat, lon, datum)
    record[pair.lat] = roundCoordinate(wgsLat)
    record[pair.lon] = roundCoordinate(wgsLon)
  }
}

function toWgs84(lat: number, lon: number, datum: Datum): [number, number] {
  if (datum === 'WGS-84') return [lat, lon]
  const from = datum === 'GCJ-02' ? gcoord.GCJ02 : gcoord.BD09
  const [wgsLon, wgsLat] = gcoord.transform([lon, lat], from, gcoord.WGS84)
  return [wgsLat, wgsLon]
}

/** Six decimals are about 0.1 m, finer than any datum shift or GPS fix. */
function roundCoordinate(degrees: number): number {
  return Math.round(degrees * 1e6) / 1e6
}

/** A problem with the offending cell as text, shortened. */
function problem(fields: Omit<RegisterProblem, 'value'>, raw: RawCell = null): RegisterProblem {
  const value = raw === null ? null : shorten(raw instanceof Date ? dateText(raw) : String(raw))
  return { ...fields, value }
}

function dateText(date: Date): string {
  return Number.isNaN(date.getTime()) ? String(date) : date.toISOString()
}

function shorten(text: string): string {
  return text.slice(0, MAX_VALUE_LENGTH)
}
