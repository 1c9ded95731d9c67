import type { AppErrorReason } from '../errors/app-error.js'
import type { RegisterImportReport } from './import-registers.js'

/**
 * Why an import or an edit was refused, as the reason the API answers beside its report: a file
 * that could not be read (even by a dry run), a removal that other records still refer to, or
 * records with errors. Null when nothing was refused: a dry run's errors are its answer, not a
 * refusal.
 */
export function reasonOfRefusedImport(
  report: Pick<RegisterImportReport, 'applied' | 'problems'>,
  options: { apply: boolean },
): Extract<AppErrorReason, 'not_a_register_file' | 'record_still_referenced' | 'register_errors'> | null {
  const errors = report.problems.filter((problem) => problem.severity === 'error')
  if (errors.some((problem) => problem.code === 'unreadable_file')) return 'not_a_register_file'
  if (!options.apply || report.applied) return null
  if (errors.length > 0 && errors.every((problem) => problem.code === 'still_referenced')) {
    return 'record_still_referenced'
  }
  return 'register_errors'
}
