import { ApiRejected } from '../shared/api-client.js'
import { element } from '../shared/dom.js'
import { cell, row } from '../shared/table-cells.js'
import type { AccessContext } from './access-context.js'
import type { Terminal } from './access-contract.js'
import { button, cixiMoment, emptyRow, headRow } from './table-cells.js'

/**
 * The buses' terminal credentials: when each was issued and last used, and rotating one (the new
 * password shown once, the old credential stopping at once).
 */
export function createTerminalsView(ctx: AccessContext) {
  const ui = {
    table: element<HTMLTableElement>('terminals'),
    missing: element('terminals-missing'),
  }
  let terminals: Terminal[] = []
  let loaded = false

  function render() {
    const t = ctx.t()
    const h = t.terminalHeaders
    ui.table.hidden = !ui.missing.hidden
    ui.table
      .createTHead()
      .replaceChildren(headRow([h.plate, h.terminalNo, h.created, h.lastUsed, h.expires, h.actions]))
    const body = ui.table.tBodies[0] ?? ui.table.createTBody()
    if (terminals.length === 0) {
      body.replaceChildren(emptyRow(loaded ? t.noTerminals : t.loading, 6))
      return
    }
    body.replaceChildren(
      ...terminals.map((terminal) => {
        const tr = row(
          cell('td', terminal.plate, 'plate'),
          cell('td', terminal.terminalNo ?? '—', 'terminal-no'),
          cell('td', terminal.sessionId ? cixiMoment(terminal.createdAt) : t.noCredential, 'time'),
          cell('td', cixiMoment(terminal.lastUsedAt), 'time'),
          cell('td', cixiMoment(terminal.expiresAt), 'time'),
          cell(
            'td',
            button(t.rotate, () => void rotate(terminal).catch(ctx.fail), 'rotate danger-text'),
            'actions',
          ),
        )
        tr.dataset.busId = terminal.busId
        return tr
      }),
    )
  }

  async function rotate(terminal: Terminal) {
    const t = ctx.t()
    const asked = await ctx.dialogs.ask({
      title: t.rotateTitle(terminal.plate),
      warning: t.rotateWarning,
      withReason: false,
    })
    if (!asked) return
    const rotated = await ctx.api.rotateTerminal(terminal.busId)
    const f = t.credentialFields
    ctx.dialogs.showSecret({
      title: t.rotatedTitle(terminal.plate),
      note: t.rotatedNote,
      values: [
        [f.username, rotated.username, 'username'],
        [f.clientId, rotated.clientId, 'clientId'],
        [f.password, rotated.password, 'password'],
        [f.expiresAt, cixiMoment(rotated.expiresAt), 'expiresAt'],
      ],
    })
    await refresh()
  }

  async function refresh() {
    try {
      terminals = await ctx.api.terminals()
      ui.missing.hidden = true
    } catch (error) {
      // A platform without the terminal credentials API answers 404: said so, not as a failure.
      if (!(error instanceof ApiRejected) || error.status !== 404) throw error
      ui.missing.hidden = false
      terminals = []
    }
    loaded = true
    render()
  }

  return { render, refresh }
}
