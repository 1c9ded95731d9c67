import { element, setText } from '../shared/dom.js'
import { signInAgainIf } from '../shared/staff-session.js'
import { cell, row } from '../shared/table-cells.js'
import { countLevels, countStandingsOf, filterFindings, levelsOf, ruleWords } from './compliance-rows.js'
import { failureText, type PageContext } from './page-context.js'
import { isPeriodDate } from './report-query.js'
import {
  complianceLevels,
  complianceSubjects,
  type Compliance,
  type Finding,
  type Subject,
} from './reports-contract.js'
import type { LevelFilter } from './compliance-text.js'
import { downloadWith } from './save-download.js'

const levelFilters: readonly LevelFilter[] = ['all', 'red', 'amber']
const option = (value: string, text: string) =>
  Object.assign(document.createElement('option'), { value, text })

/**
 * The compliance tab: the register's findings on a day (today by the server's clock), worst first,
 * filtered by level and by subject, with the count at each level and every bus's and person's
 * standing; downloaded as a workbook or CSV at the chosen levels. A level is written out in words
 * beside its colour.
 */
export function createComplianceView(ctx: PageContext, onToday: (compliance: Compliance) => void) {
  const ui = {
    date: element<HTMLInputElement>('compliance-date'),
    level: element<HTMLSelectElement>('compliance-level'),
    subject: element<HTMLSelectElement>('compliance-subject'),
    counts: element('compliance-counts'),
    standing: element('compliance-standing'),
    xlsx: element<HTMLButtonElement>('compliance-xlsx'),
    csv: element<HTMLButtonElement>('compliance-csv'),
    status: element('compliance-status'),
    table: element<HTMLTableElement>('findings'),
  }
  let date = ctx.today
  let compliance: Compliance | null = null
  let loading = false
  let failure: unknown = null
  let asked = 0

  function renderControls() {
    const c = ctx.t().compliance
    for (const node of document.querySelectorAll<HTMLElement>('[data-compliance-text]')) {
      const value = c[node.dataset.complianceText as keyof typeof c]
      if (typeof value === 'string') setText(node, value)
    }
    const level = ui.level.value || 'all'
    ui.level.replaceChildren(...levelFilters.map((filter) => option(filter, c.levelFilters[filter])))
    ui.level.value = level
    const subject = ui.subject.value || 'all'
    ui.subject.replaceChildren(
      option('all', c.allSubjects),
      ...complianceSubjects.map((name) => option(name, c.subjects[name])),
    )
    ui.subject.value = subject
    ui.date.value = date
  }

  function levelBadge(finding: Finding) {
    const badge = Object.assign(document.createElement('span'), {
      className: `level ${finding.level}`,
      textContent: ctx.t().compliance.levels[finding.level],
    })
    return badge
  }

  function findingRow(finding: Finding) {
    const c = ctx.t().compliance
    const who = document.createElement('span')
    if (finding.subject === 'bus') who.textContent = finding.key
    else {
      who.textContent = finding.name ?? finding.key
      who.append(
        ' ',
        Object.assign(document.createElement('small'), { className: 'code', textContent: finding.key }),
      )
    }
    const tr = row(
      cell('td', c.subjects[finding.subject], 'subject'),
      cell('td', who, 'who'),
      cell('td', finding.busPlate ?? '—', 'bus'),
      cell('td', ruleWords(finding.rule, c), 'rule'),
      cell('td', finding.dueDate ?? '—', 'date'),
      cell('td', c.daysLeft(finding.daysLeft), 'days'),
      cell('td', levelBadge(finding), 'level-cell'),
    )
    tr.className = `level-${finding.level}`
    tr.dataset.level = finding.level
    tr.dataset.subject = finding.subject
    tr.dataset.key = finding.key
    tr.dataset.rule = finding.rule
    return tr
  }

  function renderFindings() {
    const t = ctx.t()
    const c = t.compliance
    const h = c.findingHeaders
    ui.table.setAttribute('aria-busy', String(loading))
    const head = row(
      ...[h.subject, h.who, h.bus, h.rule, h.dueDate, h.daysLeft, h.level].map((words) => {
        const th = cell('th', words)
        th.scope = 'col'
        return th
      }),
    )
    ui.table.createTHead().replaceChildren(head)
    const body = ui.table.tBodies[0] ?? ui.table.createTBody()
    const shown = compliance
      ? filterFindings(compliance.findings, {
          level: ui.level.value as LevelFilter,
          subject: ui.subject.value as Subject | 'all',
        })
      : []
    if (shown.length === 0) {
      const empty = cell('td', loading ? t.loading : c.noFindings, 'empty')
      empty.colSpan = 7
      body.replaceChildren(row(empty))
    } else body.replaceChildren(...shown.map(findingRow))

    const counts = countLevels(compliance?.findings ?? [])
    ui.counts.setAttribute('aria-label', c.countsLabel)
    ui.counts.replaceChildren(
      ...complianceLevels.map((level) => {
        const item = document.createElement('li')
        item.className = `level ${level}`
        item.dataset.level = level
        item.textContent = c.levelCount(c.levels[level], counts[level])
        return item
      }),
    )
    if (compliance) {
      const standing = countStandingsOf(compliance)
      setText(ui.standing, c.standingSummary(standing.buses, standing.staff))
    }
    ui.standing.hidden = compliance === null
    if (failure !== null && !loading) {
      ui.status.hidden = false
      ui.status.classList.add('error')
      setText(ui.status, failureText(failure, t))
    }
  }

  function render() {
    renderControls()
    renderFindings()
  }

  async function load() {
    const mine = ++asked
    loading = true
    failure = null
    ui.status.hidden = true
    render()
    try {
      const answer = await ctx.api.compliance(date)
      if (mine !== asked) return
      compliance = answer
      if (date === ctx.today) onToday(answer)
    } catch (error) {
      if (mine !== asked || signInAgainIf(error)) return
      compliance = null
      failure = error
    } finally {
      if (mine === asked) {
        loading = false
        render()
      }
    }
  }

  /** The files at the chosen levels (the server's `level`: that one or worse), on the chosen day. */
  const fileParams = () => {
    const params = new URLSearchParams({ date })
    const filter = ui.level.value as LevelFilter
    if (filter !== 'all') params.set('level', levelsOf(filter).at(-1)!)
    return params
  }

  ui.date.addEventListener('change', () => {
    if (!isPeriodDate('day', ui.date.value)) return
    date = ui.date.value
    void load()
  })
  ui.level.addEventListener('change', renderFindings)
  ui.subject.addEventListener('change', renderFindings)
  ui.xlsx.addEventListener('click', () => {
    const path = `/api/compliance.xlsx?${fileParams()}`
    void downloadWith(ctx, ui.xlsx, ui.status, () => ctx.api.download(path, `compliance-${date}.xlsx`))
  })
  ui.csv.addEventListener('click', () => {
    const path = `/api/compliance.csv?${fileParams()}`
    void downloadWith(ctx, ui.csv, ui.status, () => ctx.api.download(path, `compliance-${date}.csv`))
  })

  return { render, refresh: load }
}
