import type { AlarmOutcome } from '../alarms/alarm-case.js'
import type { ScoreCycle } from '../score/score-cycle.js'
import type { PointsJudged, ScoreSubject, ScoreSubjectKey } from '../score/score-rule.js'
import type { ReachedStep, ScoreStep } from '../score/score-thresholds.js'
import type { Queryable, Row } from './database.js'
import { createScoreEventQueries, type UnjudgedEvent } from './score-event-queries.js'
import { createScoreHistoryQueries } from './score-history-queries.js'
import { createScoreRemovalQueries } from './score-removal-queries.js'
import { createScoreSettingsQueries } from './score-settings-queries.js'

export type { UnjudgedEvent } from './score-event-queries.js'
export type { CycleScore, ScorePointEntry } from './score-history-queries.js'
export type { RemovalEntry } from './score-removal-queries.js'
export type { ScoreSettings, StoredScoreRule } from './score-settings-queries.js'

/** Any fixed number: two processes scoring at once take turns, so a total is never judged twice. */
const scoringLockKey = 7_302_016

export interface StoredCycle extends ScoreCycle {
  id: number
  subject: ScoreSubject
  key: string
}

export interface ReachedStepEntry extends ReachedStep {
  reachedAt: Date
  /** The total when it was reached. */
  total: number
  /** The task's case in the inbox; null for a step passed on the way to a higher one. */
  caseId: number | null
  fallenBelowAt: Date | null
}

const cycleColumns = `id::int AS id, subject, subject_key AS key, starts_on AS "startsOn", ends_on AS "endsOn"`

