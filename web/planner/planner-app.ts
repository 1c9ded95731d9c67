import type { io as socketIoClient } from 'socket.io-client'
import { AccessRefused, ApiRejected } from '../shared/api-client.js'
import { formatCixiDate, formatCixiTime } from '../shared/cixi-time.js'
import { element, setText } from '../shared/dom.js'
import { createStaffPage } from '../shared/staff-page.js'
import { signInAgainIf } from '../shared/staff-session.js'
import { renderComparison } from './compare-table.js'
import { renderLineList } from './line-list.js'
import { proposalRequest, whatIfRequest } from './plan-requests.js'
import { createPlannerApi, type PlannerApi } from './planner-api.js'
import {
  planUpdateSchema,
  type Density,
  type Plan,
  type PlanProgress,
  type PlanRequest,
  type PlanSummary,
  type School,
  type TimeShift,
  type TodayService,
} from './planner-contract.js'
import { createPlannerMap, type PlannerMap } from './planner-map.js'
import { plannerText, type ErrorKind } from './planner-text.js'
import { renderProposal, renderWhatIf } from './shift-results.js'
import { renderUnserved } from './unserved-list.js'

const pollMs = 1000
const densityCellM = 500

/** What a running plan is for: a new base plan, a what-if beside it, or a shift proposal. */
type Purpose = 'base' | 'whatif' | 'propose'

const page = createStaffPage({ langKey: 'planner.lang', texts: plannerText })
let api: PlannerApi
let map: PlannerMap
let schools: School[] = []
let density: Density | null = null
let today: TodayService | null = null
let plans: PlanSummary[] = []
let base: Plan | null = null
let whatIf: Plan | null = null
let proposal: Plan | null = null
let pickedLine: string | null = null
/** Done plans fetched for the side-by-side view; a done plan never changes. */
const donePlans = new Map<string, Plan>()
let job: { id: string; purpose: Purpose; progress: PlanProgress } | null = null
let pollTimer: ReturnType<typeof setTimeout> | undefined

const text = page.text
const schoolName = (id: string) => {
  const school = schools.find((s) => s.id === id)
  return school ? (page.lang() === 'en' && school.nameEn ? school.nameEn : school.nameZh) : id
}

const ui = {
  scope: element<HTMLSelectElement>('scope'),
  scopeSchoolField: element('scope-school-field'),
  scopeSchool: element<HTMLSelectElement>('scope-school'),
  planName: element<HTMLInputElement>('plan-name'),
  searchS: element<HTMLInputElement>('search-s'),
  run: element<HTMLButtonElement>('run'),
  progress: element('progress'),
  progressLabel: element('progress-label'),
  progressBar: element<HTMLProgressElement>('progress-bar'),
  cancel: element<HTMLButtonElement>('cancel'),
  message: element('message'),
  whatIfSchool: element<HTMLSelectElement>('whatif-school'),
  whatIfGrade: element<HTMLSelectElement>('whatif-grade'),
  whatIfWave: element<HTMLSelectElement>('whatif-wave'),
  whatIfShift: element<HTMLInputElement>('whatif-shift'),
  whatIfRun: element<HTMLButtonElement>('whatif-run'),
  whatIfResult: element<HTMLTableElement>('whatif-result'),
  proposeSchool: element<HTMLSelectElement>('propose-school'),
  proposeWave: element<HTMLSelectElement>('propose-wave'),
  proposeEarliest: element<HTMLInputElement>('propose-earliest'),
  proposeLatest: element<HTMLInputElement>('propose-latest'),
  proposeRun: element<HTMLButtonElement>('propose-run'),
  shiftProposal: element('shift-proposal'),
  downloadGeoJson: element<HTMLButtonElement>('download-geojson'),
  downloadGtfs: element<HTMLButtonElement>('download-gtfs'),
  planList: element('plan-list'),
  legendDensity: element('legend-density'),
  showToday: element<HTMLInputElement>('show-today'),
  metrics: element('metrics'),
  lineList: element('line-list'),
  unserved: element('unserved'),
  compareFirst: element<HTMLSelectElement>('compare-first'),
  compareSecond: element<HTMLSelectElement>('compare-second'),
  compareResult: element<HTMLTableElement>('compare-result'),
}

