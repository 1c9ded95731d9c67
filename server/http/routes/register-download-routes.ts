import { Hono } from 'hono'
import { assertRole } from '../../core/auth/access-policy.js'
import { AppError } from '../../core/errors/app-error.js'
import { exportRegisterCsv, exportRegisterWorkbook } from '../../core/registers/export-registers.js'
import { registerSheets } from '../../core/registers/register-sheets.js'
import { writeRegisterWorkbook } from '../../core/registers/write-register-files.js'
import type { ApiDeps } from '../api-deps.js'
import type { AuthenticatedEnv } from '../authenticate.js'
import { auditPersonalData } from '../audit-personal-reads.js'
import { parseInput } from '../parse-input.js'
import { assertMayUse, schoolOf, schoolRegisters } from './register-access.js'
import { download, xlsxType } from './register-answers.js'
import { registerParam } from './register-inputs.js'

/**
 * The registers as files: an empty template, the workbook export (all for the bureau, its pupils
 * for a school) and one register as CSV for the bureau. Every export is logged.
 */
export function registerDownloadRoutes(deps: ApiDeps) {
  const { db } = deps
  return new Hono<AuthenticatedEnv>()
    .get('/registers/template.xlsx', async (c) => {
      assertRole(c.get('principal'), ['bureau', 'school'])
      return download(
        c,
        await writeRegisterWorkbook({}, { template: true }),
        'registers-template.xlsx',
        xlsxType,
      )
    })
    .get('/registers/export.xlsx', async (c) => {
      const principal = c.get('principal')
      assertRole(principal, ['bureau', 'school'])
      const registers = principal.role === 'school' ? [...schoolRegisters] : undefined
      const bytes = await exportRegisterWorkbook(db, {
        actor: principal.sub,
        registers,
        schoolCode: schoolOf(principal),
      })
      await auditPersonalData(c, deps, {
        action: 'export',
        target: 'registers.xlsx',
        detail: { registers: registers ?? 'all', schoolCode: schoolOf(principal) ?? null },
      })
      return download(c, bytes, 'registers.xlsx', xlsxType)
    })
    .get('/registers/:register{[^/]+\\.csv}', async (c) => {
      const principal = c.get('principal')
      const { register } = parseInput(
        registerParam,
        { register: c.req.param('register').replace(/\.csv$/, '') },
        'params',
      )
      assertMayUse(principal, register)
      if (principal.role === 'school')
        throw new AppError('forbidden', 'a school exports its registers as a workbook', {
          reason: 'school_csv_export',
        })
      const text = await exportRegisterCsv(db, register, principal.sub)
      await auditPersonalData(c, deps, { action: 'export', target: `registers/${register}.csv` })
      return download(c, text, `${registerSheets[register].en}.csv`, 'text/csv; charset=utf-8')
    })
}
