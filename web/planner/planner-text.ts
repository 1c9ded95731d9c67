import type { Lang } from '../shared/language.js'
import type { RefusalText, StaffPageText } from '../shared/staff-page.js'
import type { ChangeExplanation, ReplanExplanation } from './explain-change.js'
import type { LineKind } from './line-summaries.js'
import type { Metrics } from './planner-contract.js'
import { plannerTextEn } from './planner-text-en.js'
import { plannerTextZh } from './planner-text-zh.js'

export type ErrorKind = 'no_token' | 'unauthenticated' | 'forbidden' | 'not_bureau'
export type MetricKey = Exclude<keyof Metrics, 'parts'>

export interface PlannerText extends StaffPageText, RefusalText<ErrorKind> {
  signOut: string
  scope: string
  scopeRiders: string
  scopeLineRiders: string
  scopeSchool: string
  planName: string
  searchS: string
  run: string
  cancel: string
  phase: Record<string, string>
  status: Record<string, string>
  plans: string
  noPlans: string
  map: string
  legendDensity: (cellM: number) => string
  showToday: string
  metrics: string
  today: string
  proposed: string
  metricLabels: Record<MetricKey, string>
  whatIf: string
  school: string
  grade: string
  wave: string
  allGrades: string
  noWave: string
  shiftMin: string
  runWhatIf: string
  basePlan: string
  shiftedPlan: string
  buses: string
  propose: string
  earliestMin: string
  latestMin: string
  runProposal: string
  proposalNone: string
  proposalShift: (school: string, what: string, shiftMin: number) => string
  proposalSaves: (before: number, after: number) => string
  downloads: string
  geojson: string
  gtfs: string
  needsBasePlan: string
  failed: (reason: string) => string
  errorAdvice: Record<ErrorKind, string>
  /** The pupils a comparison is measured on, by the scope the server names. */
  scopeNames: Record<string, string>
  otherScope: string
  legendLines: string
  lines: string
  noLines: string
  lineKinds: Record<LineKind, string>
  lineFigures: (buses: number, pupils: number) => string
  hub: (id: string) => string
  unserved: string
  unservedNone: string
  unservedReasons: Record<string, string>
  otherReason: string
  unservedCount: (pupils: number) => string
  pupilsColumn: string
  pupilCodes: string
  unknownSchool: string
  gradeOf: (grade: number) => string
  byBusType: string
  partLabel: (hired: boolean, seats: number) => string
  partFigures: (part: { buses: number; busKmPerDay: number; costPerDayYuan: number }) => string
  whyMoved: string
  explainChange: (why: ChangeExplanation) => string
  /** The what-if comparison's row on what was planned again and what kept the base's routes. */
  replannedLabel: string
  explainReplan: (why: ReplanExplanation, schoolName: (id: string) => string) => string
  comparePlans: string
  firstPlan: string
  secondPlan: string
  comparePick: string
}

export const plannerText: Record<Lang, PlannerText> = { zh: plannerTextZh, en: plannerTextEn }
