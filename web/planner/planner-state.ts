import { element } from '../shared/dom.js'
import { createStaffPage } from '../shared/staff-page.js'
import type { PlannerApi } from './planner-api.js'
import type { Density, Plan, PlanProgress, PlanSummary, School, TodayService } from './planner-contract.js'
import type { PlannerMap } from './planner-map.js'
import { plannerText } from './planner-text.js'

export const densityCellM = 500

/** What a running plan is for: a new base plan, a what-if beside it, or a shift proposal. */
export type Purpose = 'base' | 'whatif' | 'propose'

export interface PlannerState {
  schools: School[]
  density: Density | null
  today: TodayService | null
  plans: PlanSummary[]
  base: Plan | null
  whatIf: Plan | null
  proposal: Plan | null
  pickedLine: string | null
  job: { id: string; purpose: Purpose; progress: PlanProgress } | null
  pollTimer: ReturnType<typeof setTimeout> | undefined
}

export const page = createStaffPage({ langKey: 'planner.lang', texts: plannerText })
/** The server's API and the map, opened by start() before anything uses them. */
export const opened = {} as { api: PlannerApi; map: PlannerMap }
export const state: PlannerState = {
  schools: [],
  density: null,
  today: null,
  plans: [],
  base: null,
  whatIf: null,
  proposal: null,
  pickedLine: null,
  job: null,
  pollTimer: undefined,
}
/** Done plans fetched for the side-by-side view; a done plan never changes. */
export const donePlans = new Map<string, Plan>()

export const text = page.text
export const schoolName = (id: string) => {
  const school = state.schools.find((s) => s.id === id)
  return school ? (page.lang() === 'en' && school.nameEn ? school.nameEn : school.nameZh) : id
}

export const ui = {
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

/** A new base plan: the what-if and proposal made against the one before no longer apply. */
export function setBase(plan: Plan) {
  state.base = plan
  state.whatIf = null
  state.proposal = null
  state.pickedLine = null
}
