import type { RegisterName, RegisterSet } from './register-records.js'

/**
 * How a register is laid out as a sheet: one column per record field, each with a Chinese and an
 * English header. A header cell is read when it holds the Chinese header, the English one, or both
 * as written on export (`车牌号 plate`), so a bureau's own sheet with only Chinese headers is read
 * as it is. Enumerated values are written in Chinese and read in either language.
 */
export type CellType =
  | { type: 'text' }
  | { type: 'code' }
  | { type: 'int'; min: number; max: number }
  | { type: 'number'; min: number; max: number }
  | { type: 'time' }
  | { type: 'date' }
  | { type: 'bool' }
  /** Stored value → Chinese label; either is read. */
  | { type: 'enum'; labels: Readonly<Record<string, string>> }
  | { type: 'code_list' }
  | { type: 'int_list'; min: number; max: number }
  | { type: 'phone' }
  | { type: 'plate' }
  | { type: 'pupil_code' }
  /** A datum name for the row's coordinates: WGS-84, GCJ-02 or BD-09. Read only; export writes WGS-84. */
  | { type: 'datum' }

export interface RegisterColumn {
  /** The record field, or `datum` for the coordinate system column. */
  field: string
  en: string
  zh: string
  cell: CellType
  required: boolean
}

export interface RegisterSheet<R extends RegisterName = RegisterName> {
  register: R
  en: string
  zh: string
  columns: RegisterColumn[]
  /** Latitude and longitude field pairs the row's `datum` column applies to. */
  coordinates: Array<{ lat: keyof RegisterSet[R][number]; lon: keyof RegisterSet[R][number] }>
  /** The columns holding personal data of minors or their families. */
  personal: string[]
}

export const datums = ['WGS-84', 'GCJ-02', 'BD-09'] as const
export type Datum = (typeof datums)[number]

const col = (field: string, zh: string, en: string, cell: CellType, required = true): RegisterColumn => ({
  field,
  zh,
  en,
  cell,
  required,
})
const optional = (field: string, zh: string, en: string, cell: CellType) => col(field, zh, en, cell, false)

const text: CellType = { type: 'text' }
const code: CellType = { type: 'code' }
const time: CellType = { type: 'time' }
const date: CellType = { type: 'date' }
const bool: CellType = { type: 'bool' }
const codeList: CellType = { type: 'code_list' }
const lat: CellType = { type: 'number', min: -90, max: 90 }
const lon: CellType = { type: 'number', min: -180, max: 180 }
const grade: CellType = { type: 'int', min: 1, max: 12 }
const datum = optional('datum', '坐标系', 'datum', { type: 'datum' })

const townKinds = { city: '市', town: '镇街' }
const schoolKinds = { primary: '小学', middle: '初中', nine_year: '九年一贯制' }
const stopKinds = { school_gate: '校门', village: '村居', line: '线路站', hub: '枢纽' }
const busKinds = { school_bus: '校车', micro_bus: '微公交', custom_bus: '定制公交' }
const lineKinds = { micro_bus: '微公交', custom_bus: '定制公交' }
const staffRoles = { driver: '驾驶员', attendant: '照管员', police: '护学警员' }
const directions = { to_school: '上学', from_school: '放学' }
const relations = { father: '父亲', mother: '母亲', grandfather: '祖父', grandmother: '祖母', other: '其他' }

