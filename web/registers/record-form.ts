import { describeCell } from '../../server/core/registers/parse-cell.js'
import { AccessRefused } from '../shared/api-client.js'
import { element, setText } from '../shared/dom.js'
import { failureMessage, type PageContext } from './page-context.js'
import { placeProblems } from './problem-fields.js'
import { problemLine, renderProblemTable } from './problem-table.js'
import { blankCells, cellChoices, cellsToSend, displayKey, keyFields, recordCells } from './record-cells.js'
import type { Problem, RegisterRecord, Sheet } from './registers-contract.js'

/**
 * The small form that edits one record or adds one (every column of the register, typed as text,
 * as in the sheet), with the problems of a refused save beside the fields they name; and the
 * confirmation before a record is removed, with what stops the removal.
 */
export function createRecordForms(ctx: PageContext, tell: (message: string) => void) {
  const ui = {
    dialog: element<HTMLDialogElement>('record-dialog'),
    form: element<HTMLFormElement>('record-form'),
    title: element('record-title'),
    refused: element('record-refused'),
    general: element<HTMLTableElement>('record-general'),
    keyNote: element('record-key-note'),
    fields: element('record-fields'),
    cancel: element<HTMLButtonElement>('record-cancel'),
    save: element<HTMLButtonElement>('record-save'),
    removeDialog: element<HTMLDialogElement>('remove-dialog'),
    removeTitle: element('remove-title'),
    removeWarning: element('remove-warning'),
    removeRefused: element('remove-refused'),
    removeProblems: element<HTMLTableElement>('remove-problems'),
    removeCancel: element<HTMLButtonElement>('remove-cancel'),
    removeConfirm: element<HTMLButtonElement>('remove-confirm'),
  }
  let editing: { sheet: Sheet; key: string | null } | null = null
  let removing: { sheet: Sheet; key: string } | null = null

  const inputOf = (field: string) => ui.fields.querySelector<HTMLInputElement>(`input[name="${field}"]`)

  function buildFields(sheet: Sheet, cells: Record<string, string>, lockKeys: boolean) {
    const t = ctx.t()
    const zh = ctx.lang() === 'zh'
    const locked = new Set(lockKeys ? keyFields[sheet.register] : [])
    ui.fields.replaceChildren(
      ...sheet.columns.map((column) => {
        const id = `field-${column.field}`
        const box = document.createElement('div')
        box.className = 'form-field'
        box.dataset.field = column.field
        const label = document.createElement('label')
        label.htmlFor = id
        const main = document.createElement('span')
        main.className = 'label-main'
        main.textContent = zh ? column.zh : column.en
        const other = document.createElement('span')
        other.className = 'label-other'
        other.lang = zh ? 'en' : 'zh-CN'
        other.textContent = zh ? column.en : column.zh
        label.append(main, ' ', other)
        if (column.required) {
          const required = document.createElement('span')
          required.className = 'required'
          required.textContent = t.required
          label.append(' ', required)
        }
        if (sheet.personal.includes(column.field)) {
          const tag = document.createElement('span')
          tag.className = 'tag'
          tag.textContent = t.personal
          label.append(' ', tag)
        }
        const input = document.createElement('input')
        input.id = id
        input.name = column.field
        input.type = 'text'
        input.autocomplete = 'off'
        input.spellcheck = false
        input.value = cells[column.field] ?? ''
        input.required = column.required
        input.readOnly = locked.has(column.field)
        const hint = document.createElement('p')
        hint.className = 'hint'
        hint.id = `hint-${column.field}`
        hint.textContent = describeCell(column.cell)[zh ? 'zh' : 'en']
        const problem = document.createElement('p')
        problem.className = 'field-problem'
        problem.id = `problem-${column.field}`
        problem.hidden = true
        input.setAttribute('aria-describedby', `${hint.id} ${problem.id}`)
        const choices = cellChoices(column.cell)
        if (choices.length > 0 && !input.readOnly) {
          const list = document.createElement('datalist')
          list.id = `choices-${column.field}`
          list.append(...choices.map((choice) => new Option(choice, choice)))
          input.setAttribute('list', list.id)
          box.append(list)
        }
        box.append(label, input, hint, problem)
        return box
      }),
    )
  }

  function showProblems(sheet: Sheet, problems: readonly Problem[], refusal: string | null) {
    const t = ctx.t()
    const placed = placeProblems(sheet, problems)
    for (const column of sheet.columns) {
      const input = inputOf(column.field)
      const slot = element(`problem-${column.field}`)
      const mine = placed.byField[column.field] ?? []
      slot.hidden = mine.length === 0
      slot.replaceChildren(...mine.map((problem) => problemLine(problem, ctx.sheets, t)))
      if (mine.length > 0) input?.setAttribute('aria-invalid', 'true')
      else input?.removeAttribute('aria-invalid')
      slot.closest('.form-field')?.classList.toggle('invalid', mine.length > 0)
    }
    ui.refused.hidden = refusal === null
    setText(ui.refused, refusal ?? '')
    ui.general.hidden = placed.general.length === 0
    renderProblemTable(ui.general, placed.general, { t, sheets: ctx.sheets })
    const firstField = sheet.columns.find((column) => placed.byField[column.field])
    if (firstField) inputOf(firstField.field)?.focus()
    else if (refusal !== null) ui.refused.focus()
  }

  function open(sheet: Sheet, key: string | null, record: RegisterRecord | null) {
    const t = ctx.t()
    editing = { sheet, key }
    setText(
      ui.title,
      key === null ? t.formAdd(ctx.sheetName(sheet)) : t.formEdit(ctx.sheetName(sheet), displayKey(key)),
    )
    setText(ui.keyNote, t.keyLocked)
    ui.keyNote.hidden = key === null
    setText(ui.cancel, t.cancel)
    setText(ui.save, t.save)
    ui.save.disabled = false
    ui.dialog.dataset.register = sheet.register
    ui.dialog.dataset.mode = key === null ? 'add' : 'edit'
    buildFields(sheet, record ? recordCells(sheet, record) : blankCells(sheet), key !== null)
    showProblems(sheet, [], null)
    ui.dialog.showModal()
    const first = [...ui.fields.querySelectorAll('input')].find((input) => !input.readOnly)
    first?.focus()
  }

  async function save() {
    if (!editing) return
    const { sheet } = editing
    const t = ctx.t()
    const typed = Object.fromEntries(
      sheet.columns.map((column) => [column.field, inputOf(column.field)?.value ?? '']),
    )
    const cells = cellsToSend(sheet, typed)
    ui.save.disabled = true
    setText(ui.save, t.saving)
    try {
      const answer = await ctx.api.saveRecord(sheet.register, cells)
      if (answer.ok) {
        ui.dialog.close()
        const key = keyFields[sheet.register].map((field) => cells[field] ?? '').join(' · ')
        tell(t.saved(ctx.sheetName(sheet), key))
        ctx.changed()
        return
      }
      ui.dialog.dataset.refused = 'true'
      showProblems(sheet, answer.report.problems, t.formRefused)
    } catch (error) {
      if (error instanceof AccessRefused) {
        ui.dialog.close()
        return ctx.fail(error)
      }
      showProblems(sheet, [], failureMessage(error, t) ?? '')
    } finally {
      ui.save.disabled = false
      setText(ui.save, t.save)
    }
  }

  function confirmRemove(sheet: Sheet, key: string) {
    const t = ctx.t()
    removing = { sheet, key }
    setText(ui.removeTitle, t.removeTitle(ctx.sheetName(sheet), displayKey(key)))
    setText(ui.removeWarning, t.removeWarning)
    setText(ui.removeCancel, t.cancel)
    setText(ui.removeConfirm, t.remove)
    ui.removeConfirm.disabled = false
    ui.removeConfirm.hidden = false
    ui.removeRefused.hidden = true
    ui.removeProblems.hidden = true
    ui.removeDialog.dataset.register = sheet.register
    ui.removeDialog.dataset.key = key
    ui.removeDialog.showModal()
    ui.removeCancel.focus()
  }

  async function remove() {
    if (!removing) return
    const { sheet, key } = removing
    const t = ctx.t()
    ui.removeConfirm.disabled = true
    setText(ui.removeConfirm, t.removing)
    try {
      const answer = await ctx.api.removeRecord(sheet.register, key)
      if (answer.ok) {
        ui.removeDialog.close()
        tell(t.removed(ctx.sheetName(sheet), displayKey(key)))
        ctx.changed()
        return
      }
      const reason = answer.reason as keyof typeof t.refusals | null
      showRemoveRefusal((reason && t.refusals[reason]) || t.removeRefused, answer.report.problems)
    } catch (error) {
      if (error instanceof AccessRefused) {
        ui.removeDialog.close()
        return ctx.fail(error)
      }
      showRemoveRefusal(failureMessage(error, t) ?? '', [])
    } finally {
      setText(ui.removeConfirm, t.remove)
    }
  }

  function showRemoveRefusal(message: string, problems: readonly Problem[]) {
    const t = ctx.t()
    ui.removeDialog.dataset.refused = 'true'
    ui.removeConfirm.hidden = true
    setText(ui.removeCancel, t.close)
    ui.removeRefused.hidden = false
    setText(ui.removeRefused, message)
    ui.removeProblems.hidden = problems.length === 0
    renderProblemTable(ui.removeProblems, problems, { t, sheets: ctx.sheets })
    ui.removeCancel.focus()
  }

  ui.form.addEventListener('submit', (event) => {
    event.preventDefault()
    void save()
  })
  ui.cancel.addEventListener('click', () => ui.dialog.close())
  ui.dialog.addEventListener('close', () => {
    editing = null
    delete ui.dialog.dataset.refused
  })
  ui.removeCancel.addEventListener('click', () => ui.removeDialog.close())
  ui.removeConfirm.addEventListener('click', () => void remove())
  ui.removeDialog.addEventListener('close', () => {
    removing = null
    delete ui.removeDialog.dataset.refused
  })

  return {
    add: (sheet: Sheet) => open(sheet, null, null),
    edit: (sheet: Sheet, key: string, record: RegisterRecord) => open(sheet, key, record),
    remove: (sheet: Sheet, key: string) => confirmRemove(sheet, key),
  }
}
