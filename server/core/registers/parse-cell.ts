import { isValidPupilCode } from './pupil-code.js'
import type { RegisterProblemCode } from './register-problem.js'
import type { CellType, Datum, RegisterColumn } from './register-sheets.js'

/** A cell as exceljs or csv-parse hands it over. */
export type RawCell = string | number | boolean | Date | null

/** A record field's value as parsed; the `datum` column parses to a Datum. */
export type CellValue = string | number | boolean | string[] | number[] | null

export type CellProblemCode = Extract<
  RegisterProblemCode,
  | 'missing_value'
  | 'bad_number'
  | 'out_of_range'
  | 'bad_time'
  | 'bad_date'
  | 'bad_choice'
  | 'bad_code'
  | 'bad_phone'
  | 'bad_plate'
  | 'bad_pupil_code'
  | 'bad_datum'
>

export type ParsedCell =
  { ok: true; value: CellValue } | { ok: false; code: CellProblemCode; message: string }

const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/
/** A full-width colon is what a Chinese input method types. */
const TIME = /^(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?$/
const DATE = /^(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})|年(\d{1,2})月(\d{1,2})日)$/
const LIST_SEPARATORS = /[;；,，、\s]+/
const INT_OR_RANGE = /^(\d+)(?:[-~～](\d+))?$/
const MOBILE = /^1\d{10}$/
/** Beijing (010) and the 02x cities have three-digit area codes, every other area four. */
const LANDLINE = /^(0(?:10|2\d|[3-9]\d\d))(\d{7,8})$/
const PLATE =
  /^([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼])([A-Z])[·•・.\s-]?([A-HJ-NP-Z0-9]{5,6})$/

const SECONDS_PER_DAY = 86_400
const MS_PER_DAY = SECONDS_PER_DAY * 1000

const trueWords = new Set(['是', 'yes', 'y', 'true', 't', '1', '✓', '✔', '√', '有'])
const falseWords = new Set(['否', 'no', 'n', 'false', 'f', '0', '✗', '✘', '×', '无'])

/** Datum names with case, spaces, dashes and underscores removed. */
const datumNames: ReadonlyMap<string, Datum> = new Map([
  ['wgs84', 'WGS-84'],
  ['gps', 'WGS-84'],
  ['gcj02', 'GCJ-02'],
  ['火星坐标', 'GCJ-02'],
  ['高德', 'GCJ-02'],
  ['高德地图', 'GCJ-02'],
  ['amap', 'GCJ-02'],
  ['腾讯', 'GCJ-02'],
  ['腾讯地图', 'GCJ-02'],
  ['tencent', 'GCJ-02'],
  ['bd09', 'BD-09'],
  ['bd09ll', 'BD-09'],
  ['百度', 'BD-09'],
  ['百度地图', 'BD-09'],
  ['baidu', 'BD-09'],
])

/**
 * One cell as the value of its column's field, or what is wrong with it. Blank cells (empty or
 * whitespace) are null, an empty list or, for the datum column, WGS-84; a required column must not
 * be blank.
 */
export function parseCell(raw: RawCell, column: Pick<RegisterColumn, 'cell' | 'required'>): ParsedCell {
  const present = typeof raw === 'string' ? raw.trim() : raw
  if (present === null || present === '') return parseBlank(column)
  return parsePresent(present, column)
}

/** What a column takes, in Chinese and English, for messages and the template's notes. */
export function describeCell(cell: CellType): { zh: string; en: string } {
  switch (cell.type) {
    case 'text':
      return { zh: '文本', en: 'text' }
    case 'code':
      return {
        zh: '代码：字母、数字及 _ . -，以字母或数字开头，最长 64 位',
        en: 'a code of letters, digits, _ . - (starting with a letter or digit, up to 64)',
      }
    case 'int':
      return { zh: `${cell.min}–${cell.max} 的整数`, en: `a whole number from ${cell.min} to ${cell.max}` }
    case 'number':
      return { zh: `${cell.min}–${cell.max} 的数字`, en: `a number from ${cell.min} to ${cell.max}` }
    case 'time':
      return { zh: '时刻 HH:MM 或 HH:MM:SS', en: 'a time of day HH:MM or HH:MM:SS' }
    case 'date':
      return { zh: '日期 YYYY-MM-DD（也可 YYYY/M/D、YYYY年M月D日）', en: 'a date YYYY-MM-DD' }
    case 'bool':
      return { zh: '是 或 否', en: '是 or 否 (yes or no)' }
    case 'enum':
      return {
        zh: `以下之一：${Object.values(cell.labels).join('、')}`,
        en: `one of ${Object.entries(cell.labels)
          .map(([value, label]) => `${label} (${value})`)
          .join(', ')}`,
      }
    case 'code_list':
      return { zh: '代码，多个用 ; 分隔', en: 'codes separated by ;' }
    case 'int_list':
      return {
        zh: `${cell.min}–${cell.max} 的整数，多个用 ; 分隔，可写范围如 1-5`,
        en: `whole numbers from ${cell.min} to ${cell.max} separated by ; (ranges like 1-5 allowed)`,
      }
    case 'phone':
      return {
        zh: '11 位手机号或固定电话，如 0574-12345678',
        en: 'an 11-digit mobile number or a landline like 0574-12345678',
      }
    case 'plate':
      return { zh: '车牌号，如 浙B·X9924', en: 'a plate like 浙B·X9924' }
    case 'pupil_code':
      return { zh: 'P + 8 位数字 + 校验位（Luhn）', en: 'P + 8 digits + Luhn check digit' }
    case 'datum':
      return {
        zh: 'WGS-84、GCJ-02（高德、腾讯）或 BD-09（百度），空白为 WGS-84',
        en: 'WGS-84, GCJ-02 (AMap, Tencent) or BD-09 (Baidu); blank is WGS-84',
      }
  }
}