export const registerSheets: { [R in RegisterName]: RegisterSheet<R> } = {
  towns: {
    register: 'towns',
    zh: '乡镇',
    en: 'towns',
    columns: [
      col('code', '乡镇代码', 'code', code),
      col('nameZh', '名称', 'name', text),
      optional('nameEn', '英文名称', 'name_en', text),
      col('kind', '类型', 'kind', { type: 'enum', labels: townKinds }),
      col('lat', '纬度', 'lat', lat),
      col('lon', '经度', 'lon', lon),
      datum,
    ],
    coordinates: [{ lat: 'lat', lon: 'lon' }],
    personal: [],
  },
  schools: {
    register: 'schools',
    zh: '学校',
    en: 'schools',
    columns: [
      col('code', '学校代码', 'code', code),
      col('nameZh', '学校名称', 'name', text),
      optional('nameEn', '英文名称', 'name_en', text),
      col('townCode', '所属乡镇', 'town', code),
      col('kind', '学段', 'kind', { type: 'enum', labels: schoolKinds }),
      optional('lat', '纬度', 'lat', lat),
      optional('lon', '经度', 'lon', lon),
      datum,
      optional('gateStopCode', '校门站点', 'gate_stop', code),
    ],
    coordinates: [{ lat: 'lat', lon: 'lon' }],
    personal: [],
  },
  bellTimes: {
    register: 'bellTimes',
    zh: '作息时间',
    en: 'bell_times',
    columns: [
      col('schoolCode', '学校代码', 'school', code),
      col('grade', '年级', 'grade', grade),
      col('startTime', '到校时间', 'start_time', time),
    ],
    coordinates: [],
    personal: [],
  },
  dismissalWaves: {
    register: 'dismissalWaves',
    zh: '放学批次',
    en: 'dismissal_waves',
    columns: [
      col('code', '批次代码', 'code', code),
      col('schoolCode', '学校代码', 'school', code),
      col('name', '批次名称', 'name', text),
      col('time', '放学时间', 'time', time),
      col('grades', '年级', 'grades', { type: 'int_list', min: 1, max: 12 }),
      col('afterSchoolService', '课后服务', 'after_school_service', bool),
    ],
    coordinates: [],
    personal: [],
  },
  stops: {
    register: 'stops',
    zh: '站点',
    en: 'stops',
    columns: [
      col('code', '站点代码', 'code', code),
      col('nameZh', '站点名称', 'name', text),
      optional('townCode', '所属乡镇', 'town', code),
      col('kind', '类型', 'kind', { type: 'enum', labels: stopKinds }),
      optional('lat', '纬度', 'lat', lat),
      optional('lon', '经度', 'lon', lon),
      datum,
    ],
    coordinates: [{ lat: 'lat', lon: 'lon' }],
    personal: [],
  },
  buses: {
    register: 'buses',
    zh: '车辆',
    en: 'buses',
    columns: [
      col('plate', '车牌号', 'plate', { type: 'plate' }),
      col('code', '车辆编号', 'code', code),
      col('kind', '车辆类型', 'kind', { type: 'enum', labels: busKinds }),
      col('seats', '核载人数', 'seats', { type: 'int', min: 1, max: 99 }),
      col('townCode', '所属乡镇', 'town', code),
      optional('schoolCode', '服务学校', 'school', code),
      col('operator', '运营单位', 'operator', text),
      optional('depotLat', '停车场纬度', 'depot_lat', lat),
      optional('depotLon', '停车场经度', 'depot_lon', lon),
      datum,
      optional('terminalNo', '终端手机号', 'terminal_no', { type: 'code' }),
      optional('permitNo', '校车标牌号', 'permit_no', text),
      optional('permitValidUntil', '标牌有效期至', 'permit_valid_until', date),
      optional('inspectedOn', '最近安全检验', 'inspected_on', date),
      optional('insuranceUntil', '保险到期', 'insurance_until', date),
    ],
    coordinates: [{ lat: 'depotLat', lon: 'depotLon' }],
    personal: [],
  },
  staff: {
    register: 'staff',
    zh: '人员',
    en: 'staff',
    columns: [
      col('code', '工号', 'code', code),
      col('role', '岗位', 'role', { type: 'enum', labels: staffRoles }),
      col('name', '姓名', 'name', text),
      optional('phone', '电话', 'phone', { type: 'phone' }),
      optional('busPlate', '车牌号', 'bus', { type: 'plate' }),
      optional('licenceClass', '准驾车型', 'licence_class', text),
      optional('licenceDate', '初次领证日期', 'licence_date', date),
      optional('birthDate', '出生日期', 'birth_date', date),
      optional('reviewedOn', '最近年度审验', 'reviewed_on', date),
      optional('trainedOn', '培训日期', 'trained_on', date),
      optional('unit', '所属单位', 'unit', text),
    ],
    coordinates: [],
    personal: [],
  },
  lines: {
    register: 'lines',
    zh: '线路',
    en: 'lines',
    columns: [
      col('code', '线路代码', 'code', code),
      col('name', '线路名称', 'name', text),
      col('kind', '类型', 'kind', { type: 'enum', labels: lineKinds }),
      optional('operator', '运营单位', 'operator', text),
      optional('seats', '座位数', 'seats', { type: 'int', min: 1, max: 99 }),
      col('schoolCodes', '服务学校', 'schools', codeList),
      col('stopCodes', '站点', 'stops', codeList),
    ],
    coordinates: [],
    personal: [],
  },
  trips: {
    register: 'trips',
    zh: '班次',
    en: 'trips',
    columns: [
      col('code', '班次代码', 'code', code),
      optional('busPlate', '车牌号', 'bus', { type: 'plate' }),
      optional('lineCode', '线路代码', 'line', code),
      col('schoolCode', '学校代码', 'school', code),
      col('direction', '方向', 'direction', { type: 'enum', labels: directions }),
      optional('waveCode', '放学批次', 'wave', code),
      col('weekdays', '运行日', 'weekdays', { type: 'int_list', min: 1, max: 7 }),
      optional('distanceM', '里程(米)', 'distance_m', { type: 'number', min: 0, max: 1_000_000 }),
      optional('durationS', '时长(秒)', 'duration_s', { type: 'int', min: 0, max: 86_400 }),
    ],
    coordinates: [],
    personal: [],
  },
  tripCalls: {
    register: 'tripCalls',
    zh: '班次站点',
    en: 'trip_calls',
    columns: [
      col('tripCode', '班次代码', 'trip', code),
      col('seq', '序号', 'seq', { type: 'int', min: 1, max: 999 }),
      col('stopCode', '站点代码', 'stop', code),
      col('arrive', '到站时间', 'arrive', time),
      col('depart', '离站时间', 'depart', time),
    ],
    coordinates: [],
    personal: [],
  },
  pupils: {
    register: 'pupils',
    zh: '学生',
    en: 'pupils',
    columns: [
      col('code', '学生编码', 'code', { type: 'pupil_code' }),
      optional('id', '系统编号', 'id', code),
      col('name', '姓名', 'name', text),
      col('grade', '年级', 'grade', grade),
      col('schoolCode', '学校代码', 'school', code),
      optional('waveCode', '放学批次', 'wave', code),
      col('afterSchoolService', '课后服务', 'after_school_service', bool),
      optional('homeLat', '家庭纬度', 'home_lat', lat),
      optional('homeLon', '家庭经度', 'home_lon', lon),
      datum,
      optional('stopCode', '乘车站点', 'stop', code),
      optional('tripCodes', '乘坐班次', 'trips', codeList),
    ],
    coordinates: [{ lat: 'homeLat', lon: 'homeLon' }],
    personal: ['name', 'homeLat', 'homeLon'],
  },
  guardians: {
    register: 'guardians',
    zh: '监护人',
    en: 'guardians',
    columns: [
      col('phone', '电话', 'phone', { type: 'phone' }),
      optional('id', '系统编号', 'id', code),
      col('name', '姓名', 'name', text),
      optional('relation', '关系', 'relation', { type: 'enum', labels: relations }),
      col('pupilCodes', '学生编码', 'pupils', codeList),
    ],
    coordinates: [],
    personal: ['phone', 'name'],
  },
}

/** The header a sheet is written with: Chinese, then English. */
export function columnHeader(column: RegisterColumn): string {
  return `${column.zh} ${column.en}`
}

export function sheetTitle(sheet: Pick<RegisterSheet, 'zh' | 'en'>): string {
  return `${sheet.zh} ${sheet.en}`
}
