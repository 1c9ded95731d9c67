import { AccessRefused } from '../shared/api-client.js'
import { element, setText } from '../shared/dom.js'
import { cell, row } from '../shared/table-cells.js'
import { countRows, fileKind, mayApply, registerOfFileName } from './import-report.js'
import { failureMessage, type PageContext } from './page-context.js'
import { renderProblemTable } from './problem-table.js'
import type { ImportReport } from './registers-contract.js'
import type { CountKey } from './registers-text.js'

const countKeys: CountKey[] = ['inserted', 'updated', 'unchanged', 'removed']

/**
 * The import wizard: pick a workbook or a CSV (and, for a CSV, its register unless its name says),
 * check it as a dry run, read the counts per register and the problems (errors first), then apply
 * the same file, which is possible only when the check found no error.
 */
export function createImportWizard(ctx: PageContext) {
  const ui = {
    heading: element('import-heading'),
    intro: element('import-intro'),
    fileLabel: element('import-file-label'),
    file: element<HTMLInputElement>('import-file'),
    csv: element('import-csv'),
    csvLabel: element('import-register-label'),
    register: element<HTMLSelectElement>('import-register'),
    csvNote: element('import-csv-note'),
    removeField: element('import-remove-field'),
    remove: element<HTMLInputElement>('import-remove'),
    removeLabel: element('import-remove-label'),
    removeWarning: element('import-remove-warning'),
    check: element<HTMLButtonElement>('import-check'),
    apply: element<HTMLButtonElement>('import-apply'),
    status: element('import-status'),
    result: element('import-result'),
    countsHeading: element('import-counts-heading'),
    counts: element<HTMLTableElement>('import-counts'),
    problemsHeading: element('import-problems-heading'),
    problems: element<HTMLTableElement>('import-problems'),
  }
  /** The last check or import, and whether it was the dry run of what is chosen now. */
  let report: ImportReport | null = null
  let checked = false
  let busy: 'checking' | 'applying' | null = null
  let status: { text: () => string; kind: 'info' | 'error' | 'done' } | null = null

  const chosen = () => ui.file.files?.[0] ?? null
  const csvRegister = (file: File) => ui.register.value || registerOfFileName(file.name, ctx.sheets)

  function reset() {
    report = null
    checked = false
    status = null
    render()
  }

  function render() {
    const t = ctx.t()
    setText(ui.heading, t.importHeading)
    setText(ui.intro, t.importIntro)
    setText(ui.fileLabel, t.chooseFile)
    setText(ui.csvLabel, t.csvRegister)
    setText(ui.removeLabel, t.removeOption)
    setText(ui.removeWarning, t.removeOptionWarning)
    ui.removeField.hidden = ctx.role !== 'bureau'
    ui.removeWarning.hidden = !ui.remove.checked
    const picked = ui.register.value
    ui.register.replaceChildren(
      new Option(t.csvByName, ''),
      ...ctx.sheets.map((sheet) => new Option(ctx.sheetName(sheet), sheet.register)),
    )
    ui.register.value = picked
    const file = chosen()
    const kind = file ? fileKind(file.name) : null
    ui.csv.hidden = kind !== 'csv'
    if (file && kind === 'csv') {
      const named = registerOfFileName(file.name, ctx.sheets)
      const sheet = ctx.sheets.find((s) => s.register === named)
      setText(
        ui.csvNote,
        ui.register.value ? '' : sheet ? t.csvInferred(ctx.sheetName(sheet)) : t.csvNotInferred,
      )
    }
    const ready = file !== null && kind !== null && (kind === 'xlsx' || csvRegister(file) !== undefined)
    ui.check.disabled = busy !== null || !ready
    ui.apply.disabled = busy !== null || !checked || !report || !mayApply(report) || report.applied
    setText(ui.check, busy === 'checking' ? t.checking : t.check)
    setText(ui.apply, busy === 'applying' ? t.applying : t.apply)
    ui.status.hidden = status === null
    ui.status.className = `status ${status?.kind ?? ''}`
    setText(ui.status, status?.text() ?? '')
    renderReport()
  }

  function renderReport() {
    const t = ctx.t()
    ui.result.hidden = report === null
    if (!report) return
    ui.result.dataset.applied = String(report.applied)
    ui.result.dataset.errors = String(report.errorCount)
    ui.result.dataset.warnings = String(report.warningCount)
    setText(ui.countsHeading, t.countsHeading)
    const rows = countRows(report, ctx.sheets)
    const head = ui.counts.createTHead()
    head.replaceChildren(
      row(
        ...[t.register, ...countKeys.map((key) => t.counts[key])].map((label) => {
          const th = cell('th', label)
          th.scope = 'col'
          return th
        }),
      ),
    )
    const body = ui.counts.tBodies[0] ?? ui.counts.createTBody()
    if (rows.length === 0) {
      const empty = cell('td', t.noCounts, 'empty')
      empty.colSpan = 5
      body.replaceChildren(row(empty))
    } else {
      body.replaceChildren(
        ...rows.map((counts) => {
          const name = cell('th', counts.sheet ? ctx.sheetName(counts.sheet) : counts.register)
          name.scope = 'row'
          const tr = row(
            name,
            ...countKeys.map((key) =>
              cell('td', String(counts[key]), `number ${key}${counts[key] > 0 ? ' some' : ''}`),
            ),
          )
          tr.dataset.register = counts.register
          for (const key of countKeys) tr.dataset[key] = String(counts[key])
          return tr
        }),
      )
    }
    const total = report.errorCount + report.warningCount
    ui.problemsHeading.hidden = ui.problems.hidden = report.problems.length === 0
    setText(ui.problemsHeading, t.problemsHeading(report.problems.length, total))
    renderProblemTable(ui.problems, report.problems, { t, sheets: ctx.sheets })
  }

  async function send(dryRun: boolean) {
    const file = chosen()
    if (!file) return
    busy = dryRun ? 'checking' : 'applying'
    status = null
    render()
    try {
      const answer = await ctx.api.importFile({
        file,
        fileName: file.name,
        dryRun,
        remove: ctx.role === 'bureau' && ui.remove.checked,
        register: fileKind(file.name) === 'csv' ? csvRegister(file) : undefined,
      })
      report = answer.report
      const { errorCount, warningCount } = report
      if (dryRun) {
        checked = true
        status = {
          text: () =>
            `${ctx.t().checked(errorCount, warningCount)} ${mayApply({ errorCount }) ? ctx.t().applyReady : ctx.t().applyBlocked}`,
          kind: errorCount > 0 ? 'error' : 'info',
        }
      } else if (report.applied) {
        status = { text: () => ctx.t().applied, kind: 'done' }
        ctx.changed()
      } else {
        status = { text: () => ctx.t().notApplied(errorCount), kind: 'error' }
      }
    } catch (error) {
      if (error instanceof AccessRefused) return ctx.fail(error)
      report = null
      checked = false
      status = { text: () => failureMessage(error, ctx.t()) ?? '', kind: 'error' }
    } finally {
      busy = null
      render()
    }
    ui.status.focus()
  }

  ui.file.addEventListener('change', () => {
    const file = chosen()
    reset()
    if (file && !fileKind(file.name)) {
      status = { text: () => ctx.t().wrongFileType, kind: 'error' }
      render()
    }
  })
  ui.register.addEventListener('change', reset)
  ui.remove.addEventListener('change', reset)
  ui.check.addEventListener('click', () => void send(true))
  ui.apply.addEventListener('click', () => void send(false))

  return { render }
}
