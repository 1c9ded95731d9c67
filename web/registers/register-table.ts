import { element, setText } from '../shared/dom.js'
import { cell, row } from '../shared/table-cells.js'
import { button, twoLanguageHeader } from './cells.js'
import type { PageContext } from './page-context.js'
import { displayKey, formatCell } from './record-cells.js'
import type { RecordPage, RegisterRecord, Sheet } from './registers-contract.js'

const pageSize = 50
const searchDelayMs = 300

export interface RecordActions {
  add(sheet: Sheet): void
  edit(sheet: Sheet, key: string, record: RegisterRecord): void
  remove(sheet: Sheet, key: string, record: RegisterRecord): void
  /** A row's further action, where it has one (pairing an attendant's phone). */
  extra?(sheet: Sheet, key: string, record: RegisterRecord): HTMLElement | null
}

/**
 * The register picker with each register's count, and the chosen register as a searchable, paged
 * table with its columns as the sheet has them (personal ones marked), each row editable.
 */
export function createRegisterTable(ctx: PageContext, actions: RecordActions) {
  const ui = {
    list: element('register-list'),
    title: element('register-title'),
    searchForm: element<HTMLFormElement>('search-form'),
    search: element<HTMLInputElement>('search'),
    add: element<HTMLButtonElement>('add-record'),
    personalNote: element('personal-note'),
    table: element<HTMLTableElement>('records'),
    prev: element<HTMLButtonElement>('page-prev'),
    next: element<HTMLButtonElement>('page-next'),
    pageLabel: element('page-label'),
  }
  let current: Sheet = ctx.sheets[0]!
  let q = ''
  let offset = 0
  let page: RecordPage | null = null
  const counts = new Map<string, number>()
  let loads = 0
  let searchTimer: ReturnType<typeof setTimeout> | undefined

  function renderList() {
    const t = ctx.t()
    ui.list.setAttribute('aria-label', t.registers)
    ui.list.replaceChildren(
      ...ctx.sheets.map((sheet) => {
        const item = document.createElement('button')
        item.type = 'button'
        item.className = 'register'
        item.dataset.register = sheet.register
        item.setAttribute('aria-pressed', String(sheet === current))
        const name = document.createElement('span')
        name.className = 'register-name'
        name.textContent = ctx.sheetName(sheet)
        const other = document.createElement('span')
        other.className = 'register-other'
        other.lang = ctx.lang() === 'zh' ? 'en' : 'zh-CN'
        other.textContent = ctx.lang() === 'zh' ? sheet.en : sheet.zh
        const count = document.createElement('span')
        count.className = 'count'
        count.textContent = counts.has(sheet.register) ? String(counts.get(sheet.register)) : '…'
        item.append(name, other, count)
        item.addEventListener('click', () => choose(sheet))
        return item
      }),
    )
  }

  function renderTable() {
    const t = ctx.t()
    const zh = ctx.lang() === 'zh'
    setText(ui.title, ctx.sheetName(current))
    ui.search.placeholder = t.searchPlaceholder
    ui.search.setAttribute('aria-label', `${t.search}: ${ctx.sheetName(current)}`)
    ui.personalNote.hidden = current.personal.length === 0
    setText(ui.personalNote, t.personalNote)
    const columns = current.columns.filter((column) => column.cell.type !== 'datum')
    const head = ui.table.createTHead()
    const actionsHead = cell('th', t.actions, 'actions')
    actionsHead.scope = 'col'
    head.replaceChildren(
      row(
        actionsHead,
        ...columns.map((column) => {
          const th = zh
            ? twoLanguageHeader(column.zh, column.en, 'en')
            : twoLanguageHeader(column.en, column.zh, 'zh-CN')
          th.dataset.field = column.field
          if (current.personal.includes(column.field)) {
            th.classList.add('personal')
            const tag = document.createElement('span')
            tag.className = 'tag'
            tag.textContent = t.personal
            th.append(tag)
          }
          return th
        }),
      ),
    )
    const body = ui.table.tBodies[0] ?? ui.table.createTBody()
    ui.table.setAttribute('aria-busy', String(page === null))
    if (!page || page.records.length === 0) {
      const empty = cell('td', page ? t.noRecords : t.loading, 'empty')
      empty.colSpan = columns.length + 1
      body.replaceChildren(row(empty))
    } else {
      const sheet = current
      body.replaceChildren(
        ...page.records.map(({ key, record }) => {
          const shown = displayKey(key)
          const edit = button(t.edit, () => actions.edit(sheet, key, record), 'small')
          edit.setAttribute('aria-label', `${t.edit} ${shown}`)
          edit.dataset.action = 'edit'
          const remove = button(t.remove, () => actions.remove(sheet, key, record), 'small danger-text')
          remove.setAttribute('aria-label', `${t.remove} ${shown}`)
          remove.dataset.action = 'remove'
          const buttons = document.createElement('td')
          buttons.className = 'actions'
          buttons.append(edit, remove)
          const extra = actions.extra?.(sheet, key, record)
          if (extra) buttons.append(extra)
          const tr = row(
            buttons,
            ...columns.map((column) => {
              const td = cell('td', formatCell(record[column.field], column.cell), column.cell.type)
              td.dataset.field = column.field
              return td
            }),
          )
          tr.dataset.key = key
          return tr
        }),
      )
    }
    const total = page?.total ?? 0
    const shownTo = Math.min(offset + pageSize, total)
    setText(ui.pageLabel, page ? t.pageOf(total === 0 ? 0 : offset + 1, shownTo, total) : t.loading)
    setText(ui.prev, t.previous)
    setText(ui.next, t.next)
    setText(ui.add, t.add)
    ui.prev.disabled = !page || offset === 0
    ui.next.disabled = !page || offset + pageSize >= total
  }

  async function load() {
    const mine = ++loads
    const sheet = current
    const answer = await ctx.api.records(sheet.register, { q, offset, limit: pageSize })
    if (mine !== loads) return
    if (answer.records.length === 0 && offset > 0) {
      // The last page emptied by a removal: show the one before it.
      offset = Math.max(0, Math.floor((answer.total - 1) / pageSize) * pageSize)
      return load()
    }
    page = answer
    if (!q) counts.set(sheet.register, answer.total)
    renderList()
    renderTable()
  }

  async function loadCounts() {
    const totals = await Promise.all(
      ctx.sheets.map(async (sheet) => [
        sheet.register,
        (await ctx.api.records(sheet.register, { q: '', offset: 0, limit: 1 })).total,
      ]),
    )
    for (const [register, total] of totals) counts.set(register as string, total as number)
    renderList()
  }

  function reload() {
    page = null
    renderTable()
    load().catch(ctx.fail)
  }

  function choose(sheet: Sheet) {
    if (sheet === current) return
    current = sheet
    q = ''
    ui.search.value = ''
    offset = 0
    renderList()
    reload()
  }

  ui.searchForm.addEventListener('submit', (event) => {
    event.preventDefault()
    clearTimeout(searchTimer)
    q = ui.search.value.trim()
    offset = 0
    reload()
  })
  ui.search.addEventListener('input', () => {
    clearTimeout(searchTimer)
    searchTimer = setTimeout(() => ui.searchForm.requestSubmit(), searchDelayMs)
  })
  ui.prev.addEventListener('click', () => {
    offset = Math.max(0, offset - pageSize)
    reload()
  })
  ui.next.addEventListener('click', () => {
    offset += pageSize
    reload()
  })
  ui.add.addEventListener('click', () => actions.add(current))

  return {
    render() {
      renderList()
      renderTable()
    },
    /** The counts and the page shown, read again after a change. */
    async refresh() {
      await Promise.all([load(), loadCounts()])
    },
    current: () => current,
  }
}