function parseBlank(column: Pick<RegisterColumn, 'cell' | 'required'>): ParsedCell {
  if (column.required) return fail('missing_value', column.cell)
  switch (column.cell.type) {
    case 'datum':
      return ok('WGS-84')
    case 'code_list':
    case 'int_list':
      return ok([])
    default:
      return ok(null)
  }
}

function parsePresent(
  raw: string | number | boolean | Date,
  column: Pick<RegisterColumn, 'cell' | 'required'>,
): ParsedCell {
  const cell = column.cell
  switch (cell.type) {
    case 'text':
      return ok(textOf(raw))
    case 'code': {
      const code = codeTextOf(raw)
      return code !== null && CODE.test(code) ? ok(code) : fail('bad_code', cell)
    }
    case 'int':
    case 'number':
      return parseNumber(raw, cell)
    case 'time':
      return parseTime(raw, cell)
    case 'date':
      return parseDate(raw, cell)
    case 'bool':
      return parseBool(raw, cell)
    case 'enum':
      return parseEnum(raw, cell)
    case 'code_list':
      return parseCodeList(raw, column)
    case 'int_list':
      return parseIntList(raw, cell, column.required)
    case 'phone':
      return parsePhone(raw, cell)
    case 'plate':
      return parsePlate(raw, cell)
    case 'pupil_code': {
      const code = typeof raw === 'string' ? raw.toUpperCase() : ''
      return isValidPupilCode(code) ? ok(code) : fail('bad_pupil_code', cell)
    }
    case 'datum': {
      const datum = datumNames.get(
        textOf(raw)
          .toLowerCase()
          .replace(/[\s_-]/g, ''),
      )
      return datum ? ok(datum) : fail('bad_datum', cell)
    }
  }
}

function ok(value: CellValue): ParsedCell {
  return { ok: true, value }
}

function fail(code: CellProblemCode, cell: CellType): ParsedCell {
  const expected = describeCell(cell).en
  return {
    ok: false,
    code,
    message: code === 'missing_value' ? `expected a value: ${expected}` : `expected ${expected}`,
  }
}

/** A cell as text; a date Excel made of what was typed reads back as that date. */
function textOf(raw: string | number | boolean | Date): string {
  if (!(raw instanceof Date) || Number.isNaN(raw.getTime())) return String(raw)
  const time = secondsOfDay(raw)
  return time ? `${formatDateOf(raw)} ${formatSeconds(time)}` : formatDateOf(raw)
}

/**
 * A code as text. Excel stores a code typed as digits as a number, which reads back as its digits;
 * a fraction or a date means Excel changed what was typed ("1.10" to 1.1, "2024-01" to a date).
 */
function codeTextOf(raw: string | number | boolean | Date): string | null {
  if (typeof raw === 'string') return raw
  return typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : null
}

function parseNumber(raw: string | number | boolean | Date, cell: CellType & { type: 'int' | 'number' }) {
  const value = numberOf(raw)
  if (value === null || (cell.type === 'int' && !Number.isInteger(value))) return fail('bad_number', cell)
  if (value < cell.min || value > cell.max) return fail('out_of_range', cell)
  return ok(value)
}

function numberOf(raw: string | number | boolean | Date): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null
  if (typeof raw === 'string' && NUMBER.test(raw)) return Number(raw)
  return null
}

function parseTime(raw: string | number | boolean | Date, cell: CellType) {
  const seconds = timeSecondsOf(raw)
  return seconds === null ? fail('bad_time', cell) : ok(formatSeconds(seconds))
}

/**
 * Excel keeps a time as a fraction of a day: exceljs hands it over as that fraction or, when the
 * cell is formatted as a time, as a Date on 1899-12-30 whose UTC time of day is the time.
 */
