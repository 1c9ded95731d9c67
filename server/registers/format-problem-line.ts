import type { RegisterProblem } from '../core/registers/register-problem.js'

/** `error  学生 row 12, 学生编码 code: expected P + 8 digits + Luhn check digit (P12345678)` */
export function formatProblemLine(problem: RegisterProblem): string {
  const where = [problem.sheet, problem.row === null ? null : `row ${problem.row}`, problem.column]
    .filter((part) => part !== null)
    .join(', ')
  const value = problem.value === null ? '' : ` (${problem.value})`
  return `${problem.severity.padEnd(7)}${where}: ${problem.message}${value}`
}
