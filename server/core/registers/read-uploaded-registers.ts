import path from 'node:path'
import type { RegisterProblem } from './register-problem.js'
import { registerNames, type RegisterName } from './register-records.js'
import { registerSheets, sheetTitle } from './register-sheets.js'
import { readRegisterCsv, readRegisterWorkbook, type ParsedRegisters } from './read-register-files.js'

/**
 * A bureau's file as records: a workbook (`.xlsx`) with a sheet per register, or a CSV of one
 * register, named by `register` or by its file name (`buses.csv`, `车辆.csv`, `车辆 buses.csv`).
 */
export async function readUploadedRegisters(
  file: { name: string; bytes: Uint8Array },
  register?: RegisterName,
): Promise<ParsedRegisters> {
  const kind = uploadedFileKind(file.name, register)
  if ('register' in kind) return readRegisterCsv(decodeCsvText(file.bytes), kind.register)
  if (kind.kind === 'xlsx') return readRegisterWorkbook(file.bytes)
  if (kind.kind === 'csv_register_unknown') {
    return unreadable(
      file.name,
      `a CSV holds one register: name the file after it (${registerNames.map((r) => registerSheets[r].en).join(', ')})`,
    )
  }
  return unreadable(file.name, 'expected an Excel workbook (.xlsx) or a CSV file (.csv)')
}

/**
 * What an uploaded file is by its name: a workbook, a CSV of a register (named by `register` or
 * by the file's name), or which of the two ways it cannot be imported, the reason the API gives.
 */
export function uploadedFileKind(
  fileName: string,
  register?: RegisterName,
):
  | { kind: 'xlsx' }
  | { kind: 'csv'; register: RegisterName }
  | { kind: 'not_a_register_file' | 'csv_register_unknown' } {
  const extension = path.extname(fileName).toLowerCase()
  if (extension === '.xlsx') return { kind: 'xlsx' }
  if (extension !== '.csv') return { kind: 'not_a_register_file' }
  const named = register ?? registerOfFileName(path.basename(fileName, path.extname(fileName)))
  return named ? { kind: 'csv', register: named } : { kind: 'csv_register_unknown' }
}

/** The register a CSV file's name stands for, in English, Chinese or both as export names them. */
export function registerOfFileName(baseName: string): RegisterName | undefined {
  const wanted = baseName.trim().toLowerCase()
  return registerNames.find((name) => {
    const sheet = registerSheets[name]
    return [name, sheet.en, sheet.zh, sheetTitle(sheet)].some(
      (candidate) => candidate.toLowerCase() === wanted,
    )
  })
}

function unreadable(fileName: string, message: string): ParsedRegisters {
  const problem: RegisterProblem = {
    severity: 'error',
    code: 'unreadable_file',
    register: null,
    sheet: fileName,
    row: null,
    column: null,
    value: null,
    message,
  }
  return { records: {}, problems: [problem] }
}

/**
 * CSV saved by Excel on a Chinese Windows is GB18030 (GBK), not UTF-8: bytes that are not valid
 * UTF-8 are read as GB18030, which covers GBK and GB2312.
 */
export function decodeCsvText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return new TextDecoder('gb18030').decode(bytes)
  }
}