function timeSecondsOf(raw: string | number | boolean | Date): number | null {
  if (raw instanceof Date) return secondsOfDay(raw)
  if (typeof raw === 'number')
    return raw >= 0 && raw < 1 ? Math.round(raw * SECONDS_PER_DAY) % SECONDS_PER_DAY : null
  if (typeof raw !== 'string') return null
  const match = TIME.exec(raw)
  if (!match) return null
  const [hours, minutes, seconds] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)]
  if (hours > 23 || minutes > 59 || seconds > 59) return null
  return hours * 3600 + minutes * 60 + seconds
}

/** Rounded to the second: exceljs turns Excel's fraction of a day into milliseconds with float error. */
function secondsOfDay(date: Date): number | null {
  const ms = date.getTime()
  if (Number.isNaN(ms)) return null
  return Math.round((((ms % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) / 1000) % SECONDS_PER_DAY
}

function formatSeconds(seconds: number): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`
}

function parseDate(raw: string | number | boolean | Date, cell: CellType) {
  const parts = dateParts(raw)
  if (!parts) return fail('bad_date', cell)
  const [year, month, day] = parts
  const date = new Date(Date.UTC(year, month - 1, day))
  // Excel has no dates before 1900: an earlier one is a time of day put in a date column.
  const real = date.getUTCMonth() === month - 1 && date.getUTCDate() === day && year >= 1900
  return real ? ok(formatDateOf(date)) : fail('bad_date', cell)
}

function dateParts(raw: string | number | boolean | Date): [number, number, number] | null {
  if (raw instanceof Date) {
    if (Number.isNaN(raw.getTime())) return null
    return [raw.getUTCFullYear(), raw.getUTCMonth() + 1, raw.getUTCDate()]
  }
  const match = typeof raw === 'string' ? DATE.exec(raw) : null
  if (!match) return null
  return [Number(match[1]), Number(match[3] ?? match[5]), Number(match[4] ?? match[6])]
}

function formatDateOf(date: Date): string {
  return date.toISOString().slice(0, 10)
}

function parseBool(raw: string | number | boolean | Date, cell: CellType) {
  if (typeof raw === 'boolean') return ok(raw)
  const word = textOf(raw).toLowerCase()
  if (trueWords.has(word)) return ok(true)
  if (falseWords.has(word)) return ok(false)
  return fail('bad_choice', cell)
}

function parseEnum(raw: string | number | boolean | Date, cell: CellType & { type: 'enum' }) {
  const text = textOf(raw)
  const lower = text.toLowerCase()
  for (const [value, label] of Object.entries(cell.labels)) {
    if (value.toLowerCase() === lower || label === text) return ok(value)
  }
  return fail('bad_choice', cell)
}

function splitList(text: string): string[] {
  return text.split(LIST_SEPARATORS).filter((item) => item !== '')
}

function parseCodeList(
  raw: string | number | boolean | Date,
  column: Pick<RegisterColumn, 'cell' | 'required'>,
) {
  const text = codeTextOf(raw)
  const codes = text === null ? [] : splitList(text)
  if (text === null || !codes.every((code) => CODE.test(code))) return fail('bad_code', column.cell)
  return codes.length === 0 ? parseBlank(column) : ok(codes)
}

function parseIntList(
  raw: string | number | boolean | Date,
  cell: CellType & { type: 'int_list' },
  required: boolean,
): ParsedCell {
  const values = new Set<number>()
  for (const item of splitList(textOf(raw))) {
    const match = INT_OR_RANGE.exec(item)
    if (!match) return fail('bad_number', cell)
    const first = Number(match[1])
    const last = Number(match[2] ?? match[1])
    if (first > last) return fail('bad_number', cell)
    if (first < cell.min || last > cell.max) return fail('out_of_range', cell)
    for (let value = first; value <= last; value++) values.add(value)
  }
  if (values.size === 0) return parseBlank({ cell, required })
  return ok([...values].sort((a, b) => a - b))
}

function parsePhone(raw: string | number | boolean | Date, cell: CellType) {
  if (typeof raw !== 'string' && typeof raw !== 'number') return fail('bad_phone', cell)
  // Mobiles are often written with a country code, spaces or dashes between the digit groups.
  const digits = String(raw)
    .replace(/[\s-]/g, '')
    .replace(/^(?:\+86|0086)(?=1\d{10}$)/, '')
  if (MOBILE.test(digits)) return ok(digits)
  const landline = LANDLINE.exec(digits)
  return landline ? ok(`${landline[1]}-${landline[2]}`) : fail('bad_phone', cell)
}

function parsePlate(raw: string | number | boolean | Date, cell: CellType) {
  const match = typeof raw === 'string' ? PLATE.exec(raw.toUpperCase()) : null
  return match ? ok(`${match[1]}${match[2]}·${match[3]}`) : fail('bad_plate', cell)
}
