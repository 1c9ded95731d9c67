import { cell, row } from '../shared/table-cells.js'
import type { ScoreHistory, ScorePoint, ScoreRules } from './reports-contract.js'
import type { ReportsText } from './reports-text.js'
import {
  caseWords,
  cixiMinute,
  kindWords,
  removalState,
  removalWords,
  ruleApplied,
  rulePoints,
  stepWords,
  voidedWords,
} from './score-rows.js'

const heading = (tag: 'h3' | 'h4', text: string) =>
  Object.assign(document.createElement(tag), { textContent: text })
const note = (text: string) =>
  Object.assign(document.createElement('p'), { className: 'note', textContent: text })

/** A table with its headers, its rows, and a line in words when it has none. */
function table(className: string, headers: string[], rows: HTMLTableRowElement[], empty: string) {
  const node = Object.assign(document.createElement('table'), { className })
  node.createTHead().append(
    row(
      ...headers.map((words) => {
        const th = cell('th', words)
        th.scope = 'col'
        return th
      }),
    ),
  )
  const body = node.createTBody()
  if (rows.length > 0) body.append(...rows)
  else {
    const none = cell('td', empty, 'empty')
    none.colSpan = headers.length
    body.append(row(none))
  }
  const scroll = Object.assign(document.createElement('div'), { className: 'table-scroll' })
  scroll.append(node)
  return scroll
}

/** Struck through when voided: kept, and marked, never hidden. */
function pointRow(point: ScorePoint, t: ReportsText) {
  const s = t.scores
  const points = document.createElement(point.voided ? 's' : 'span')
  points.textContent = String(point.points)
  const tr = row(
    cell('td', cixiMinute(point.event.ts), 'when'),
    cell('td', kindWords(point.event.kind, t), 'kind'),
    cell('td', point.event.plate ?? point.event.busId, 'bus'),
    cell('td', points, 'num points'),
    cell('td', ruleApplied(point.rule, s), 'rule'),
    cell('td', caseWords(point.case, s), 'alarm'),
    cell('td', voidedWords(point.voided, s), 'voided'),
  )
  tr.dataset.kind = point.event.kind
  tr.dataset.voided = String(point.voided !== null)
  if (point.case) tr.dataset.case = String(point.case.id)
  if (point.voided) tr.className = 'voided'
  return tr
}

/**
 * One subject's history in the cycle shown: the steps reached with their alarm cases, every point
 * with its event, rule and case (voided ones struck through, by whom and when), a driver's removals
 * with who lifted them and why, and the totals of every cycle.
 */
export function historyParts(history: ScoreHistory, t: ReportsText, today: string): HTMLElement[] {
  const s = t.scores
  const h = s.pointHeaders
  const parts: HTMLElement[] = [
    note(s.summary(history.total, history.thresholds.removal, history.voidedPoints, history.cycle)),
  ]

  parts.push(heading('h4', s.reachedHeading))
  const reached = document.createElement('ul')
  reached.className = 'reached-list'
  for (const entry of history.reached) {
    const item = document.createElement('li')
    item.dataset.step = entry.step
    item.dataset.stands = String(entry.stands)
    const words = [stepWords(entry, s), s.reachedAt(cixiMinute(entry.reachedAt), entry.totalThen)]
    words.push(entry.caseId === null ? s.coveredByHigher : s.caseNo(entry.caseId))
    if (!entry.stands && entry.fallenBelowAt) words.push(s.fallenSince(cixiMinute(entry.fallenBelowAt)))
    item.textContent = words.join(' · ')
    reached.append(item)
  }
  parts.push(history.reached.length > 0 ? reached : note(s.noneReached))

  parts.push(heading('h4', s.pointsHeading))
  parts.push(
    table(
      'score-points',
      [h.when, h.kind, h.bus, h.points, h.rule, h.alarm, h.voided],
      history.points.map((point) => pointRow(point, t)),
      s.noPoints,
    ),
  )

  if (history.removals && history.removals.length > 0) {
    const r = s.removalHeaders
    parts.push(heading('h4', s.removalsHeading))
    parts.push(
      table(
        'score-removals',
        [r.cycle, r.removedAt, r.state, r.note],
        history.removals.map((removal) => {
          const tr = row(
            cell('td', s.cycleRange(removal.cycle), 'cycle'),
            cell('td', cixiMinute(removal.removedAt), 'when'),
            cell('td', removalWords(removal, today, s), 'state'),
            cell('td', removal.note ?? '—', 'note'),
          )
          tr.dataset.state = removalState(removal, today)
          return tr
        }),
        '',
      ),
    )
  }

  const c = s.cycleHeaders
  parts.push(heading('h4', s.cyclesHeading))
  parts.push(
    table(
      'score-cycles',
      [c.cycle, c.total, c.voided],
      history.cycles.map((cycle) => {
        const current = cycle.startsOn === history.cycle.startsOn
        const tr = row(
          cell('td', `${s.cycleRange(cycle)}${current ? s.thisCycle : ''}`, 'cycle'),
          cell('td', String(cycle.total), 'num'),
          cell('td', String(cycle.voidedPoints), 'num'),
        )
        tr.dataset.startsOn = cycle.startsOn
        return tr
      }),
      s.noPoints,
    ),
  )
  return parts
}

/** The score table, read-only: each kind in words, its points or bands, and whom it charges. */
export function rulesParts(rules: ScoreRules, t: ReportsText): HTMLElement[] {
  const s = t.scores
  const voiding = rules.voidingOutcomes.map((outcome) => s.outcomes[outcome] ?? outcome.replace(/_/g, ' '))
  const rows = rules.rules.map((rule) => {
    const tr = row(
      cell('td', kindWords(rule.kind, t), 'kind'),
      cell('td', rulePoints(rule, s), 'points'),
      cell('td', s.charged(rule.subjects.map((subject) => s.subjects[subject])), 'subjects'),
      cell('td', rule.basis ?? '—', 'basis'),
    )
    tr.dataset.kind = rule.kind
    return tr
  })
  const h = s.ruleHeaders
  return [
    note(s.rulesIntro(rules.cycleStartMonth, voiding)),
    table('score-rules', [h.kind, h.points, h.subjects, h.basis], rows, s.noRules),
  ]
}
