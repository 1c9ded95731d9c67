import { alarmOutcomes, type AlarmOutcome } from '../../server/core/alarms/alarm-case.js'
import { mayWorkAlarmCase, type AlarmCaseCommand } from '../../server/core/alarms/alarm-case-rules.js'
import { element, setText } from '../shared/dom.js'
import type { AlarmCase, AlarmDetail, Assignee } from './bureau-contract.js'
import { cixiClock, failureText, type BureauContext } from './bureau-context.js'
import { fact, pill } from './bus-panel.js'
import { kindText, type BureauText } from './bureau-text.js'
import { renderSpeedChart } from './speed-chart.js'

const item = (text: string, className?: string) =>
  Object.assign(document.createElement('li'), { textContent: text, ...(className ? { className } : {}) })

/** Whom a case may go to: any bureau account; a school's, for a case of its school that is not critical. */
export function eligibleAssignees(
  assignees: readonly Assignee[],
  alarm: Pick<AlarmCase, 'schoolIds' | 'severity'>,
) {
  return assignees.filter(
    (account) =>
      account.role === 'bureau' ||
      (alarm.severity !== 'critical' &&
        account.schoolId !== null &&
        alarm.schoolIds.includes(account.schoolId)),
  )
}

/**
 * One alarm case in the detail panel: what, where and when, the speed trace around it as a small
 * chart, the bus's driver, attendant and police contact, its history and notes; and what the
 * signed-in person may do to it (acknowledge, assign, add a note, close with an outcome), a
 * refusal worded in the page's language beside the actions.
 */