function refuse(kind: ErrorKind) {
  clearTimeout(pollTimer)
  page.refuse(kind)
}

function fail(error: unknown) {
  if (signInAgainIf(error)) return
  if (error instanceof AccessRefused) return refuse(error.kind)
  showMessage(error instanceof Error ? error.message : String(error))
}

function showMessage(message: string | null) {
  ui.message.hidden = message === null
  setText(ui.message, message ?? '')
}

function renderStatic() {
  page.renderStatic()
  setText(ui.legendDensity, text().legendDensity(density?.cellM ?? densityCellM))
}

function fillSchoolSelect(select: HTMLSelectElement) {
  const chosen = select.value
  select.replaceChildren(...schools.map((s) => new Option(schoolName(s.id), s.id, false, s.id === chosen)))
}

/** The grades and waves of the school picked for a what-if or a proposal. */
function fillTimeChoices() {
  const t = text()
  const whatIfSchool = schools.find((s) => s.id === ui.whatIfSchool.value)
  const keep = (select: HTMLSelectElement, options: HTMLOptionElement[]) => {
    const chosen = select.value
    select.replaceChildren(...options)
    if (options.some((o) => o.value === chosen)) select.value = chosen
  }
  const waves = (school: School | undefined) =>
    (school?.schedule.dismissalWaves ?? []).map((w) => new Option(`${w.name} ${w.time.slice(0, 5)}`, w.id))
  keep(ui.whatIfGrade, [
    new Option(t.allGrades, ''),
    ...(whatIfSchool?.schedule.grades ?? []).map(
      (g) => new Option(`${g.grade} · ${g.startTime.slice(0, 5)}`, String(g.grade)),
    ),
  ])
  keep(ui.whatIfWave, [new Option(t.noWave, ''), ...waves(whatIfSchool)])
  keep(ui.proposeWave, [
    new Option(t.noWave, ''),
    ...waves(schools.find((s) => s.id === ui.proposeSchool.value)),
  ])
}

