import type { Queryable } from '../store/database.js'
import {
  createScoreQueries,
  type CycleScore,
  type ReachedStepEntry,
  type ScorePointEntry,
} from '../store/score-queries.js'
import { settingsCycleOf, type ScoreCycle } from './score-cycle.js'
import type { ScoreSubject, ScoreSubjectKey } from './score-rule.js'
import { standsAt, type ScoreStep } from './score-thresholds.js'

/** The buses a caller answers for: every bus for the bureau, a school's for a school. */
export type VisibleBuses = 'all' | readonly string[]

/** A step a subject reached in the cycle, and whether the total still stands at it. */
export interface ReachedStepView {
  step: ScoreStep
  threshold: number
  reachedAt: Date
  /** The total when it was reached. */
  totalThen: number
  /** The total is still at or over it; a step fallen under stays reached, and says so. */
  stands: boolean
  fallenBelowAt: Date | null
  /** The task's case in the inbox; null for a step passed on the way to a higher one. */
  caseId: number | null
}

export interface SubjectScore {
  subject: ScoreSubject
  key: string
  /** A driver's name; a company's is its key. */
  name: string
  /** A driver's bus, or the buses a company operates, as the registers hold them now. */
  busIds: string[]
  /** The subject's cycle holding the day asked; the settings' cycle where it has none (no points). */
  cycle: ScoreCycle
  total: number
  voidedPoints: number
  deductions: number
  reached: ReachedStepView[]
  /**
   * A driver off school-bus duty by the score in the cycle shown: its removal, not lifted by the
   * bureau (a removal lapses with its cycle); null for a company.
   */
  removed: boolean | null
}

const subjectId = (who: ScoreSubjectKey) => `${who.subject}\t${who.key}`

const viewOf = (total: number, entry: ReachedStepEntry): ReachedStepView => ({
  step: entry.step,
  threshold: entry.threshold,
  reachedAt: entry.reachedAt,
  totalThen: entry.total,
  stands: standsAt(total, entry),
  fallenBelowAt: entry.fallenBelowAt,
  caseId: entry.caseId,
})

/**
 * The 12-point score as people read it: the board of every driver and company on a day's cycle,
 * and one subject's history, every point with its event and case. A school reads the drivers of
 * the buses serving it; companies are the bureau's.
 */
export function createScoreBoard(db: Queryable) {
  const queries = createScoreQueries(db)

  /** Everyone scorable: the registers' drivers and operators, and whoever has points and left them. */
  const everyone = async (subject: ScoreSubject | null, scores: readonly CycleScore[]) => {
    const { drivers, companies } = await queries.roster()
    const subjects = new Map<string, { subject: ScoreSubject; key: string; name: string; busIds: string[] }>()
    if (subject !== 'company')
      for (const driver of drivers)
        subjects.set(subjectId({ subject: 'driver', key: driver.key }), {
          subject: 'driver',
          key: driver.key,
          name: driver.name,
          busIds: driver.busId ? [driver.busId] : [],
        })
    if (subject !== 'driver')
      for (const company of companies)
        subjects.set(subjectId({ subject: 'company', key: company.key }), {
          subject: 'company',
          key: company.key,
          name: company.key,
          busIds: company.busIds,
        })
    for (const score of scores)
      if (!subjects.has(subjectId(score)))
        subjects.set(subjectId(score), {
          subject: score.subject,
          key: score.key,
          name: score.key,
          busIds: [],
        })
    return subjects
  }

  /** Whether the caller answers for the subject: the bureau for all, a school for its buses' drivers. */
  const answersFor = (visible: VisibleBuses, who: { subject: ScoreSubject; busIds: readonly string[] }) =>
    visible === 'all' || (who.subject === 'driver' && who.busIds.some((busId) => visible.includes(busId)))

  return {
    answersFor,

    /** Every subject the caller answers for, on the cycle holding `day`, highest total first. */
    async board(options: { day: string; subject: ScoreSubject | null; visible: VisibleBuses }) {
      const settings = await queries.settings()
      const scores = await queries.scoresOn(options.day, options.subject)
      const scoreOf = new Map(scores.map((score) => [subjectId(score), score]))
      const reached = await queries.reachedIn(scores.map((score) => score.cycleId))
      const removed = new Set((await queries.standingRemovals(options.day)).map((removal) => removal.staffId))
      const settingsCycle = settingsCycleOf(options.day, settings.cycleStartMonth)
      const rows: SubjectScore[] = []
      for (const who of (await everyone(options.subject, scores)).values()) {
        if (!answersFor(options.visible, who)) continue
        const score = scoreOf.get(subjectId(who))
        const total = score?.total ?? 0
        rows.push({
          ...who,
          cycle: score ? { startsOn: score.startsOn, endsOn: score.endsOn } : settingsCycle,
          total,
          voidedPoints: score?.voidedPoints ?? 0,
          deductions: score?.deductions ?? 0,
          reached: score
            ? reached.filter((entry) => entry.cycleId === score.cycleId).map((entry) => viewOf(total, entry))
            : [],
          removed: who.subject === 'driver' ? removed.has(who.key) : null,
        })
      }
      rows.sort(
        (a, b) => b.total - a.total || a.subject.localeCompare(b.subject) || a.key.localeCompare(b.key),
      )
      return { cycle: settingsCycle, thresholds: settings.thresholds, scores: rows }
    },

    /**
     * One subject on the cycle holding `day`: every deduction with its event and its case, the steps
     * reached, a driver's removals, and the subject's cycles with their totals. Undefined for a
     * subject neither in the registers nor ever scored.
     */
    async history(who: ScoreSubjectKey, day: string) {
      const settings = await queries.settings()
      const cycles = await queries.cycleTotalsOf(who)
      const subjects = await everyone(who.subject, [])
      const known = subjects.get(subjectId(who))
      if (!known && cycles.length === 0) return undefined
      const subject = known ?? { ...who, name: who.key, busIds: [] }
      const current = cycles.find((cycle) => cycle.startsOn <= day && day <= cycle.endsOn)
      const total = current?.total ?? 0
      const points: ScorePointEntry[] = current ? await queries.pointsIn(current.cycleId) : []
      const reached = current ? await queries.reachedIn([current.cycleId]) : []
      const removals = who.subject === 'driver' ? await queries.removalsOf(who.key) : null
      return {
        ...subject,
        cycle: current
          ? { startsOn: current.startsOn, endsOn: current.endsOn }
          : settingsCycleOf(day, settings.cycleStartMonth),
        total,
        voidedPoints: current?.voidedPoints ?? 0,
        deductions: current?.deductions ?? 0,
        thresholds: settings.thresholds,
        reached: reached.map((entry) => viewOf(total, entry)),
        removed: removals
          ? removals.some((removal) => removal.liftedAt === null && removal.cycleId === current?.cycleId)
          : null,
        removals,
        points,
        cycles: cycles.map(({ startsOn, endsOn, total: cycleTotal, voidedPoints, deductions }) => ({
          startsOn,
          endsOn,
          total: cycleTotal,
          voidedPoints,
          deductions,
        })),
      }
    },
  }
}
