import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { formatPupilCode } from './pupil-code.js'
import { readRegisterCsv, readRegisterWorkbook } from './read-register-files.js'
import { registerNames, type RegisterSet } from './register-records.js'
import { columnHeader, registerSheets, sheetTitle, type RegisterSheet } from './register-sheets.js'
import { writeRegisterCsv, writeRegisterWorkbook } from './write-register-files.js'

const pupilA = formatPupilCode(48_201_937)
const pupilB = formatPupilCode(10_000_001)

/** Every register, with lists, blanks, Chinese text and a record without coordinates where one is listed. */
const sampleSet: RegisterSet = {
  towns: [
    { code: 'T01', kind: 'town', nameZh: '观海卫镇', nameEn: 'Guanhaiwei', lat: 30.2, lon: 121.4 },
    { code: 'CX', kind: 'city', nameZh: '慈溪市', nameEn: null, lat: 30.170123, lon: 121.266789 },
  ],
  schools: [
    {
      code: 'S001',
      nameZh: '观海卫镇中心小学',
      nameEn: null,
      townCode: 'T01',
      kind: 'primary',
      lat: 30.212345,
      lon: 121.412345,
      gateStopCode: 'G001',
    },
    {
      code: 'S002',
      nameZh: '慈溪市实验初中',
      nameEn: 'Cixi Experimental Middle School',
      townCode: 'CX',
      kind: 'middle',
      lat: null,
      lon: null,
      gateStopCode: null,
    },
  ],
  bellTimes: [
    { schoolCode: 'S001', grade: 1, startTime: '07:50:00' },
    { schoolCode: 'S001', grade: 6, startTime: '07:40:00' },
  ],
  dismissalWaves: [
    {
      code: 'W1',
      schoolCode: 'S001',
      name: '低段放学',
      time: '15:30:00',
      grades: [1, 2, 3],
      afterSchoolService: false,
    },
    {
      code: 'W2',
      schoolCode: 'S001',
      name: '课后服务',
      time: '17:10:00',
      grades: [4, 5, 6],
      afterSchoolService: true,
    },
  ],
  stops: [
    { code: 'G001', nameZh: '中心小学校门', townCode: 'T01', kind: 'school_gate', lat: 30.212, lon: 121.412 },
    { code: 'V001', nameZh: '五里村', townCode: null, kind: 'village', lat: null, lon: null },
  ],
  buses: [
    {
      plate: '浙B·X9924',
      code: 'BUS-01',
      kind: 'school_bus',
      seats: 35,
      townCode: 'T01',
      schoolCode: 'S001',
      operator: '慈溪校车服务有限公司',
      depotLat: 30.2,
      depotLon: 121.4,
      terminalNo: '013800138000',
      permitNo: '浙校B0123',
      permitValidUntil: '2026-08-31',
      inspectedOn: '2024-08-20',
      insuranceUntil: '2025-12-31',
    },
    {
      plate: '浙B·D12345',
      code: 'MB-7',
      kind: 'micro_bus',
      seats: 19,
      townCode: 'CX',
      schoolCode: null,
      operator: '慈溪公交',
      depotLat: null,
      depotLon: null,
      terminalNo: null,
      permitNo: null,
      permitValidUntil: null,
      inspectedOn: null,
      insuranceUntil: null,
    },
  ],
  staff: [
    {
      code: 'D001',
      role: 'driver',
      name: '王建国',
      phone: '13800138000',
      busPlate: '浙B·X9924',
      licenceClass: 'A1',
      licenceDate: '2005-03-15',
      birthDate: '1975-06-01',
      reviewedOn: '2024-07-01',
      trainedOn: null,
      unit: null,
    },
    {
      code: 'P001',
      role: 'police',
      name: '李警官',
      phone: '0574-63012345',
      busPlate: null,
      licenceClass: null,
      licenceDate: null,
      birthDate: null,
      reviewedOn: null,
      trainedOn: null,
      unit: '观海卫派出所',
    },
  ],
  lines: [
    {
      code: 'L1',
      name: '五里村—中心小学',
      kind: 'micro_bus',
      operator: null,
      seats: null,
      schoolCodes: ['S001'],
      stopCodes: ['V001', 'G001'],
    },
  ],
  trips: [
    {
      code: 'TR1',
      busPlate: '浙B·X9924',
      lineCode: null,
      schoolCode: 'S001',
      direction: 'to_school',
      waveCode: null,
      weekdays: [1, 2, 3, 4, 5],
      distanceM: 12345.6,
      durationS: 1800,
    },
    {
      code: 'TR2',
      busPlate: null,
      lineCode: 'L1',
      schoolCode: 'S001',
      direction: 'from_school',
      waveCode: 'W1',
      weekdays: [1, 3, 5],
      distanceM: null,
      durationS: null,
    },
  ],
  tripCalls: [
    { tripCode: 'TR1', seq: 1, stopCode: 'V001', arrive: '07:05:00', depart: '07:06:00' },
    { tripCode: 'TR1', seq: 2, stopCode: 'G001', arrive: '07:35:00', depart: '07:35:00' },
  ],
  pupils: [
    {
      code: pupilA,
      id: null,
      name: '张小明',
      grade: 3,
      schoolCode: 'S001',
      waveCode: 'W1',
      afterSchoolService: false,
      homeLat: 30.198765,
      homeLon: 121.398765,
      stopCode: 'V001',
      tripCodes: ['TR1', 'TR2'],
    },
    {
      code: pupilB,
      id: 'pupil-2',
      name: '李华',
      grade: 6,
      schoolCode: 'S001',
      waveCode: null,
      afterSchoolService: true,
      homeLat: null,
      homeLon: null,
      stopCode: null,
      tripCodes: [],
    },
  ],
  guardians: [
    { phone: '13900139000', id: null, name: '张伟', relation: 'father', pupilCodes: [pupilA] },
    { phone: '0574-12345678', id: 'g-2', name: '李娜', relation: null, pupilCodes: [pupilA, pupilB] },
  ],
}