function renderPlanList() {
  const t = text()
  if (plans.length === 0) {
    ui.planList.replaceChildren(Object.assign(document.createElement('li'), { textContent: t.noPlans }))
    return
  }
  ui.planList.replaceChildren(
    ...plans.map((plan) => {
      const item = document.createElement('li')
      const button = document.createElement('button')
      button.type = 'button'
      button.dataset.planId = plan.id
      button.dataset.status = plan.status
      button.className = plan.id === base?.id ? 'shown' : ''
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
  const result = base?.result
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
  const place = base?.result?.stops.find((s) => s.id === id) ?? base?.result?.hubs?.find((h) => h.id === id)
  if (place) return place.name
  return schools.some((s) => s.id === id) ? schoolName(id) : text().hub(id)
}

function pickLine(lineId: string | null) {
  pickedLine = lineId
  renderLines()
  renderMap()
}

function renderLines() {
  renderLineList(ui.lineList, base?.result ?? null, {
    t: text(),
    stopName,
    picked: pickedLine,
    onPick: pickLine,
  })
}

/** The done plans to pick from for the side-by-side view, keeping what was picked. */
function fillComparePicks() {
  const t = text()
  const done = plans.filter((plan) => plan.status === 'done')
  for (const select of [ui.compareFirst, ui.compareSecond]) {
    const chosen = select.value
    select.replaceChildren(
      new Option(t.comparePick, ''),
      ...done.map((plan) => new Option(planLabel(plan), plan.id, false, plan.id === chosen)),
    )
  }
}

function planLabel(plan: PlanSummary | Plan): string {
  const createdMs = Date.parse(plan.createdAt)
  return `${formatCixiDate(createdMs).slice(5)} ${formatCixiTime(createdMs)} ${plan.name ?? ''}`.trim()
}

async function renderSideBySide() {
  const ids = [ui.compareFirst.value, ui.compareSecond.value]
  const picked = await Promise.all(
    ids.map(async (id) => {
      if (!id) return null
      const known = donePlans.get(id) ?? (await api.plan(id))
      donePlans.set(id, known)
      return known
    }),
  )
  const [first, second] = picked
  ui.compareResult.hidden = !first?.result || !second?.result
  if (!first?.result || !second?.result) return ui.compareResult.replaceChildren()
  ui.compareResult.dataset.first = first.id
  ui.compareResult.dataset.second = second.id
  renderComparison(
    ui.compareResult,
    [
      { heading: planLabel(first), className: 'first', metrics: first.result.metrics },
      { heading: planLabel(second), className: 'second', metrics: second.result.metrics },
    ],
    { t: text() },
  )
}

function renderProgress() {
  const t = text()
  ui.progress.hidden = job === null
  for (const button of [ui.run, ui.whatIfRun, ui.proposeRun]) button.disabled = job !== null
  ui.whatIfRun.disabled ||= !base?.result
  ui.proposeRun.disabled ||= !base?.result
  if (!job) return
  ui.progress.dataset.phase = job.progress.phase
  ui.progress.dataset.fraction = String(job.progress.fraction)
  ui.progressBar.value = job.progress.fraction
  setText(
    ui.progressLabel,
    `${t.phase[job.progress.phase] ?? job.progress.phase} · ${Math.round(job.progress.fraction * 100)}%`,
  )
}

const mapSchools = () => schools.map((s) => ({ id: s.id, name: schoolName(s.id), lat: s.lat, lon: s.lon }))

function renderMap() {
  map.show(
    {
      density,
      today,
      showToday: ui.showToday.checked,
      plan: base?.result ?? null,
      pickedLine,
      schools: mapSchools(),
    },
    text().map,
  )
}

function renderAll() {
  renderStatic()
  for (const select of [ui.scopeSchool, ui.whatIfSchool, ui.proposeSchool]) fillSchoolSelect(select)
  fillTimeChoices()
  renderPlanList()
  renderMetrics()
  renderLines()
  renderUnserved(ui.unserved, base?.result?.unserved ?? null, { t: text(), schoolName })
  fillComparePicks()
  void renderSideBySide().catch(fail)
  renderWhatIf(ui.whatIfResult, { base, whatIf }, { t: text(), schoolName })
  renderProposal(ui.shiftProposal, proposal, { t: text(), schools, schoolName })
  renderProgress()
  ui.downloadGeoJson.disabled = ui.downloadGtfs.disabled = !base?.result
  renderMap()
}

async function showPlan(id: string) {
  const plan = await api.plan(id)
  if (plan.status !== 'done') return
  setBase(plan)
  renderAll()
}

/** A new base plan: the what-if and proposal made against the one before no longer apply. */
function setBase(plan: Plan) {
  base = plan
  whatIf = null
  proposal = null
  pickedLine = null
}

async function refreshPlans() {
  plans = await api.plans()
  renderPlanList()
  fillComparePicks()
}

async function startPlan(purpose: Purpose, request: PlanRequest) {
  showMessage(null)
  try {
    const started = await api.startPlan(request)
    watch(started.id, purpose, { phase: 'queued', fraction: 0 })
  } catch (error) {
    if (error instanceof ApiRejected) showMessage(error.message)
    else throw error
  }
  await refreshPlans()
}

function watch(id: string, purpose: Purpose, progress: PlanProgress) {
  job = { id, purpose, progress }
  renderProgress()
  clearTimeout(pollTimer)
  schedulePoll()
}

function schedulePoll() {
  pollTimer = setTimeout(() => void poll().catch(fail), pollMs)
}

/** Asks after the running plan until it ends; the live channel only makes the bar move sooner. */
async function poll() {
  if (!job) return
  const watched = job
  const plan = await api.plan(watched.id).catch((error: unknown) => {
    if (error instanceof AccessRefused) throw error
    return null
  })
  if (job !== watched) return
  if (!plan || plan.status === 'running') {
    if (plan?.progress) job.progress = plan.progress
    renderProgress()
    return schedulePoll()
  }
  job = null
  if (plan.status === 'failed') showMessage(text().failed(plan.error ?? ''))
  if (plan.status === 'done') {
    if (watched.purpose === 'base') setBase(plan)
    else if (watched.purpose === 'whatif') whatIf = plan
    else proposal = plan
  }
  renderAll()
  await refreshPlans()
}

function listenForProgress(token: string) {
  const io = (globalThis as { io?: typeof socketIoClient }).io
  if (!io) return
  const socket = io({ auth: { token }, transports: ['websocket'] })
  socket.on('plan_progress', (payload: unknown) => {
    const update = planUpdateSchema.safeParse(payload)
    if (!update.success || update.data.id !== job?.id || update.data.status !== 'running') return
    job.progress = { phase: update.data.phase, fraction: update.data.fraction }
    renderProgress()
  })
}

async function download(path: string, fileName: string) {
  const blob = await api.download(path)
  const link = document.createElement('a')
  link.href = URL.createObjectURL(blob)
  link.download = fileName
  link.click()
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000)
}

function optionalNumber(value: string): number | undefined {
  return value === '' ? undefined : Number(value)
}

function wireControls() {
  page.onLanguageChange(renderAll)
  ui.scope.addEventListener('change', () => (ui.scopeSchoolField.hidden = ui.scope.value !== 'school'))
  ui.whatIfSchool.addEventListener('change', fillTimeChoices)
  ui.proposeSchool.addEventListener('change', fillTimeChoices)
  ui.showToday.addEventListener('change', renderMap)
  for (const select of [ui.compareFirst, ui.compareSecond])
    select.addEventListener('change', () => void renderSideBySide().catch(fail))
  ui.run.addEventListener('click', () => {
    const pupilScope =
      ui.scope.value === 'school'
        ? { kind: 'schools' as const, schoolIds: [ui.scopeSchool.value] }
        : { kind: ui.scope.value as 'riders' | 'line_riders' }
    const name = ui.planName.value.trim() || null
    const searchTimeLimitMs = Math.round(Number(ui.searchS.value) * 1000)
    void startPlan('base', { name, pupilScope, settings: { searchTimeLimitMs } }).catch(fail)
  })
  ui.cancel.addEventListener('click', () => {
    if (job) void api.cancelPlan(job.id).catch(fail)
  })
  ui.whatIfRun.addEventListener('click', () => {
    if (!base) return
    const waveId = ui.whatIfWave.value
    const grade = optionalNumber(ui.whatIfGrade.value)
    const shift: TimeShift = {
      schoolId: ui.whatIfSchool.value,
      ...(waveId ? { waveId } : grade === undefined ? {} : { grade }),
      shiftMin: Number(ui.whatIfShift.value),
    }
    const name = `${base.name ?? ''} · ${text().whatIf}`.trim()
    void startPlan('whatif', whatIfRequest(base, shift, name)).catch(fail)
  })
  ui.proposeRun.addEventListener('click', () => {
    if (!base) return
    const waveId = ui.proposeWave.value || undefined
    const window = {
      schoolId: ui.proposeSchool.value,
      ...(waveId ? { waveId } : {}),
      earliestMin: Number(ui.proposeEarliest.value),
      latestMin: Number(ui.proposeLatest.value),
    }
    const name = `${base.name ?? ''} · ${text().propose}`.trim()
    void startPlan('propose', proposalRequest(base, window, name)).catch(fail)
  })
  ui.downloadGeoJson.addEventListener('click', () => {
    if (base) void download(`/api/plans/${base.id}/geojson`, `plan-${base.id}.geojson`).catch(fail)
  })
  ui.downloadGtfs.addEventListener('click', () => {
    if (base) void download(`/api/plans/${base.id}/gtfs.zip`, `plan-${base.id}-gtfs.zip`).catch(fail)
  })
}

async function start() {
  renderStatic()
  const token = page.readSession()
  if (!token) return
  api = createPlannerApi({ token })
  const { principal } = await api.me()
  if (principal.role !== 'bureau') return refuse('not_bureau')
  ;[schools, density, today, plans] = await Promise.all([
    api.schools(),
    api.density(densityCellM),
    api.today(),
    api.plans(),
  ])
  map = createPlannerMap(element('map'), {
    tiles: (await api.pageConfig()).config.tiles,
    fetchRoads: api.roads,
  })
  wireControls()
  listenForProgress(token)
  const newestDone = plans.find((plan) => plan.status === 'done')
  if (newestDone) base = await api.plan(newestDone.id)
  renderAll()
  const running = plans.find((plan) => plan.status === 'running' && plan.progress)
  if (running?.progress) watch(running.id, 'base', running.progress)
}

start().catch(fail)
