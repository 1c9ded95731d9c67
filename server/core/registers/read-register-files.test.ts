import ExcelJS from 'exceljs'
import gcoordModule from 'gcoord'
import { describe, expect, it } from 'vitest'
import { formatPupilCode } from './pupil-code.js'
import { parseRegisterRow, readRegisterCsv, readRegisterWorkbook } from './read-register-files.js'
import type { RegisterProblem } from './register-problem.js'

const gcoord = gcoordModule as unknown as (typeof gcoordModule)['default']

const [pupilA, pupilB, pupilC, pupilD, pupilE, pupilF] = [1, 2, 3, 4, 5, 6].map((n) =>
  formatPupilCode(48_201_930 + n),
)

type Row = ExcelJS.CellValue[]

/** A workbook as a bureau makes it: Chinese headers only, Excel dates and times, a number for a phone. */
async function bureauWorkbook(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook()
  const addSheet = (name: string, rows: Array<[number, Row]>) => {
    const sheet = workbook.addWorksheet(name)
    for (const [number, values] of rows) sheet.getRow(number).values = values
    return sheet
  }
  addSheet('说明', [[1, ['本表由教育局填写']]])
  addSheet('学生', [
    [
      1,
      [
        '学生编码',
        '姓名',
        '年级',
        '学校代码',
        '课后服务',
        '家庭纬度',
        '家庭经度',
        '坐标系',
        '乘车站点',
        '乘坐班次',
        '备注',
      ],
    ],
    [2, [pupilA, '张小明', 3, 'S001', '是', 30.2, 121.4, '高德', 'V001', 'TR1；TR2']],
    [3, ['P123', '王五', 3, 'S001', '否']],
    // Row 4 is left empty.
    [5, [pupilB, '李华', 6, 'S001', '否', null, null, null, null, null, '无坐标']],
    [6, [pupilC, '赵六', 2, 'S001', '否', 30.2]],
    [7, [pupilD, '钱七', 13, 'S001', '否']],
    [8, [pupilE, '孙八', 2, 'S001', 'maybe']],
    [9, [pupilF, '周九', 2, 'S001', '是', 30.2, 121.4, 'UTM']],
  ])
  const bellTimes = addSheet('作息时间', [
    [1, ['学校代码', '年级', '到校时间']],
    [2, ['S001', { formula: '0+1', result: 1 }, new Date(Date.UTC(1899, 11, 30, 7, 50))]],
    [3, ['S001', 2, 'noon']],
    [4, ['S001', 'two', '07:50']],
  ])
  bellTimes.getCell('C2').numFmt = 'hh:mm'
  const staff = addSheet('人员', [
    [1, ['工号', '岗位', '姓名', '电话', '车牌号', '出生日期']],
    [
      2,
      [
        'D001',
        '驾驶员',
        { richText: [{ text: '王' }, { text: '建国' }] },
        13800138000,
        '浙B X9924',
        new Date(Date.UTC(1975, 5, 1)),
      ],
    ],
    [3, ['D002', '驾驶员', '李四', '12345']],
    [4, ['D003', '驾驶员', '赵五', null, '浙B·I9924']],
    [5, ['D004', '驾驶员', '钱六', null, null, '1975-02-30']],
  ])
  staff.getCell('F2').numFmt = 'yyyy-mm-dd'
  addSheet('乡镇', [
    [1, ['乡镇代码', '名称', '类型', '纬度', '经度']],
    [2, ['T 01', '观海卫镇', '镇街', 30.2, 121.4]],
    [3, ['T02', '  ', '镇街', 30.2, 121.4]],
    [4, ['T03', '桥头镇', 'village', 30.2, 121.4]],
  ])
  addSheet('学校', [
    [1, ['学校代码', '学校名称', '所属乡镇']],
    [2, ['S001', '观海卫镇中心小学', 'T01']],
  ])
  addSheet('Sheet9', [[1, ['学校代码']]])
  return new Uint8Array(await workbook.xlsx.writeBuffer())
}

/** Problems as [sheet, row, column, code, severity], in a stable order. */
function listProblems(problems: RegisterProblem[]) {
  return problems
    .map((p) => [p.sheet, p.row, p.column, p.code, p.severity] as const)
    .sort((a, b) => a.join('\t').localeCompare(b.join('\t')))
}

function toWgs84(lat: number, lon: number, from: string): [number, number] {
  const [wgsLon, wgsLat] = gcoord.transform([lon, lat], from as never, gcoord.WGS84)
  return [wgsLat, wgsLon]
}

