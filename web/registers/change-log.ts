import { formatCixiDate, formatCixiTime } from '../shared/cixi-time.js'
import { element, setText } from '../shared/dom.js'
import { cell, row } from '../shared/table-cells.js'
import { changeActions, type ChangeAction, type LoggedChange } from './registers-contract.js'
import { describeChange } from './change-summary.js'
import type { PageContext } from './page-context.js'
import { displayKey } from './record-cells.js'

const pageSize = 50

/** The bureau's change log, newest first: who changed or took what, and when; earlier ones on demand. */
export function createChangeLog(ctx: PageContext) {
  const ui = {
    heading: element('changes-heading'),
    table: element<HTMLTableElement>('changes'),
    more: element<HTMLButtonElement>('changes-more'),
  }
  let changes: LoggedChange[] = []
  let complete = false
  let loaded = false
  let loading = false
  /** A refresh asked for while a page was loading: done once it is in. */
  let again = false

  function render() {
    const t = ctx.t()
    setText(ui.heading, t.changesHeading)
    setText(ui.more, t.loadMore)
    const h = t.changeHeaders
    ui.table.createTHead().replaceChildren(
      row(
        ...[h.at, h.actor, h.action, h.register, h.key, h.summary].map((label) => {
          const th = cell('th', label)
          th.scope = 'col'
          return th
        }),
      ),
    )
    const body = ui.table.tBodies[0] ?? ui.table.createTBody()
    ui.table.setAttribute('aria-busy', String(loading))
    if (changes.length === 0) {
      const empty = cell('td', loaded ? t.noChanges : t.loading, 'empty')
      empty.colSpan = 6
      body.replaceChildren(row(empty))
    } else {
      body.replaceChildren(
        ...changes.map((change) => {
          const atMs = Date.parse(change.at)
          const sheet = ctx.sheets.find((s) => s.register === change.register)
          const action = changeActions.includes(change.action as ChangeAction)
            ? t.changeActions[change.action as ChangeAction]
            : change.action
          const tr = row(
            cell('td', `${formatCixiDate(atMs)} ${formatCixiTime(atMs)}`, 'at'),
            cell('td', change.actor, 'actor'),
            cell('td', action, `action ${change.action}`),
            cell('td', sheet ? ctx.sheetName(sheet) : (change.register ?? '—'), 'register'),
            cell('td', change.recordKey === null ? '—' : displayKey(change.recordKey), 'key'),
            cell(
              'td',
              describeChange(change, { t, sheets: ctx.sheets, sheetName: ctx.sheetName }),
              'summary',
            ),
          )
          tr.dataset.id = String(change.id)
          tr.dataset.action = change.action
          if (change.register) tr.dataset.register = change.register
          return tr
        }),
      )
    }
    ui.more.hidden = !loaded || complete
    ui.more.disabled = loading
  }

  async function load(fromStart: boolean) {
    if (ctx.role !== 'bureau') return
    if (loading) {
      again ||= fromStart
      return
    }
    loading = true
    render()
    try {
      const beforeId = fromStart ? undefined : changes.at(-1)?.id
      const page = await ctx.api.changes({ limit: pageSize, beforeId })
      changes = fromStart ? page : [...changes, ...page]
      complete = page.length < pageSize
      loaded = true
    } finally {
      loading = false
      render()
    }
    if (again) {
      again = false
      await load(true)
    }
  }

  ui.more.addEventListener('click', () => void load(false).catch(ctx.fail))

  return {
    render,
    /** The newest changes, read again from the top. */
    refresh: () => load(true),
  }
}
