import type { ChangeCounts, ImportReport, Sheet } from './registers-contract.js'

export interface CountRow extends ChangeCounts {
  register: string
  sheet: Sheet | undefined
}

/** The report's counts, one row per register the file had a sheet for, in the registers' order. */
export function countRows(report: Pick<ImportReport, 'counts'>, sheets: readonly Sheet[]): CountRow[] {
  const order = new Map(sheets.map((sheet, i) => [sheet.register as string, i]))
  return Object.entries(report.counts)
    .map(([register, counts]) => ({
      register,
      sheet: sheets.find((s) => s.register === register),
      ...counts,
    }))
    .sort((a, b) => (order.get(a.register) ?? order.size) - (order.get(b.register) ?? order.size))
}

/** The import may be applied only when the dry run found no error (warnings are listed, not fatal). */
export const mayApply = (report: Pick<ImportReport, 'errorCount'>) => report.errorCount === 0

/** How a picked file is read: a workbook, a CSV of one register, or neither. */
export function fileKind(fileName: string): 'xlsx' | 'csv' | null {
  const lower = fileName.toLowerCase()
  if (lower.endsWith('.xlsx')) return 'xlsx'
  if (lower.endsWith('.csv')) return 'csv'
  return null
}

/**
 * The register a CSV's file name stands for, as the server reads it: the register's name, its
 * English or Chinese sheet name, or both as export names them (`buses.csv`, `车辆.csv`).
 */
export function registerOfFileName(fileName: string, sheets: readonly Sheet[]): string | undefined {
  const base = fileName
    .replace(/^.*[\\/]/, '')
    .replace(/\.[^.]*$/, '')
    .trim()
    .toLowerCase()
  return sheets.find((sheet) =>
    [sheet.register, sheet.en, sheet.zh, sheet.title].some((name) => name.toLowerCase() === base),
  )?.register
}
