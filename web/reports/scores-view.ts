import { element, setText } from '../shared/dom.js'
import { signInAgainIf } from '../shared/staff-session.js'
import { cell, row } from '../shared/table-cells.js'
import { failureText, type PageContext } from './page-context.js'
import { createReinstateDialog } from './reinstate-dialog.js'
import type { ScoreBoard, ScoreHistory, ScoreRules, SubjectScore } from './reports-contract.js'
import { historyParts, rulesParts } from './score-history.js'
import { busWords, filterScores, mayReinstate, stepWords } from './score-rows.js'
import type { SubjectFilter } from './score-text.js'

const filters: readonly SubjectFilter[] = ['all', 'driver', 'company']
const columns = 7
const option = (value: string, text: string) =>
  Object.assign(document.createElement('option'), { value, text })
const sameSubject = (a: { subject: string; key: string } | null, b: { subject: string; key: string }) =>
  a !== null && a.subject === b.subject && a.key === b.key

/**
 * The score tab: every driver and company the reader answers for with its total in today's cycle,
 * highest first, the steps reached in words at the server's thresholds, a driver off school-bus duty
 * marked red; a row opens its history in place, where the bureau may reinstate a removed driver; the
 * score table below, read-only, for the bureau (whose table it is).
 */
export function createScoresView(ctx: PageContext) {
  const ui = {
    intro: element('scores-intro'),
    cycle: element('scores-cycle'),
    filterField: element('score-filter-field'),
    filter: element<HTMLSelectElement>('score-filter'),
    status: element('scores-status'),
    table: element<HTMLTableElement>('score-board'),
    rulesSection: element('score-rules-section'),
    rules: element('score-rules-body'),
  }
  let board: ScoreBoard | null = null
  let rules: ScoreRules | null = null
  let loading = false
  let failure: unknown = null
  let notice: { text: string; kind: 'done' | 'error' } | null = null
  let open: { subject: SubjectScore['subject']; key: string } | null = null
  let history: ScoreHistory | null = null
  let historyFailure: unknown = null
  let historyPanel: HTMLElement | null = null
  let asked = 0
  let askedHistory = 0

  const dialog = createReinstateDialog(ctx, {
    reinstated(driver) {
      notice = { text: ctx.t().scores.reinstated(driver.name), kind: 'done' }
      void load()
    },
    stale: () => void load(),
  })

  function renderControls() {
    const s = ctx.t().scores
    for (const node of document.querySelectorAll<HTMLElement>('[data-score-text]')) {
      const value = s[node.dataset.scoreText as keyof typeof s]
      if (typeof value === 'string') setText(node, value)
    }
    const chosen = ui.filter.value || 'all'
    ui.filter.replaceChildren(...filters.map((filter) => option(filter, s.filters[filter])))
    ui.filter.value = chosen
    // A school reads only the drivers of its buses: there is nothing to choose.
    ui.filterField.hidden = ctx.role !== 'bureau'
    setText(ui.intro, board ? s.intro(board.thresholds) : '')
    setText(ui.cycle, board ? s.cycle(board.cycle) : '')
    ui.status.hidden = notice === null
    ui.status.className = `status ${notice?.kind ?? ''}`
    setText(ui.status, notice?.text ?? '')
  }

  function scoreRow(score: SubjectScore, of: number, plates: ReadonlyMap<string, string>) {
    const t = ctx.t()
    const s = t.scores
    const expanded = sameSubject(open, score)
    const who = Object.assign(document.createElement('button'), {
      type: 'button',
      className: 'subject-link',
      textContent: score.name,
      title: s.openHistory(score.name),
    })
    who.setAttribute('aria-expanded', String(expanded))
    const whoCell = cell('td', who, 'who')
    if (score.subject === 'driver')
      whoCell.append(
        ' ',
        Object.assign(document.createElement('small'), { className: 'code', textContent: score.key }),
      )
    const reached = document.createElement('span')
    reached.className = 'steps'
    for (const entry of score.reached) {
      const badge = document.createElement('span')
      badge.className = `step ${entry.step}${entry.stands ? '' : ' fallen'}`
      badge.dataset.step = entry.step
      badge.textContent = entry.stands ? stepWords(entry, s) : `${stepWords(entry, s)} · ${s.fallenBelow}`
      reached.append(badge)
    }
    const standing = score.removed
      ? Object.assign(document.createElement('span'), { className: 'level red', textContent: s.removed })
      : '—'
    const tr = row(
      cell('td', s.subjects[score.subject], 'subject'),
      whoCell,
      cell('td', busWords(score, plates, s), 'bus'),
      cell('td', s.totalOf(score.total, of), 'num total'),
      cell('td', String(score.voidedPoints), 'num voided'),
      cell('td', score.reached.length > 0 ? reached : '—', 'reached'),
      cell('td', standing, 'standing-cell'),
    )
    tr.className = `score-row${score.removed ? ' score-removed' : ''}${expanded ? ' open' : ''}`
    tr.dataset.subject = score.subject
    tr.dataset.key = score.key
    tr.dataset.total = String(score.total)
    tr.dataset.removed = String(score.removed === true)
    tr.addEventListener('click', () => toggle(score))
    return tr
  }

  function renderBoard() {
    const t = ctx.t()
    const h = t.scores.headers
    ui.table.setAttribute('aria-busy', String(loading))
    ui.table.setAttribute('aria-label', t.scores.boardLabel)
    ui.table.createTHead().replaceChildren(
      row(
        ...[h.subject, h.who, h.bus, h.total, h.voided, h.reached, h.standing].map((words) => {
          const th = cell('th', words)
          th.scope = 'col'
          return th
        }),
      ),
    )
    const body = ui.table.tBodies[0] ?? ui.table.createTBody()
    const shown = board ? filterScores(board.scores, ui.filter.value as SubjectFilter) : []
    historyPanel = null
    if (shown.length === 0) {
      const empty = cell(
        'td',
        loading ? t.loading : failure ? failureText(failure, t) : t.scores.noScores,
        'empty',
      )
      empty.colSpan = columns
      body.replaceChildren(row(empty))
      return
    }
    const plates = new Map((ctx.compliance()?.buses ?? []).map((bus) => [bus.busId, bus.plate]))
    const rows: HTMLTableRowElement[] = []
    for (const score of shown) {
      rows.push(scoreRow(score, board!.thresholds.removal, plates))
      if (!sameSubject(open, score)) continue
      historyPanel = Object.assign(document.createElement('div'), {
        id: 'score-history',
        className: 'score-history',
      })
      const td = cell('td', historyPanel, 'history-cell')
      td.colSpan = columns
      const tr = row(td)
      tr.className = 'score-history-row'
      rows.push(tr)
    }
    body.replaceChildren(...rows)
    renderHistory()
  }

  function renderHistory() {
    if (!historyPanel || !open) return
    const t = ctx.t()
    const s = t.scores
    historyPanel.setAttribute('aria-busy', String(history === null && historyFailure === null))
    const head = Object.assign(document.createElement('div'), { className: 'history-head' })
    const title = Object.assign(document.createElement('h3'), {
      textContent: s.historyTitle(history?.name ?? open.key),
    })
    head.append(title)
    if (history && mayReinstate(ctx.role, history)) {
      const { key, name } = history
      const reinstate = Object.assign(document.createElement('button'), {
        type: 'button',
        id: 'score-reinstate',
        className: 'danger',
        textContent: s.reinstate,
      })
      reinstate.addEventListener('click', () => dialog.open({ key, name }))
      head.append(reinstate)
    }
    const parts: HTMLElement[] = [head]
    if (history) parts.push(...historyParts(history, t, ctx.today))
    else {
      const line = historyFailure ? failureText(historyFailure, t, s.refusalCodes) : t.loading
      parts.push(
        Object.assign(document.createElement('p'), {
          className: historyFailure ? 'status error' : 'note',
          textContent: line,
        }),
      )
    }
    historyPanel.replaceChildren(...parts)
  }

  function renderRules() {
    ui.rulesSection.hidden = ctx.role !== 'bureau' || rules === null
    if (rules) ui.rules.replaceChildren(...rulesParts(rules, ctx.t()))
  }

  function render() {
    renderControls()
    renderBoard()
    renderRules()
    dialog.render()
  }

  async function loadHistory() {
    const mine = ++askedHistory
    const who = open
    historyFailure = null
    if (!who) return
    try {
      const answer = await ctx.api.scoreHistory(who.subject, who.key)
      if (mine === askedHistory) history = answer
    } catch (error) {
      if (mine !== askedHistory || signInAgainIf(error)) return
      history = null
      historyFailure = error
    }
    if (mine === askedHistory) renderHistory()
  }

  function toggle(score: SubjectScore) {
    notice = null
    open = sameSubject(open, score) ? null : { subject: score.subject, key: score.key }
    history = null
    historyFailure = null
    askedHistory++
    render()
    if (open) void loadHistory()
  }

  /** The board, the open history and the bureau's table, read again. */
  async function load() {
    const mine = ++asked
    loading = true
    failure = null
    renderControls()
    renderBoard()
    const reading = open ? loadHistory() : Promise.resolve()
    const table = ctx.role === 'bureau' && rules === null ? ctx.api.scoreRules().catch(() => null) : null
    try {
      const answer = await ctx.api.scores()
      if (mine === asked) board = answer
    } catch (error) {
      if (mine !== asked || signInAgainIf(error)) return
      board = null
      failure = error
    } finally {
      if (mine === asked) {
        loading = false
        if (table) rules = await table
        await reading
        render()
      }
    }
  }

  ui.filter.addEventListener('change', renderBoard)

  return { render, refresh: load }
}
