import { createAlarmCaseQueries } from '../store/alarm-case-queries.js'
import type { Clock } from '../clock/clock.js'
import { toShanghaiTime } from '../clock/shanghai-time.js'
import type { Database, Queryable } from '../store/database.js'
import {
  createScoreQueries,
  type ScoreQueries,
  type ScoreSettings,
  type StoredCycle,
  type UnjudgedEvent,
} from '../store/score-queries.js'
import { cycleForDay } from './score-cycle.js'
import {
  awaitsSettling,
  pointsForEvent,
  subjectsOfEvent,
  voidingOutcomes,
  voidsPoints,
  type ScoreRule,
} from './score-rule.js'
import { judgeThresholds, taskKindOfStep, type ScoreStep } from './score-thresholds.js'

/** Events judged per step: a backlog (the alarms part was down) is worked off over a few steps. */
const judgeBatch = 500
/**
 * An over-speed episode still going is scored when it ends, or this long after it began if its end
 * never comes. Episodes waiting hold places in the batch: a backlog of more than a batch of them
 * at once delays the others by at most this long.
 */
export const settleAfterMs = 60 * 60_000
/**
 * The alarm events of the last five weeks are judged: an event stored later than that (a terminal
 * that held its reports through a long silence) is history, as the events before the score were.
 */
export const lookBackMs = 35 * 86_400_000

export interface ScoringStepResult {
  judged: number
  /** Deductions made, voided at once or not. */
  points: number
  /** Deductions taken back because their case was closed as nothing to count. */
  voided: number
  /** The tasks opened in the inbox. */
  tasks: { subject: string; key: string; step: ScoreStep }[]
}

/** The deduction that moved a cycle's total, and the bus whose event it was. */
interface Deduction {
  pointId: number
  busId: string
  kind: string
  ts: Date
  points: number
}

/**
 * The alarms part's scoring step, on the platform's clock: each new alarm event of a kind in the
 * bureau's table is judged once and costs its driver and its bus's company their points in the
 * cycle of its day; a deduction that takes a total to a threshold opens a task in the inbox (an
 * event the inbox's trigger makes a case of), and one that reaches removal takes a driver off
 * school-bus duty. Points whose case is closed as a false alarm, an equipment fault or a duplicate
 * are voided; a step already reached stays, and its task is told in a note. One process scores at
 * a time (a lock in the store), however many run the step.
 */
export function createScoring(deps: { db: Database; clock: Clock }) {
  return {
    async step(): Promise<ScoringStepResult> {
      const now = deps.clock.now()
      return deps.db.transaction(async (tx) => {
        const queries = createScoreQueries(tx)
        await queries.lockScoring()
        const settings = await queries.settings()
        const ruleOf = new Map<string, ScoreRule>((await queries.rules()).map((rule) => [rule.kind, rule]))
        const result: ScoringStepResult = { judged: 0, points: 0, voided: 0, tasks: [] }
        const judge = createThresholdJudge(tx, queries, settings, now, result)

        const events =
          ruleOf.size === 0
            ? []
            : await queries.unjudgedEvents(
                [...ruleOf.keys()],
                new Date(now.getTime() - lookBackMs),
                judgeBatch,
              )
        for (const event of events) {
          const rule = ruleOf.get(event.kind)!
          if (awaitsSettling(rule, event, now, settleAfterMs)) continue
          const judged = pointsForEvent(rule, event.details)
          const charged = judged.points > 0 ? subjectsOfEvent(rule, event, event) : []
          if (!(await queries.judgeEvent(event, charged.length > 0 ? 'scored' : 'no_points', now))) continue
          result.judged++
          const voided = voidedOf(event)
          const day = toShanghaiTime(event.ts).date
          for (const who of charged) {
            const found = cycleForDay(day, settings.cycleStartMonth, await queries.cyclesOf(who))
            const cycle = await queries.openCycle(who, found)
            const pointId = await queries.addPoint({
              cycle,
              event,
              judged,
              basis: rule.basis,
              scoredAt: now,
              voided,
            })
            if (pointId === undefined) continue
            result.points++
            if (!voided) await judge(cycle, { pointId, ...event, points: judged.points })
          }
        }

        const voidedCycles = await queries.voidClosedCases(voidingOutcomes)
        result.voided = voidedCycles.length
        for (const cycleId of new Set(voidedCycles)) await judge(await queries.cycle(cycleId), null)
        return result
      })
    },
  }
}

