import { AccessRefused } from '../shared/api-client.js'
import { setText } from '../shared/dom.js'
import { signInAgainIf } from '../shared/staff-session.js'
import { renderComparison } from './compare-table.js'
import { renderLineList } from './line-list.js'
import { fillComparePicks, planLabel, renderSideBySide } from './plan-comparison.js'
import type { ErrorKind } from './planner-text.js'
import { densityCellM, opened, page, schoolName, setBase, state, text, ui } from './planner-state.js'
import { fillSchoolSelect, fillTimeChoices } from './school-choices.js'
import { renderProposal, renderWhatIf } from './shift-results.js'
import { renderUnserved } from './unserved-list.js'

export function refuse(kind: ErrorKind) {
  clearTimeout(state.pollTimer)
  page.refuse(kind)
}

export function fail(error: unknown) {
  if (signInAgainIf(error)) return
  if (error instanceof AccessRefused) return refuse(error.kind)
  showMessage(error instanceof Error ? error.message : String(error))
}

export function showMessage(message: string | null) {
  ui.message.hidden = message === null
  setText(ui.message, message ?? '')
}

export function renderStatic() {
  page.renderStatic()
  setText(ui.legendDensity, text().legendDensity(state.density?.cellM ?? densityCellM))
}

export function renderPlanList() {
  const t = text()
  if (state.plans.length === 0) {
    ui.planList.replaceChildren(Object.assign(document.createElement('li'), { textContent: t.noPlans }))
    return
  }
  ui.planList.replaceChildren(
    ...state.plans.map((plan) => {
      const item = document.createElement('li')
      const button = document.createElement('button')
      button.type = 'button'
      button.dataset.planId = plan.id
      button.dataset.status = plan.status
      button.className = plan.id === state.base?.id ? 'shown' : ''
      const buses = plan.metrics ? ` · ${t.buses} ${plan.metrics.buses}` : ''
      button.textContent = `${planLabel(plan)} · ${t.status[plan.status]}${buses}`
      button.disabled = plan.status !== 'done'
      button.addEventListener('click', () => void showPlan(plan.id).catch(fail))
      item.append(button)
      return item
    }),
  )
}

function renderMetrics() {
  const t = text()
  const result = state.base?.result
  const comparisons = result?.comparisons ?? []
  const shown =
    comparisons.length > 0
      ? comparisons
      : result
        ? [{ scope: '', today: null, proposed: result.metrics }]
        : []
  ui.metrics.replaceChildren(
    ...shown.map((comparison) => {
      const table = document.createElement('table')
      table.className = 'metrics'
      table.dataset.scope = comparison.scope
      renderComparison(
        table,
        [
          { heading: t.today, className: 'today', metrics: comparison.today },
          { heading: t.proposed, className: 'proposed', metrics: comparison.proposed },
        ],
        { t, caption: comparison.scope ? (t.scopeNames[comparison.scope] ?? t.otherScope) : undefined },
      )
      return table
    }),
  )
}

/** The name of a call of a line: a placed stop, a school's gate, or else a transit hub. */
function stopName(id: string): string {
  const place =
    state.base?.result?.stops.find((s) => s.id === id) ?? state.base?.result?.hubs?.find((h) => h.id === id)
  if (place) return place.name
  return state.schools.some((s) => s.id === id) ? schoolName(id) : text().hub(id)
}

function pickLine(lineId: string | null) {
  state.pickedLine = lineId
  renderLines()
  renderMap()
}

function renderLines() {
  renderLineList(ui.lineList, state.base?.result ?? null, {
    t: text(),
    stopName,
    picked: state.pickedLine,
    onPick: pickLine,
  })
}

export function renderProgress() {
  const t = text()
  ui.progress.hidden = state.job === null
  for (const button of [ui.run, ui.whatIfRun, ui.proposeRun]) button.disabled = state.job !== null
  ui.whatIfRun.disabled ||= !state.base?.result
  ui.proposeRun.disabled ||= !state.base?.result
  if (!state.job) return
  ui.progress.dataset.phase = state.job.progress.phase
  ui.progress.dataset.fraction = String(state.job.progress.fraction)
  ui.progressBar.value = state.job.progress.fraction
  setText(
    ui.progressLabel,
    `${t.phase[state.job.progress.phase] ?? state.job.progress.phase} · ${Math.round(state.job.progress.fraction * 100)}%`,
  )
}

const mapSchools = () =>
  state.schools.map((s) => ({ id: s.id, name: schoolName(s.id), lat: s.lat, lon: s.lon }))

export function renderMap() {
  opened.map.show(
    {
      density: state.density,
      today: state.today,
      showToday: ui.showToday.checked,
      plan: state.base?.result ?? null,
      pickedLine: state.pickedLine,
      schools: mapSchools(),
    },
    text().map,
  )
}

export function renderAll() {
  renderStatic()
  for (const select of [ui.scopeSchool, ui.whatIfSchool, ui.proposeSchool]) fillSchoolSelect(select)
  fillTimeChoices()
  renderPlanList()
  renderMetrics()
  renderLines()
  renderUnserved(ui.unserved, state.base?.result?.unserved ?? null, { t: text(), schoolName })
  fillComparePicks()
  void renderSideBySide().catch(fail)
  renderWhatIf(ui.whatIfResult, { base: state.base, whatIf: state.whatIf }, { t: text(), schoolName })
  renderProposal(ui.shiftProposal, state.proposal, { t: text(), schools: state.schools, schoolName })
  renderProgress()
  ui.downloadGeoJson.disabled = ui.downloadGtfs.disabled = !state.base?.result
  renderMap()
}

async function showPlan(id: string) {
  const plan = await opened.api.plan(id)
  if (plan.status !== 'done') return
  setBase(plan)
  renderAll()
}
