import {
  alarmSeverities,
  type AlarmCaseState,
  type AlarmSeverity,
} from '../../server/core/alarms/alarm-case.js'
import { element, setText } from '../shared/dom.js'
import type { AlarmCase } from './bureau-contract.js'
import { cixiClock, type BureauContext } from './bureau-context.js'
import { kindText, type CaseStateChoice } from './bureau-text.js'
import { applyCaseChange, orderCases, unfinishedCases, type CaseFilter } from './case-order.js'

const stateChoices: CaseStateChoice[] = ['unfinished', 'open', 'acknowledged', 'assigned', 'closed', 'all']

function statesOf(choice: CaseStateChoice): AlarmCaseState[] {
  if (choice === 'unfinished') return [...unfinishedCases.states]
  if (choice === 'all') return []
  return [choice]
}

function option(value: string, label: string) {
  const node = document.createElement('option')
  node.value = value
  node.textContent = label
  return node
}

/**
 * The alarm inbox tab: the cases the filters ask the server for (unfinished ones at first), in the
 * inbox's order (case-order.ts), each new or changed case taken in live; a case escalated for want
 * of an acknowledgement is flagged. A click opens the case with its evidence.
 */
export function createInboxView(ctx: BureauContext) {
  const ui = {
    state: element<HTMLSelectElement>('case-filter-state'),
    severity: element<HTMLSelectElement>('case-filter-severity'),
    kind: element<HTMLSelectElement>('case-filter-kind'),
    list: element('case-list'),
    count: element('case-count'),
    tabCount: element('inbox-count'),
  }
  let filter: CaseFilter = unfinishedCases
  let cases: AlarmCase[] = []
  let catalogue: string[] = []
  let loaded = false
  let picked: number | null = null

  const readFilter = (): CaseFilter => ({
    states: statesOf((ui.state.value || 'unfinished') as CaseStateChoice),
    severities: ui.severity.value ? [ui.severity.value as AlarmSeverity] : [],
    kinds: ui.kind.value ? [ui.kind.value] : [],
  })
  for (const select of [ui.state, ui.severity, ui.kind])
    select.addEventListener('change', () => void refresh().catch(ctx.fail))

  const rowOf = (alarm: AlarmCase) => {
    const t = ctx.t()
    const button = document.createElement('button')
    button.type = 'button'
    button.className = 'case-row'
    button.dataset.caseId = String(alarm.id)
    button.dataset.state = alarm.state
    button.dataset.severity = alarm.severity
    button.dataset.kind = alarm.kind
    button.dataset.busId = alarm.busId
    button.setAttribute('aria-pressed', String(alarm.id === picked))
    const severity = document.createElement('span')
    severity.className = `severity ${alarm.severity}`
    severity.textContent = t.severities[alarm.severity]
    const title = document.createElement('span')
    title.className = 'case-kind'
    title.textContent = `${kindText(t, alarm.kind)} · ${alarm.plate ?? alarm.busId}`
    const line = document.createElement('span')
    line.className = 'case-line'
    line.textContent = [
      cixiClock(Date.parse(alarm.raisedAt)),
      t.caseStates[alarm.state],
      ...(alarm.assignedTo ? [t.assignedTo(alarm.assignedTo)] : []),
    ].join(' · ')
    button.append(severity, title, line)
    if (alarm.escalationLevel > 0) {
      button.dataset.escalated = String(alarm.escalationLevel)
      const flag = document.createElement('span')
      flag.className = 'escalated'
      flag.textContent = t.escalated(alarm.escalationLevel)
      button.append(flag)
    }
    button.addEventListener('click', () => ctx.openCase(alarm.id))
    const item = document.createElement('li')
    item.append(button)
    return item
  }

  function render() {
    const t = ctx.t()
    const keep = (select: HTMLSelectElement, choices: HTMLOptionElement[]) => {
      const chosen = select.value
      select.replaceChildren(...choices)
      if (choices.some((choice) => choice.value === chosen)) select.value = chosen
    }
    keep(
      ui.state,
      stateChoices.map((choice) => option(choice, t.caseStates[choice])),
    )
    keep(ui.severity, [
      option('', t.anySeverity),
      ...alarmSeverities.map((severity) => option(severity, t.severities[severity])),
    ])
    const kinds = [...new Set([...catalogue, ...cases.map((alarm) => alarm.kind)])].sort((a, b) =>
      kindText(t, a).localeCompare(kindText(t, b)),
    )
    keep(ui.kind, [option('', t.anyKind), ...kinds.map((kind) => option(kind, kindText(t, kind)))])
    const unfinished = cases.filter((alarm) => alarm.state !== 'closed').length
    setText(ui.tabCount, unfinished > 0 ? String(unfinished) : '')
    ui.tabCount.hidden = unfinished === 0
    if (!loaded) {
      setText(ui.count, t.loading)
      return
    }
    setText(ui.count, String(cases.length))
    if (cases.length === 0) {
      const empty = document.createElement('li')
      empty.className = 'empty'
      empty.textContent = t.noCases
      ui.list.replaceChildren(empty)
    } else ui.list.replaceChildren(...cases.map(rowOf))
  }

  async function refresh() {
    filter = readFilter()
    const asked = filter
    const answer = await ctx.api.alarms(asked)
    if (asked !== filter) return
    cases = orderCases(answer)
    loaded = true
    render()
  }

  return {
    render,
    refresh,
    /** The catalogue's kinds (the bureau's), offered in the kind filter beside those of the cases. */
    setCatalogue(kinds: string[]) {
      catalogue = kinds
      render()
    },
    /** A case opened or changed, live. */
    take(alarm: AlarmCase) {
      if (!loaded) return
      cases = applyCaseChange(cases, filter, alarm)
      render()
    },
    pick(id: number | null) {
      picked = id
      for (const row of ui.list.querySelectorAll<HTMLElement>('.case-row'))
        row.setAttribute('aria-pressed', String(row.dataset.caseId === String(id)))
    },
  }
}