describe('readRegisterWorkbook', () => {
  it('reports each bad cell where it is and leaves its row out', async () => {
    const parsed = await readRegisterWorkbook(await bureauWorkbook())
    const expected = [
      ['学生', 1, '备注', 'unknown_column', 'warning'],
      ['学生', 3, '学生编码', 'bad_pupil_code', 'error'],
      ['学生', 5, '家庭纬度', 'no_coordinates', 'warning'],
      ['学生', 6, '家庭经度', 'half_coordinates', 'error'],
      ['学生', 7, '年级', 'out_of_range', 'error'],
      ['学生', 8, '课后服务', 'bad_choice', 'error'],
      ['学生', 9, '坐标系', 'bad_datum', 'error'],
      ['作息时间', 3, '到校时间', 'bad_time', 'error'],
      ['作息时间', 4, '年级', 'bad_number', 'error'],
      ['人员', 3, '电话', 'bad_phone', 'error'],
      ['人员', 4, '车牌号', 'bad_plate', 'error'],
      ['人员', 5, '出生日期', 'bad_date', 'error'],
      ['乡镇', 2, '乡镇代码', 'bad_code', 'error'],
      ['乡镇', 3, '名称', 'missing_value', 'error'],
      ['乡镇', 4, '类型', 'bad_choice', 'error'],
      ['学校', 1, '学段 kind', 'missing_sheet_column', 'error'],
    ] as const
    expect(listProblems(parsed.problems)).toEqual(
      [...expected].sort((a, b) => a.join('\t').localeCompare(b.join('\t'))),
    )
    expect(parsed.problems).toContainEqual({
      severity: 'error',
      code: 'bad_time',
      register: 'bellTimes',
      sheet: '作息时间',
      row: 3,
      column: '到校时间',
      value: 'noon',
      message: 'expected a time of day HH:MM or HH:MM:SS',
    })

    expect(Object.keys(parsed.records).sort()).toEqual(['bellTimes', 'pupils', 'schools', 'staff', 'towns'])
    expect(parsed.records.towns).toEqual([])
    expect(parsed.records.schools).toEqual([])
    expect(parsed.records.pupils?.map((located) => located.origin)).toEqual([
      { sheet: '学生', row: 2 },
      { sheet: '学生', row: 5 },
    ])
    const [homeLat, homeLon] = toWgs84(30.2, 121.4, gcoord.GCJ02)
    const zhang = parsed.records.pupils![0]!.record
    expect(zhang).toEqual({
      code: pupilA,
      id: null,
      name: '张小明',
      grade: 3,
      schoolCode: 'S001',
      waveCode: null,
      afterSchoolService: true,
      homeLat: expect.closeTo(homeLat, 6),
      homeLon: expect.closeTo(homeLon, 6),
      stopCode: 'V001',
      tripCodes: ['TR1', 'TR2'],
    })
    // GCJ-02 lies a few hundred metres off WGS-84 in China; stored to six decimals.
    expect(Math.abs(zhang.homeLat! - 30.2)).toBeGreaterThan(0.001)
    expect(Number(zhang.homeLon!.toFixed(6))).toBe(zhang.homeLon)
    expect(parsed.records.pupils![1]!.record).toMatchObject({ homeLat: null, homeLon: null, tripCodes: [] })

    expect(parsed.records.bellTimes?.map((located) => located.record)).toEqual([
      { schoolCode: 'S001', grade: 1, startTime: '07:50:00' },
    ])
    expect(parsed.records.staff?.map((located) => located.record)).toEqual([
      {
        code: 'D001',
        role: 'driver',
        name: '王建国',
        phone: '13800138000',
        busPlate: '浙B·X9924',
        licenceClass: null,
        licenceDate: null,
        birthDate: '1975-06-01',
        reviewedOn: null,
        trainedOn: null,
        unit: null,
      },
    ])
  })

  it('matches sheets and headers in either language, in any case, and warns of a repeated column', async () => {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('Bell_Times')
    sheet.addRow(['SCHOOL', ' grade ', '到校时间  start_time', '年级'])
    sheet.addRow(['S001', 1, '7:50', 9])
    const parsed = await readRegisterWorkbook(new Uint8Array(await workbook.xlsx.writeBuffer()))
    expect(parsed.records.bellTimes?.map((located) => located.record)).toEqual([
      { schoolCode: 'S001', grade: 1, startTime: '07:50:00' },
    ])
    expect(listProblems(parsed.problems)).toEqual([['Bell_Times', 1, '年级', 'unknown_column', 'warning']])
  })

  it('reads a merged cell into every row it spans', async () => {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('作息时间 bell_times')
    sheet.addRows([
      ['学校代码', '年级', '到校时间'],
      ['S001', 1, '07:50'],
      [null, 2, '07:50'],
    ])
    sheet.mergeCells('A2:A3')
    const parsed = await readRegisterWorkbook(new Uint8Array(await workbook.xlsx.writeBuffer()))
    expect(parsed.records.bellTimes?.map((located) => located.record.schoolCode)).toEqual(['S001', 'S001'])
  })

  it('reports a file that is no workbook of registers', async () => {
    const notWorkbooks = [new Uint8Array(), new TextEncoder().encode('学校代码,年级\nS001,1')]
    for (const bytes of notWorkbooks) {
      const parsed = await readRegisterWorkbook(bytes)
      expect(parsed).toEqual({
        records: {},
        problems: [expect.objectContaining({ code: 'unreadable_file' })],
      })
    }
    const truncated = (await readRegisterWorkbook((await bureauWorkbook()).slice(0, 2000))).problems
    expect(truncated).toEqual([expect.objectContaining({ code: 'unreadable_file', register: null })])

    const workbook = new ExcelJS.Workbook()
    workbook.addWorksheet('Sheet1').addRow(['a'])
    workbook.addWorksheet('成绩').addRow(['b'])
    const parsed = await readRegisterWorkbook(new Uint8Array(await workbook.xlsx.writeBuffer()))
    expect(parsed.problems).toEqual([
      expect.objectContaining({
        code: 'unreadable_file',
        value: 'Sheet1, 成绩',
        message: expect.stringMatching(/学生 pupils/),
      }),
    ])
  })
})

