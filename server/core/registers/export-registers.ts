import type { Database } from '../store/database.js'
import { readRegisters } from './read-registers.js'
import { logRegisterChange } from './register-change-log.js'
import { personalRegisters, registerNames, type RegisterName } from './register-records.js'
import { writeRegisterCsv, writeRegisterWorkbook } from './write-register-files.js'

export interface RegisterExportRequest {
  /** Who takes the export, for the change log. */
  actor: string
  /** The registers to export; all when absent. */
  registers?: readonly RegisterName[]
  /** Only this school's pupils (a school's own export). */
  schoolCode?: string
}

/**
 * The stored registers as one workbook, a sheet per register. Every export is logged, and one that
 * holds pupils or guardians says so: it discloses personal data of minors and their families.
 */
export async function exportRegisterWorkbook(
  db: Database,
  request: RegisterExportRequest,
): Promise<Uint8Array> {
  const registers = request.registers ?? registerNames
  const set = await readRegisters(db, { registers, schoolCode: request.schoolCode })
  const bytes = await writeRegisterWorkbook(Object.fromEntries(registers.map((name) => [name, set[name]])))
  await logExport(db, request.actor, registers, 'xlsx', request.schoolCode)
  return bytes
}

/** One register as CSV (UTF-8 with a byte-order mark, so that Excel reads the Chinese). */
export async function exportRegisterCsv(
  db: Database,
  register: RegisterName,
  actor: string,
): Promise<string> {
  const set = await readRegisters(db, { registers: [register] })
  const text = writeRegisterCsv(register, set[register])
  await logExport(db, actor, [register], 'csv', undefined)
  return text
}

async function logExport(
  db: Database,
  actor: string,
  registers: readonly RegisterName[],
  format: string,
  schoolCode: string | undefined,
) {
  await logRegisterChange(db, {
    actor,
    action: 'export',
    register: registers.length === 1 ? registers[0]! : null,
    recordKey: null,
    summary: {
      format,
      registers,
      schoolCode: schoolCode ?? null,
      personalData: registers.some((name) => personalRegisters.has(name)),
    },
  })
}
