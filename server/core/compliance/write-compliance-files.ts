import { stringify } from 'csv-stringify/sync'
import ExcelJS from 'exceljs'
import { ruleLabels, statusLabels } from './compliance-labels.js'
import type { ComplianceReport } from './compliance-report.js'

type Cell = string | number | null

/** Headers in both languages, as the registers' exports write theirs (`中文 english`). */
const findingHeaders = [
  '级别 level',
  '对象 subject',
  '车牌号 plate',
  '工号 staff',
  '姓名 name',
  '项目 rule',
  '说明',
  'description',
  '到期日 due_date',
  '剩余天数 days_left',
]
const statusHeaders = ['对象 subject', '车牌号 plate', '编号 id', '姓名 name', '状态 status', '车组 crew']

function findingRows(report: ComplianceReport): Cell[][] {
  return report.findings.map((f) => [
    f.level,
    f.subject,
    f.busPlate,
    f.subject === 'bus' ? null : f.key,
    f.name,
    f.rule,
    ruleLabels[f.rule].zh,
    ruleLabels[f.rule].en,
    f.dueDate,
    f.daysLeft,
  ])
}

function statusRows(report: ComplianceReport): Cell[][] {
  return [
    ...report.buses.map((bus) => [
      'bus',
      bus.plate,
      bus.busId,
      null,
      `${statusLabels[bus.status].zh} ${bus.status}`,
      `${statusLabels[bus.crewStatus].zh} ${bus.crewStatus}`,
    ]),
    ...report.staff.map((person) => [
      person.role,
      person.busPlate,
      person.staffId,
      person.name,
      `${statusLabels[person.status].zh} ${person.status}`,
      null,
    ]),
  ]
}

/** The findings as CSV, UTF-8 with a byte-order mark so that Excel reads the Chinese. */
export function writeComplianceCsv(report: ComplianceReport): string {
  return stringify([findingHeaders, ...findingRows(report)], { bom: true })
}

/**
 * A workbook with the findings and, on a second sheet, every bus's and person's standing. Plates,
 * codes and dates are text cells: Excel would turn them into numbers or dates otherwise.
 */
export async function writeComplianceWorkbook(report: ComplianceReport): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook()
  const sheets: [string, string[], Cell[][], number[]][] = [
    [
      `合规 compliance ${report.date}`,
      findingHeaders,
      findingRows(report),
      [12, 10, 14, 14, 10, 28, 30, 34, 12, 10],
    ],
    ['状态 status', statusHeaders, statusRows(report), [10, 14, 16, 10, 14, 14]],
  ]
  for (const [name, headers, rows, widths] of sheets) {
    const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] })
    sheet.columns = widths.map((width) => ({ width }))
    sheet.addRow(headers).font = { bold: true }
    for (const row of rows) {
      const added = sheet.addRow(row)
      added.eachCell((cell) => {
        if (typeof cell.value === 'string') cell.numFmt = '@'
      })
    }
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer())
}
