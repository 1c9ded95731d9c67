import { formatCixiDate, formatCixiTime } from '../shared/cixi-time.js'
import type {
  Reached,
  Removal,
  ScoreHistory,
  ScorePoint,
  ScoreRules,
  SubjectScore,
} from './reports-contract.js'
import type { ReportsText } from './reports-text.js'
import type { ScoreText, SubjectFilter } from './score-text.js'

/** The board's rows a reader asked for, in the server's order (highest total first). */
export function filterScores(scores: readonly SubjectScore[], filter: SubjectFilter): SubjectScore[] {
  return filter === 'all' ? [...scores] : scores.filter((score) => score.subject === filter)
}

/** An instant as `YYYY-MM-DD HH:MM` in Cixi, whatever the browser's time zone. */
export function cixiMinute(iso: string): string {
  const ms = Date.parse(iso)
  return `${formatCixiDate(ms)} ${formatCixiTime(ms)}`
}

/** A code in the page's words; one the page does not know yet, as the server names it. */
const wordsOf = (words: Readonly<Record<string, string>>, code: string) =>
  Object.hasOwn(words, code) ? words[code]! : code.replace(/_/g, ' ')

/** An event kind in the words every page and report file uses (server/core/text/). */
export const kindWords = (kind: string, t: ReportsText) => wordsOf(t.eventKinds, kind)

/** A step reached, with the threshold it was reached at: `约谈（6 分）`. */
export const stepWords = (reached: Pick<Reached, 'step' | 'threshold'>, t: ScoreText) =>
  t.stepAt(t.steps[reached.step], reached.threshold)

/** The rule as it was applied to a point: its fixed points, or the margin over the limit and the step met. */
export function ruleApplied(rule: ScorePoint['rule'], t: ScoreText): string {
  if (!rule.measure) return t.pointsEach(rule.points)
  if (rule.margin === null) return t.noSpeeds
  const from = rule.band ? t.measureValue(rule.measure, rule.band.from) : '—'
  return t.bandApplied(t.measureValue(rule.measure, rule.margin), from)
}

/** A point's alarm case: its number and its state, or how it closed. */
export function caseWords(found: ScorePoint['case'], t: ScoreText): string {
  if (!found) return '—'
  const state =
    found.state === 'closed' && found.outcome
      ? t.closedAs(wordsOf(t.outcomes, found.outcome))
      : wordsOf(t.caseStates, found.state)
  return `#${found.id} · ${state}`
}

/** Who voided a point, when, and as what; a dash for a point that counts. */
export function voidedWords(voided: ScorePoint['voided'], t: ScoreText): string {
  if (!voided) return '—'
  return t.voidedBy(wordsOf(t.outcomes, voided.outcome), voided.by, cixiMinute(voided.at))
}

export type RemovalState = 'stands' | 'lifted' | 'lapsed'

/** A removal lifted by the bureau, still standing on `today`, or lapsed with its cycle. */
export function removalState(removal: Pick<Removal, 'liftedAt' | 'cycle'>, today: string): RemovalState {
  if (removal.liftedAt !== null) return 'lifted'
  return removal.cycle.endsOn < today ? 'lapsed' : 'stands'
}

export function removalWords(removal: Removal, today: string, t: ScoreText): string {
  const state = removalState(removal, today)
  if (state === 'lifted')
    return t.removalStates.lifted(removal.liftedBy ?? '—', cixiMinute(removal.liftedAt!))
  return t.removalStates[state]
}

/** A rule of the score table: its points for each event, or its bands by the margin over the limit. */
export function rulePoints(rule: ScoreRules['rules'][number], t: ScoreText): string {
  if (rule.bands) {
    const { measure, steps } = rule.bands
    return t.bands(steps.map((step) => t.bandFrom(t.measureValue(measure, step.from), step.points)))
  }
  return t.pointsEach(rule.points ?? 0)
}

/** A driver's bus by its plate where the page knows it; a company's buses, counted. */
export function busWords(score: SubjectScore, plates: ReadonlyMap<string, string>, t: ScoreText): string {
  if (score.subject === 'company') return t.busCount(score.busIds.length)
  return score.busIds.map((busId) => plates.get(busId) ?? busId).join(', ') || '—'
}

/** The bureau, and only it, reinstates a driver whose removal stands. */
export const mayReinstate = (role: 'bureau' | 'school', history: Pick<ScoreHistory, 'subject' | 'removed'>) =>
  role === 'bureau' && history.subject === 'driver' && history.removed === true
