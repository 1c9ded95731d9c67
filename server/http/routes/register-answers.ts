import type { Context } from 'hono'
import type { RegisterImportReport } from '../../core/registers/import-registers.js'
import { reasonOfRefusedImport } from '../../core/registers/import-refusal.js'
import type { ErrorBody } from '../error-response.js'

export const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
export const csvType = 'text/csv; charset=utf-8'

/**
 * The report of an import or an edit: as is when it went through (or was only checked), else
 * refused (422) with the error body's reason beside it, so that a client tells a removal others
 * still refer to from records with errors without reading the problems.
 */
export function answerReport(c: Context, report: RegisterImportReport, options: { apply: boolean }) {
  const reason = reasonOfRefusedImport(report, options)
  if (reason === null) return c.json({ report })
  const error: ErrorBody['error'] = {
    code: 'unprocessable',
    message: `${report.errorCount} errors: nothing ${options.apply ? 'written' : 'checked'}`,
    reason,
  }
  return c.json({ report, error }, 422)
}

export function download(c: Context, body: Uint8Array | string, fileName: string, type: string) {
  c.header('content-type', type)
  c.header('content-disposition', `attachment; filename="${fileName}"`)
  c.header('cache-control', 'no-store')
  return c.body(typeof body === 'string' ? body : new Uint8Array(body))
}
