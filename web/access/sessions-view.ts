import { element } from '../shared/dom.js'
import { cell, row } from '../shared/table-cells.js'
import type { AccessContext } from './access-context.js'
import { sessionKinds, type SessionKind, type SessionRow } from './access-contract.js'
import { button, cixiMoment, emptyRow, headRow, span } from './table-cells.js'

/**
 * Every way in that can be ended: staff sign-ins, guardians' and attendants' phones, bus terminals,
 * issued tokens; filtered by kind, with ended ones on request. An administrator ends one with a
 * reason, which the audit log keeps.
 */
export function createSessionsView(ctx: AccessContext) {
  const ui = {
    table: element<HTMLTableElement>('sessions'),
    kind: element<HTMLSelectElement>('sessions-kind'),
    ended: element<HTMLInputElement>('sessions-ended'),
  }
  let sessions: SessionRow[] = []
  let loaded = false

  function render() {
    const t = ctx.t()
    const h = t.sessionHeaders
    const chosen = ui.kind.value
    ui.kind.replaceChildren(
      ...['', ...sessionKinds].map((kind) => {
        const option = document.createElement('option')
        option.value = kind
        option.textContent = kind ? t.kinds[kind as SessionKind] : t.allKinds
        return option
      }),
    )
    ui.kind.value = chosen
    ui.table
      .createTHead()
      .replaceChildren(
        headRow([
          h.kind,
          h.holder,
          h.device,
          h.created,
          h.lastUsed,
          h.expires,
          h.state,
          ...(ctx.admin ? [h.actions] : []),
        ]),
      )
    const body = ui.table.tBodies[0] ?? ui.table.createTBody()
    if (sessions.length === 0) {
      body.replaceChildren(emptyRow(loaded ? t.noSessions : t.loading, ctx.admin ? 8 : 7))
      return
    }
    body.replaceChildren(
      ...sessions.map((session) => {
        const state = session.revokedAt
          ? span(t.sessionEnded(session.revokedBy ?? '—', session.revokeReason ?? '—'), 'state ended')
          : Date.parse(session.expiresAt) <= Date.now()
            ? span(cixiMoment(session.expiresAt), 'state ended')
            : span(t.sessionOpen, 'state active')
        const tr = row(
          cell('td', t.kinds[session.kind], 'kind'),
          cell('td', session.subjectName, 'holder'),
          cell('td', session.label ?? '—', 'label'),
          cell('td', cixiMoment(session.createdAt), 'time'),
          cell('td', cixiMoment(session.lastUsedAt), 'time'),
          cell('td', cixiMoment(session.expiresAt), 'time'),
          cell('td', state, 'state-cell'),
        )
        if (ctx.admin) {
          const actions = cell('td', '', 'actions')
          if (!session.revokedAt)
            actions.append(button(t.end, () => void end(session).catch(ctx.fail), 'end danger-text'))
          tr.append(actions)
        }
        tr.dataset.id = session.id
        tr.dataset.kind = session.kind
        return tr
      }),
    )
  }

  async function end(session: SessionRow) {
    const t = ctx.t()
    const asked = await ctx.dialogs.ask({
      title: t.endTitle(session.subjectName),
      warning: t.endWarning,
      withReason: true,
    })
    if (!asked) return
    await ctx.api.endSession(session.id, asked.reason)
    ctx.tell(t.ended)
    await refresh()
  }

  async function refresh() {
    const kind = (ui.kind.value || undefined) as SessionKind | undefined
    sessions = await ctx.api.sessions({ kind, includeEnded: ui.ended.checked })
    loaded = true
    render()
  }

  ui.kind.addEventListener('change', () => void refresh().catch(ctx.fail))
  ui.ended.addEventListener('change', () => void refresh().catch(ctx.fail))

  return { render, refresh }
}
