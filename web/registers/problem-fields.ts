import type { Problem, Sheet, SheetColumn } from './registers-contract.js'

/** Where each problem of a one-row edit goes: beside the field it names, or above the form. */
export interface PlacedProblems {
  byField: Record<string, Problem[]>
  general: Problem[]
}

/** The column a problem's header names: as export writes it (`核载人数 seats`), or either half. */
export function columnOfHeader(sheet: Sheet, header: string | null): SheetColumn | undefined {
  if (header === null) return undefined
  const wanted = header.trim().replace(/\s+/g, ' ').toLowerCase()
  return sheet.columns.find((column) =>
    [`${column.zh} ${column.en}`, column.zh, column.en].some((name) => name.toLowerCase() === wanted),
  )
}

/**
 * The problems of an edit of `sheet`, each beside the field it names when it is about the row
 * typed (a problem of a stored record has no row, and one of another register names its own).
 */
export function placeProblems(sheet: Sheet, problems: readonly Problem[]): PlacedProblems {
  const placed: PlacedProblems = { byField: {}, general: [] }
  for (const problem of problems) {
    const column =
      problem.register === sheet.register && problem.row !== null
        ? columnOfHeader(sheet, problem.column)
        : undefined
    if (column) (placed.byField[column.field] ??= []).push(problem)
    else placed.general.push(problem)
  }
  return placed
}

/** Errors first, then warnings; otherwise as the server listed them (sheet and row order). */
export function errorsFirst(problems: readonly Problem[]): Problem[] {
  return [...problems].sort((a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning'))
}