describe('readRegisterCsv', () => {
  it('skips the byte-order mark and blank lines and counts rows as a spreadsheet does', () => {
    const text =
      '\uFEFF学校代码,年级,到校时间\r\nS001,1,7:50\r\n\r\n"S0\n02",2,07:40\r\n , ,\r\nS003,3,8:00\r\n'
    const parsed = readRegisterCsv(text, 'bellTimes')
    expect(parsed.records.bellTimes).toEqual([
      {
        record: { schoolCode: 'S001', grade: 1, startTime: '07:50:00' },
        origin: { sheet: 'bell_times', row: 2 },
      },
      {
        record: { schoolCode: 'S003', grade: 3, startTime: '08:00:00' },
        origin: { sheet: 'bell_times', row: 6 },
      },
    ])
    expect(listProblems(parsed.problems)).toEqual([['bell_times', 4, '学校代码', 'bad_code', 'error']])
    expect(parsed.problems[0]).toMatchObject({ register: 'bellTimes', value: 'S0\n02' })
  })

  it('converts GCJ-02 and BD-09 coordinates to WGS-84', () => {
    const text = [
      'code,name,kind,lat,lon,datum',
      'V1,五里村,village,30.2,121.4,',
      'V2,六里村,village,30.2,121.4,GCJ-02',
      'V3,七里村,village,30.2,121.4,百度',
    ].join('\n')
    const stops = readRegisterCsv(text, 'stops').records.stops!.map((located) => located.record)
    expect(stops.map((stop) => [stop.lat, stop.lon])).toEqual([
      [30.2, 121.4],
      toWgs84(30.2, 121.4, gcoord.GCJ02).map((degrees) => expect.closeTo(degrees, 6)),
      toWgs84(30.2, 121.4, gcoord.BD09).map((degrees) => expect.closeTo(degrees, 6)),
    ])
  })

  it('reports a missing required column once and reads no rows', () => {
    const parsed = readRegisterCsv('学校代码,到校时间\nS001,7:50\nS002,8:00', 'bellTimes')
    expect(parsed.records).toEqual({ bellTimes: [] })
    expect(parsed.problems).toEqual([
      expect.objectContaining({
        code: 'missing_sheet_column',
        row: 1,
        column: '年级 grade',
        sheet: 'bell_times',
      }),
    ])
  })

  it('reports a file it cannot read as CSV', () => {
    const parsed = readRegisterCsv('学校代码,年级\n"S001,1\n', 'bellTimes')
    expect(parsed.problems).toEqual([
      expect.objectContaining({ code: 'unreadable_file', register: 'bellTimes' }),
    ])
  })
})

describe('parseRegisterRow', () => {
  it('reads an edited row with its cells named by field or header', () => {
    const origin = { sheet: '车辆', row: 2 }
    const cells = {
      plate: '浙bx9924',
      车辆编号: 'BUS-01',
      '车辆类型 kind': '校车',
      seats: '35',
      town: 'T01',
      operator: '慈溪校车',
      depotLat: '30.2',
      depotLon: '121.4',
      坐标系: '百度',
      colour: 'yellow',
    }
    const parsed = parseRegisterRow('buses', cells, origin)
    const [depotLat, depotLon] = toWgs84(30.2, 121.4, gcoord.BD09)
    expect(parsed.record).toMatchObject({
      plate: '浙B·X9924',
      code: 'BUS-01',
      kind: 'school_bus',
      seats: 35,
      schoolCode: null,
      depotLat: expect.closeTo(depotLat, 6),
      depotLon: expect.closeTo(depotLon, 6),
    })
    expect(listProblems(parsed.problems)).toEqual([['车辆', 2, 'colour', 'unknown_column', 'warning']])

    const missing = parseRegisterRow('buses', { plate: '浙B·X9924' }, origin)
    expect(missing.record).toBeNull()
    expect(missing.problems.map((problem) => [problem.column, problem.code])).toContainEqual([
      '车辆编号 code',
      'missing_value',
    ])
  })
})
