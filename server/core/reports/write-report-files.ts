import { stringify } from 'csv-stringify/sync'
import ExcelJS from 'exceljs'
import { reportRules } from './report-measures.js'
import { groupingTitle, type Report, type ReportColumn, type ReportRecord } from './roll-up-report.js'

const NOTES_SHEET = '说明 notes'
const headerStyle: Partial<ExcelJS.Style> = { font: { bold: true } }
const totalsStyle: Partial<ExcelJS.Style> = { font: { bold: true } }
/** Ids and plates stay text: Excel would read a numeric id as a number. */
const textStyle: Partial<ExcelJS.Style> = { numFmt: '@' }

/** A column's header in both languages, as the registers' files write theirs. */
export const reportHeader = (column: Pick<ReportColumn, 'zh' | 'en'>): string => `${column.zh} ${column.en}`

const periodLine = (report: Report) =>
  report.period.kind === 'day'
    ? `日报 daily report ${report.period.date}`
    : `月报 monthly report ${report.period.date}`

/** Each row's cells in column order, then the totals row. */
const tableRows = (report: Report): (string | number | null)[][] =>
  [...report.rows, report.totals].map((row: ReportRecord) =>
    report.columns.map((column) => row[column.key] ?? null),
  )

/**
 * Reports of one period as a workbook: a notes sheet (the period and how the measures are taken),
 * then a sheet per report titled by its grouping, headers in Chinese and English on row 1 and the
 * totals on the last row.
 */
export async function writeReportWorkbook(
  reports: readonly Report[],
  generatedAt: Date,
): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook()
  workbook.created = generatedAt
  const notes = workbook.addWorksheet(NOTES_SHEET)
  notes.columns = [{ width: 100 }]
  for (const line of reportNotes(reports[0], generatedAt)) notes.addRow([line])
  notes.getRow(1).font = { bold: true }
  for (const report of reports) {
    const sheet = workbook.addWorksheet(groupingTitle(report.by), { views: [{ state: 'frozen', ySplit: 1 }] })
    sheet.columns = report.columns.map((column) => ({
      width: Math.min(40, Math.max(10, displayWidth(reportHeader(column)) / 2 + 2)),
      style: column.type === 'label' ? textStyle : {},
    }))
    sheet.addRow(report.columns.map(reportHeader)).eachCell((cell) => (cell.style = headerStyle))
    const rows = tableRows(report)
    rows.forEach((cells, i) => {
      const row = sheet.addRow(cells)
      if (i === rows.length - 1) row.eachCell((cell) => (cell.style = { ...cell.style, ...totalsStyle }))
    })
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer())
}

/** One report as CSV: UTF-8 with a byte-order mark (so that Excel reads the Chinese), totals last. */
export function writeReportCsv(report: Report): string {
  return stringify([report.columns.map(reportHeader), ...tableRows(report)], { bom: true })
}

function reportNotes(report: Report | undefined, generatedAt: Date): string[] {
  const lateMin = reportRules.onTimeLateS / 60
  return [
    report ? periodLine(report) : '报表 report',
    `生成于 generated at ${generatedAt.toISOString()}`,
    '数据来自每日汇总（按车辆和按趟次），不读原始定位。 Read from the daily aggregates by bus and by trip, not from raw positions.',
    '按学校的数字是该校各趟次的；按车辆、驾驶员、乡镇和全县的是车辆全天的（含趟次之间）。' +
      " By school: the school's trips only; by bus, driver, town and county: the buses' whole days, between trips too.",
    `到校准点：校门到站不晚于计划时间${lateMin}分钟（往返校两个方向）。` +
      ` On time: at the school gate at most ${lateMin} min after the planned call, either direction.`,
    `里程：每${reportRules.distanceSlotS}秒定位的中位点之间的距离，车速不低于${reportRules.movingKmh}公里/小时；` +
      `跳点（>${reportRules.maxImpliedKmh}公里/小时）和超过${reportRules.maxGapS}秒的中断不计。` +
      ` Km: between the middles (median) of each ${reportRules.distanceSlotS} s of positions while moving` +
      ` (≥ ${reportRules.movingKmh} km/h); GPS jumps (> ${reportRules.maxImpliedKmh} km/h) and holes over` +
      ` ${reportRules.maxGapS} s are left out.`,
    '报警：平台报警目录中的事件；确认和办结用时从事件开始算起。 Alarms: events of the alarm catalogue; times to acknowledge and close are from the event’s start.',
    '乘车学生：扫码上车的不同学生；人次按趟次累计。 Pupils carried: distinct pupils scanned on; rides count each trip.',
  ]
}

function displayWidth(text: string): number {
  let width = 0
  for (const char of text) width += char.codePointAt(0)! >= 0x2e80 ? 2 : 1
  return width
}