const sheetOf = (register: (typeof registerNames)[number]) => registerSheets[register] as RegisterSheet

/** The records without coordinates in the sample, each listed with a warning. */
const noCoordinates = [
  { register: 'schools', sheet: '学校 schools', row: 3, column: '纬度 lat' },
  { register: 'stops', sheet: '站点 stops', row: 3, column: '纬度 lat' },
  { register: 'pupils', sheet: '学生 pupils', row: 3, column: '家庭纬度 home_lat' },
].map((where) => ({ ...where, severity: 'warning', code: 'no_coordinates', value: null }))

async function loadWorkbook(bytes: Uint8Array) {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer)
  return workbook
}

describe('writeRegisterWorkbook', () => {
  it('writes a workbook that reads back as the same records', async () => {
    const parsed = await readRegisterWorkbook(await writeRegisterWorkbook(sampleSet))
    for (const register of registerNames) {
      expect(parsed.records[register]?.map((located) => located.record)).toEqual(sampleSet[register])
    }
    expect(parsed.records.pupils?.[1]?.origin).toEqual({ sheet: '学生 pupils', row: 3 })
    expect(parsed.problems).toEqual(noCoordinates.map((problem) => expect.objectContaining(problem)))
  })

  it('writes a sheet per register given, in register order, with a bold frozen header', async () => {
    const workbook = await loadWorkbook(await writeRegisterWorkbook({ pupils: sampleSet.pupils, towns: [] }))
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['乡镇 towns', '学生 pupils'])
    const pupils = workbook.getWorksheet('学生 pupils')!
    const header = pupils.getRow(1)
    expect((header.values as unknown[]).slice(1)).toEqual(sheetOf('pupils').columns.map(columnHeader))
    expect(header.getCell(1).font?.bold).toBe(true)
    expect(pupils.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    // Codes stay text when edited in Excel; numbers stay numbers.
    expect(pupils.getRow(2).getCell(1).numFmt).toBe('@')
    expect(pupils.getColumn(1).numFmt).toBe('@')
    expect(pupils.getRow(2).getCell(4).value).toBe(3)
    expect(pupils.getColumn(4).numFmt).toBeUndefined()
    for (const column of pupils.columns) expect(column.width).toBeGreaterThanOrEqual(8)
  })

  it('writes a template with notes and an empty sheet for every register', async () => {
    const bytes = await writeRegisterWorkbook({}, { template: true })
    const workbook = await loadWorkbook(bytes)
    const titles = registerNames.map((register) => sheetTitle(sheetOf(register)))
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['说明 notes', ...titles])

    const notes: string[][] = []
    workbook.getWorksheet('说明 notes')!.eachRow((row) => notes.push((row.values as string[]).slice(1)))
    expect(notes.flat().join('\n')).toMatch(
      /GCJ-02 \(AMap, Tencent\) or BD-09 \(Baidu\).*坐标系 datum.*WGS-84/,
    )
    const columnCount = registerNames.reduce((count, register) => count + sheetOf(register).columns.length, 0)
    const columnNotes = notes.filter((row) => titles.includes(row[0]!))
    expect(columnNotes).toHaveLength(columnCount)
    expect(columnNotes).toContainEqual([
      '学生 pupils',
      '学生编码',
      'code',
      '是 yes',
      'P + 8 位数字 + 校验位（Luhn）',
      'P + 8 digits + Luhn check digit',
    ])

    const parsed = await readRegisterWorkbook(bytes)
    expect(parsed.problems).toEqual([])
    for (const register of registerNames) expect(parsed.records[register]).toEqual([])
  })
})

describe('writeRegisterCsv', () => {
  it.each(registerNames)('writes %s as CSV that reads back as the same records', (register) => {
    const text = writeRegisterCsv(register, sampleSet[register])
    expect(text.startsWith('\uFEFF')).toBe(true)
    expect(text.slice(1).split('\n')[0]).toBe(sheetOf(register).columns.map(columnHeader).join(','))
    const parsed = readRegisterCsv(text, register)
    expect(parsed.records[register]?.map((located) => located.record)).toEqual(sampleSet[register])
    const sheet = sheetOf(register).en
    const expected = noCoordinates.filter((problem) => problem.register === register)
    expect(parsed.problems).toEqual(expected.map((problem) => expect.objectContaining({ ...problem, sheet })))
  })
})
