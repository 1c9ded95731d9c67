import { describeCell } from '../../server/core/registers/parse-cell.js'
import { cell, row } from '../shared/table-cells.js'
import { columnOfHeader, errorsFirst } from './problem-fields.js'
import type { Problem, Sheet } from './registers-contract.js'
import type { RegistersText } from './registers-text.js'

/** The problem codes of one cell, whose expected form the page can say in its own language. */
const cellCodes = new Set([
  'missing_value',
  'bad_number',
  'out_of_range',
  'bad_time',
  'bad_date',
  'bad_choice',
  'bad_code',
  'bad_phone',
  'bad_plate',
  'bad_pupil_code',
  'bad_datum',
])

/**
 * What is wrong, in the page's language: the problem's kind, and what was expected. The server's
 * message is English; for a cell's problem in Chinese the page says what the column takes itself.
 */
export function problemWords(
  problem: Problem,
  sheets: readonly Sheet[],
  t: RegistersText,
): { label: string; detail: string; detailLang: string } {
  const label = t.problemCodes[problem.code as keyof RegistersText['problemCodes']] ?? problem.code
  const sheet = sheets.find((s) => s.register === problem.register)
  const column = sheet ? columnOfHeader(sheet, problem.column) : undefined
  if (t.lang === 'zh' && column && cellCodes.has(problem.code))
    return { label, detail: t.expected(describeCell(column.cell).zh), detailLang: 'zh-CN' }
  return { label, detail: problem.message, detailLang: 'en' }
}

/** A problem as a small block: its kind in bold, what was expected after it. */
export function problemLine(problem: Problem, sheets: readonly Sheet[], t: RegistersText): HTMLElement {
  const words = problemWords(problem, sheets, t)
  const line = document.createElement('span')
  line.className = `problem ${problem.severity}`
  line.dataset.code = problem.code
  const label = document.createElement('strong')
  label.textContent = words.label
  const detail = document.createElement('span')
  detail.className = 'detail'
  detail.lang = words.detailLang
  detail.textContent = words.detail
  line.append(label, ' ', detail)
  return line
}

/** The problems as a table: severity, sheet, row, column, value, what is wrong; errors first. */
export function renderProblemTable(
  table: HTMLTableElement,
  problems: readonly Problem[],
  words: { t: RegistersText; sheets: readonly Sheet[] },
) {
  const { t, sheets } = words
  const h = t.problemHeaders
  const head = table.createTHead()
  head.replaceChildren(
    row(
      ...[h.severity, h.sheet, h.row, h.column, h.value, h.message].map((label) => {
        const th = cell('th', label)
        th.scope = 'col'
        return th
      }),
    ),
  )
  const body = table.tBodies[0] ?? table.createTBody()
  body.replaceChildren(
    ...errorsFirst(problems).map((problem) => {
      const message = document.createElement('td')
      message.append(problemLine(problem, sheets, t))
      const tr = row(
        cell('td', t.severity[problem.severity], `severity ${problem.severity}`),
        cell('td', problem.sheet),
        cell('td', problem.row === null ? '' : String(problem.row), 'number'),
        cell('td', problem.column ?? ''),
        cell('td', problem.value ?? '', 'value'),
        message,
      )
      tr.className = problem.severity
      tr.dataset.code = problem.code
      tr.dataset.sheet = problem.sheet
      if (problem.row !== null) tr.dataset.row = String(problem.row)
      if (problem.column !== null) tr.dataset.column = problem.column
      return tr
    }),
  )
}