export function createCasePanel(ctx: BureauContext, hooks: { changed(alarm: AlarmCase): void }) {
  const ui = {
    panel: element('case-panel'),
    title: element('case-title'),
    refused: element('case-refused'),
    facts: element('case-facts'),
    acknowledge: element<HTMLButtonElement>('case-acknowledge'),
    assignForm: element<HTMLFormElement>('case-assign-form'),
    assignee: element<HTMLSelectElement>('case-assignee'),
    noteForm: element<HTMLFormElement>('case-note-form'),
    note: element<HTMLTextAreaElement>('case-note'),
    closeForm: element<HTMLFormElement>('case-close-form'),
    outcome: element<HTMLSelectElement>('case-outcome'),
    closingText: element<HTMLTextAreaElement>('case-closing-text'),
    where: element('case-where'),
    trace: element('case-trace'),
    contacts: element('case-contacts'),
    history: element('case-history'),
    notes: element('case-notes'),
  }
  let detail: AlarmDetail | null = null
  let assignees: Assignee[] = []
  let busy = false

  const may = (command: AlarmCaseCommand['kind']) =>
    !!detail &&
    detail.alarm.state !== 'closed' &&
    mayWorkAlarmCase(ctx.role, detail.alarm.severity, command).allowed

  const refuse = (message: string | null) => {
    ui.refused.hidden = message === null
    setText(ui.refused, message ?? '')
  }

  /** Does one command, shows the case as it is after it, and says so; a refusal stays beside the actions. */
  const act = async (done: keyof BureauText['done'], work: (id: number) => Promise<{ alarm: AlarmCase }>) => {
    if (!detail || busy) return
    busy = true
    refuse(null)
    const id = detail.alarm.id
    try {
      const { alarm } = await work(id)
      hooks.changed(alarm)
      ctx.tell(`${ctx.t().done[done]} · ${kindText(ctx.t(), alarm.kind)} · ${alarm.plate ?? alarm.busId}`)
      await load(id)
    } catch (error) {
      refuse(failureText(error, ctx.t()))
      ui.refused.dataset.reason = (error as { reason?: string | null }).reason ?? ''
      // The case may have moved on meanwhile (closed by someone else): show it as it is now.
      await load(id).catch(() => undefined)
    } finally {
      busy = false
    }
  }

  ui.acknowledge.addEventListener('click', () => void act('acknowledged', (id) => ctx.api.acknowledge(id)))
  ui.assignForm.addEventListener('submit', (event) => {
    event.preventDefault()
    const assignee = ui.assignee.value
    if (assignee) void act('assigned', (id) => ctx.api.assign(id, assignee))
  })
  ui.noteForm.addEventListener('submit', (event) => {
    event.preventDefault()
    const text = ui.note.value.trim()
    if (!text) return ui.note.focus()
    void act('noted', async (id) => {
      const answer = await ctx.api.addNote(id, text)
      ui.note.value = ''
      return answer
    })
  })
  ui.closeForm.addEventListener('submit', (event) => {
    event.preventDefault()
    const text = ui.closingText.value.trim()
    const outcome = ui.outcome.value as AlarmOutcome
    if (!text) return ui.closingText.focus()
    void act('closed', async (id) => {
      const answer = await ctx.api.close(id, outcome, text)
      ui.closingText.value = ''
      return answer
    })
  })

  function render() {
    if (!detail) return
    const t = ctx.t()
    const { alarm, evidence, history, notes } = detail
    setText(ui.title, t.caseTitle(kindText(t, alarm.kind), alarm.plate ?? alarm.busId))
    ui.panel.dataset.caseId = String(alarm.id)
    ui.panel.dataset.state = alarm.state
    ui.panel.dataset.severity = alarm.severity
    const levelOf = { critical: 'bad', major: 'warn', minor: 'none' } as const
    ui.facts.replaceChildren(
      fact('severity', t.severityLabel, pill(t.severities[alarm.severity], levelOf[alarm.severity])),
      fact('raised', t.raisedLabel, cixiClock(Date.parse(alarm.raisedAt))),
      fact(
        'state',
        t.stateNow,
        [
          t.caseStates[alarm.state],
          ...(alarm.acknowledgedBy ? [t.acknowledgedBy(alarm.acknowledgedBy)] : []),
          ...(alarm.assignedTo ? [t.assignedTo(alarm.assignedTo)] : []),
          ...(alarm.escalationLevel > 0 ? [t.escalated(alarm.escalationLevel)] : []),
        ].join(' · '),
      ),
      ...(alarm.state === 'closed' && alarm.outcome
        ? [fact('outcome', t.outcomeLabel, t.closedWith(t.outcomes[alarm.outcome], alarm.closingText ?? ''))]
        : []),
    )

    ui.acknowledge.hidden = !(alarm.state === 'open' && may('acknowledge'))
    ui.assignForm.hidden = !may('assign')
    ui.noteForm.hidden = !may('note')
    ui.closeForm.hidden = !may('close')
    const eligible = eligibleAssignees(assignees, alarm)
    const chosen = ui.assignee.value
    ui.assignee.replaceChildren(
      ...eligible.map((account) =>
        Object.assign(document.createElement('option'), {
          value: account.username,
          textContent: `${account.displayName} (${account.username})`,
        }),
      ),
    )
    if (eligible.some((account) => account.username === chosen)) ui.assignee.value = chosen
    else if (alarm.assignedTo && eligible.some((a) => a.username === alarm.assignedTo))
      ui.assignee.value = alarm.assignedTo
    ui.assignForm.querySelector('button')!.disabled = eligible.length === 0
    ui.assignee.title = eligible.length === 0 ? t.noAssignees : ''
    const outcome = ui.outcome.value
    ui.outcome.replaceChildren(
      ...alarmOutcomes.map((value) =>
        Object.assign(document.createElement('option'), { value, textContent: t.outcomes[value] }),
      ),
    )
    if (outcome) ui.outcome.value = outcome

    const where = evidence.where
    setText(
      ui.where,
      where
        ? `${cixiClock(Date.parse(where.ts))} · ${where.lat.toFixed(5)}, ${where.lon.toFixed(5)}`
        : t.whereNone,
    )
    const points = evidence.speedTrace.points
    const limit = evidence.event?.details.limitKmh
    ui.trace.replaceChildren(
      points.length === 0
        ? Object.assign(document.createElement('p'), { className: 'note', textContent: t.traceNone })
        : renderSpeedChart(points, {
            limitKmh: typeof limit === 'number' ? limit : null,
            label: `${t.traceTitle}${typeof limit === 'number' ? ` · ${t.traceLimit(limit)}` : ''}`,
            timeOf: (ms) => cixiClock(ms),
          }),
    )
    ui.contacts.replaceChildren(
      ...(evidence.contacts.length === 0
        ? [item(t.noContacts, 'empty')]
        : evidence.contacts.map((contact) => {
            const row = item(`${t.contactRoles[contact.role] ?? contact.role}: ${contact.name}`)
            row.dataset.role = contact.role
            if (contact.phone) {
              const phone = document.createElement('a')
              phone.href = `tel:${contact.phone}`
              phone.textContent = contact.phone
              row.append(' · ', phone)
            }
            if (contact.unit) row.append(` · ${contact.unit}`)
            return row
          })),
    )
    ui.history.replaceChildren(
      ...history.map((entry) => {
        const row = item(
          `${cixiClock(Date.parse(entry.at))} ${t.historyActions[entry.action] ?? entry.action} · ${entry.actor}`,
        )
        row.dataset.action = entry.action
        return row
      }),
    )
    ui.notes.replaceChildren(
      ...(notes.length === 0
        ? [item(t.noNotes, 'empty')]
        : notes.map((note) => {
            const row = item(`${cixiClock(Date.parse(note.at))} ${note.author}: ${note.text}`)
            row.dataset.noteId = String(note.id)
            return row
          })),
    )
  }

  async function load(id: number) {
    const answer = await ctx.api.alarm(id)
    if (ui.panel.dataset.openId !== String(id)) return
    detail = answer
    render()
    ctx.map.showCasePlace(answer.evidence.where, ctx.t().whereTitle)
    ui.panel.dataset.loaded = 'true'
  }

  return {
    get caseId() {
      return detail?.alarm.id ?? null
    },
    setAssignees(list: Assignee[]) {
      assignees = list
      render()
    },
    async open(id: number) {
      ui.panel.hidden = false
      ui.panel.dataset.openId = String(id)
      ui.panel.dataset.loaded = 'false'
      refuse(null)
      if (detail?.alarm.id !== id) {
        detail = null
        setText(ui.title, ctx.t().loading)
        ui.facts.replaceChildren()
      }
      await load(id)
    },
    close() {
      detail = null
      ui.panel.hidden = true
      delete ui.panel.dataset.openId
      ctx.map.showCasePlace(null, '')
    },
    render,
    /** The case changed live: its detail is read again (its history and notes with it). */
    async changed(alarm: AlarmCase) {
      if (detail?.alarm.id === alarm.id && !busy) await load(alarm.id)
    },
  }
}