/** A case closed before its event was scored: its points are kept voided, as closed by whom and when. */
const voidedOf = (event: UnjudgedEvent) =>
  event.caseState === 'closed' && voidsPoints(event.outcome) && event.closedAt && event.closedBy
    ? { at: event.closedAt, by: event.closedBy, outcome: event.outcome! }
    : null

/**
 * Judges a cycle's total after a deduction (or after voids, `deduction` null): records the steps
 * reached, opens the gravest one's task, takes a driver who reached removal off duty, and notes on
 * a step's task that voided points have taken the total back under it.
 */
function createThresholdJudge(
  tx: Queryable,
  queries: ScoreQueries,
  settings: ScoreSettings,
  now: Date,
  result: ScoringStepResult,
) {
  const cases = createAlarmCaseQueries(tx)
  return async (cycle: StoredCycle, deduction: Deduction | null) => {
    const total = await queries.total(cycle.id)
    const before = await queries.reachedIn([cycle.id])
    const judgement = judgeThresholds(total, settings.thresholds, before)

    if (deduction && judgement.task) {
      const task = judgement.task
      const busId = (await taskBusOf(tx, cycle)) ?? deduction.busId
      const kind = taskKindOfStep[task]
      const ts = await queries.addTaskEvent(busId, kind, now, {
        subject: cycle.subject,
        key: cycle.key,
        name: cycle.subject === 'driver' ? await staffNameOf(tx, cycle.key) : cycle.key,
        step: task,
        total,
        threshold: settings.thresholds[task],
        thresholds: settings.thresholds,
        reached: judgement.reached,
        cycle: { startsOn: cycle.startsOn, endsOn: cycle.endsOn },
        deduction: {
          busId: deduction.busId,
          kind: deduction.kind,
          ts: deduction.ts.toISOString(),
          points: deduction.points,
        },
      })
      for (const step of judgement.reached) {
        await queries.recordReached({
          cycleId: cycle.id,
          step,
          threshold: settings.thresholds[step],
          total,
          pointId: deduction.pointId,
          at: now,
          task: step === task ? { busId, kind, ts } : null,
        })
      }
      if (judgement.reached.includes('removal') && cycle.subject === 'driver')
        await queries.removeDriver(cycle.key, cycle.id, now)
      result.tasks.push({ subject: cycle.subject, key: cycle.key, step: task })
    }

    for (const step of judgement.fallenBelow) {
      const task = await queries.markFallenBelow(cycle.id, step, now)
      // A step passed on the way to a higher one has no task of its own: the higher one, under
      // a higher threshold, has fallen too and is told.
      const entry = before.find((entry) => entry.step === step)
      const taskKey =
        task?.busId && task.kind && task.ts
          ? { busId: task.busId, kind: task.kind, ts: new Date(task.ts) }
          : undefined
      const taskCase = taskKey ? await cases.findCaseOfEvent(taskKey) : undefined
      if (!taskCase || !entry) continue
      await cases.addNote(taskCase.id, {
        author: 'platform',
        at: now,
        text:
          `扣分已撤销：本周期（${cycle.startsOn} 至 ${cycle.endsOn}）累计 ${total} 分，低于本次处理的 ` +
          `${entry.threshold} 分，已达到的处理仍然有效。Points were voided: the ${cycle.subject} ` +
          `${cycle.key} now has ${total} points in the cycle ${cycle.startsOn} to ${cycle.endsOn}, under ` +
          `the ${entry.threshold} of this ${step}; the step stays reached.`,
      })
    }
  }
}

/** A driver's task goes to the bus they drive (their schools see it); a company's to the bus of the deduction. */
async function taskBusOf(db: Queryable, cycle: StoredCycle): Promise<string | undefined> {
  if (cycle.subject !== 'driver') return undefined
  const [staff] = await db.query<{ busId: string | null }>(
    `SELECT bus_id AS "busId" FROM staff WHERE id = $1`,
    [cycle.key],
  )
  return staff?.busId ?? undefined
}

async function staffNameOf(db: Queryable, staffId: string): Promise<string | null> {
  const [staff] = await db.query<{ name: string }>(`SELECT name FROM staff WHERE id = $1`, [staffId])
  return staff?.name ?? null
}