/** The 12-point score in the store (migration 16): the table, the cycles, the points and the steps. */
export function createScoreQueries(db: Queryable) {
  const reachedIn = async (cycleIds: readonly number[]) =>
    db.query<ReachedStepEntry & { cycleId: number } & Row>(
      `SELECT t.cycle_id::int AS "cycleId", t.step, t.threshold, t.reached_at AS "reachedAt", t.total,
              t.fallen_below_at IS NOT NULL AS "fallenBelow", t.fallen_below_at AS "fallenBelowAt",
              c.id::int AS "caseId"
       FROM score_thresholds t
       LEFT JOIN alarm_cases c ON c.bus_id = t.task_bus_id AND c.kind = t.task_kind AND c.event_ts = t.task_ts
       WHERE t.cycle_id = ANY($1::bigint[])
       ORDER BY t.cycle_id, t.threshold`,
      [cycleIds],
    )

  return {
    /** Inside a transaction: the scoring of the whole store is this caller's until it commits. */
    lockScoring: async () => {
      await db.query('SELECT pg_advisory_xact_lock($1)', [scoringLockKey])
    },

    ...createScoreSettingsQueries(db),

    ...createScoreEventQueries(db),

    cyclesOf: (who: ScoreSubjectKey) =>
      db.query<StoredCycle & Row>(
        `SELECT ${cycleColumns} FROM score_cycles WHERE subject = $1 AND subject_key = $2 ORDER BY starts_on`,
        [who.subject, who.key],
      ),

    /** The cycle from `startsOn`, made if it is new (by this caller or one before it). */
    async openCycle(who: ScoreSubjectKey, cycle: ScoreCycle): Promise<StoredCycle> {
      await db.query(
        `INSERT INTO score_cycles (subject, subject_key, starts_on, ends_on) VALUES ($1, $2, $3, $4)
         ON CONFLICT (subject, subject_key, starts_on) DO NOTHING`,
        [who.subject, who.key, cycle.startsOn, cycle.endsOn],
      )
      return (
        await db.query<StoredCycle & Row>(
          `SELECT ${cycleColumns} FROM score_cycles WHERE subject = $1 AND subject_key = $2 AND starts_on = $3`,
          [who.subject, who.key, cycle.startsOn],
        )
      )[0]!
    },

    /** One deduction; voided at once when its case was already closed as nothing to count. */
    addPoint: async (point: {
      cycle: StoredCycle
      event: Pick<UnjudgedEvent, 'busId' | 'kind' | 'ts' | 'caseId'>
      judged: PointsJudged
      basis: string | null
      scoredAt: Date
      voided: { at: Date; by: string; outcome: AlarmOutcome } | null
    }) =>
      (
        await db.query<{ id: number }>(
          `INSERT INTO score_points (cycle_id, subject, subject_key, points, bus_id, kind, event_ts, case_id,
             rule, scored_at, voided_at, voided_by, void_outcome)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13)
           ON CONFLICT DO NOTHING RETURNING id::int AS id`,
          [
            point.cycle.id,
            point.cycle.subject,
            point.cycle.key,
            point.judged.points,
            point.event.busId,
            point.event.kind,
            point.event.ts.toISOString(),
            point.event.caseId,
            JSON.stringify({ kind: point.event.kind, basis: point.basis, ...point.judged }),
            point.scoredAt.toISOString(),
            point.voided?.at.toISOString() ?? null,
            point.voided?.by ?? null,
            point.voided?.outcome ?? null,
          ],
        )
      )[0]?.id,

    /**
     * Voids the points whose case has been closed with one of `outcomes`, as closed by whom and
     * when; returns the cycles they counted in. A point voided stays, marked.
     */
    voidClosedCases: async (outcomes: readonly string[]) =>
      (
        await db.query<{ cycleId: number }>(
          `UPDATE score_points p SET voided_at = c.closed_at, voided_by = c.closed_by, void_outcome = c.outcome
           FROM alarm_cases c
           WHERE p.case_id = c.id AND p.voided_at IS NULL AND c.state = 'closed' AND c.outcome = ANY($1::text[])
           RETURNING p.cycle_id::int AS "cycleId"`,
          [outcomes],
        )
      ).map((row) => row.cycleId),

    cycle: async (id: number) =>
      (await db.query<StoredCycle & Row>(`SELECT ${cycleColumns} FROM score_cycles WHERE id = $1`, [id]))[0]!,

    total: async (cycleId: number) =>
      (
        await db.query<{ total: number }>(
          `SELECT coalesce(sum(points), 0)::int AS total FROM score_points
           WHERE cycle_id = $1 AND voided_at IS NULL`,
          [cycleId],
        )
      )[0]!.total,

    reachedIn,

    recordReached: async (entry: {
      cycleId: number
      step: ScoreStep
      threshold: number
      total: number
      pointId: number
      at: Date
      task: { busId: string; kind: string; ts: Date } | null
    }) => {
      await db.query(
        `INSERT INTO score_thresholds (cycle_id, step, threshold, reached_at, total, point_id, task_bus_id,
           task_kind, task_ts)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
        [
          entry.cycleId,
          entry.step,
          entry.threshold,
          entry.at.toISOString(),
          entry.total,
          entry.pointId,
          entry.task?.busId ?? null,
          entry.task?.kind ?? null,
          entry.task?.ts.toISOString() ?? null,
        ],
      )
    },

    /** Marks the step fallen below; its task's event key, to note on its case (if it has one). */
    markFallenBelow: async (cycleId: number, step: ScoreStep, at: Date) =>
      (
        await db.query<{ busId: string | null; kind: string | null; ts: Date | null }>(
          `UPDATE score_thresholds SET fallen_below_at = $3
           WHERE cycle_id = $1 AND step = $2 AND fallen_below_at IS NULL
           RETURNING task_bus_id AS "busId", task_kind AS kind, task_ts AS ts`,
          [cycleId, step, at.toISOString()],
        )
      )[0],

    /**
     * Stores a task event of `kind` on `busId` at `at`, or a millisecond on where another task took
     * that key (two subjects reaching a step on one deduction): the inbox's trigger opens its case.
     */
    async addTaskEvent(busId: string, kind: string, at: Date, details: Record<string, unknown>) {
      for (let offsetMs = 0; ; offsetMs++) {
        const ts = new Date(at.getTime() + offsetMs)
        const stored = await db.query(
          `INSERT INTO events (bus_id, kind, ts, details) VALUES ($1, $2, $3, $4::jsonb)
           ON CONFLICT DO NOTHING RETURNING bus_id`,
          [busId, kind, ts.toISOString(), JSON.stringify(details)],
        )
        if (stored.length > 0) return ts
      }
    },

    ...createScoreRemovalQueries(db),

    ...createScoreHistoryQueries(db),
  }
}

export type ScoreQueries = ReturnType<typeof createScoreQueries>
