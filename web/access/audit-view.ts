import { auditActions, type AuditAction } from '../../server/core/auth/audit-log.js'
import { cixiInstantMs } from '../shared/cixi-time.js'
import { element } from '../shared/dom.js'
import { cell, row } from '../shared/table-cells.js'
import type { AccessContext } from './access-context.js'
import type { AuditEntry } from './access-contract.js'
import { cixiMoment, emptyRow, headRow } from './table-cells.js'

const pageSize = 50

/** The details of an entry as `key: value` pairs, nested values as JSON. */
export function describeDetail(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('; ')
}

/** The audit log, newest first, filtered by action, actor and Cixi dates, earlier pages on demand. */
export function createAuditView(ctx: AccessContext) {
  const ui = {
    table: element<HTMLTableElement>('audit'),
    form: element<HTMLFormElement>('audit-filters'),
    action: element<HTMLSelectElement>('audit-action'),
    actor: element<HTMLInputElement>('audit-actor'),
    from: element<HTMLInputElement>('audit-from'),
    to: element<HTMLInputElement>('audit-to'),
    more: element<HTMLButtonElement>('audit-more'),
  }
  let entries: AuditEntry[] = []
  let nextBefore: number | null = null
  let loaded = false
  let loading = false

  function render() {
    const t = ctx.t()
    const h = t.auditHeaders
    const chosen = ui.action.value
    ui.action.replaceChildren(
      ...['', ...auditActions].map((action) => {
        const option = document.createElement('option')
        option.value = action
        option.textContent = action ? t.actions[action as AuditAction] : t.allActions
        return option
      }),
    )
    ui.action.value = chosen
    ui.table.createTHead().replaceChildren(headRow([h.at, h.actor, h.action, h.target, h.detail, h.ip]))
    ui.table.setAttribute('aria-busy', String(loading))
    const body = ui.table.tBodies[0] ?? ui.table.createTBody()
    if (entries.length === 0) {
      body.replaceChildren(emptyRow(loaded ? t.noEntries : t.loading, 6))
    } else {
      body.replaceChildren(
        ...entries.map((entry) => {
          const action = (auditActions as readonly string[]).includes(entry.action)
            ? t.actions[entry.action as AuditAction]
            : entry.action
          const tr = row(
            cell('td', cixiMoment(entry.at), 'at'),
            cell('td', entry.actorRole ? `${entry.actor} (${entry.actorRole})` : entry.actor, 'actor'),
            cell('td', action, 'action'),
            cell('td', entry.target ?? '—', 'target'),
            cell('td', describeDetail(entry.detail), 'detail'),
            cell('td', entry.ip ?? '—', 'ip'),
          )
          tr.dataset.id = String(entry.id)
          tr.dataset.action = entry.action
          return tr
        }),
      )
    }
    ui.more.hidden = nextBefore === null
    ui.more.disabled = loading
  }

  async function load(fromStart: boolean) {
    if (loading) return
    loading = true
    render()
    try {
      const page = await ctx.api.audit({
        action: ui.action.value || undefined,
        actor: ui.actor.value.trim() || undefined,
        // Dates are Cixi's days: from the start of the first to the end of the last.
        from: ui.from.value ? new Date(cixiInstantMs(ui.from.value, '00:00')).toISOString() : undefined,
        to: ui.to.value
          ? new Date(cixiInstantMs(ui.to.value, '00:00') + 86_400_000).toISOString()
          : undefined,
        before: fromStart ? undefined : (nextBefore ?? undefined),
        limit: pageSize,
      })
      entries = fromStart ? page.entries : [...entries, ...page.entries]
      nextBefore = page.nextBefore
      loaded = true
    } finally {
      loading = false
      render()
    }
  }

  ui.form.addEventListener('submit', (event) => {
    event.preventDefault()
    void load(true).catch(ctx.fail)
  })
  ui.more.addEventListener('click', () => void load(false).catch(ctx.fail))

  return { render, refresh: () => load(true) }
}
