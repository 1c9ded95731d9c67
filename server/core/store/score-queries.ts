import type { AlarmCaseState, AlarmOutcome } from '../alarms/alarm-case.js'
import type { ScoreCycle } from '../score/score-cycle.js'
import type {
  PointsJudged,
  ScoreBands,
  ScoreRule,
  ScoreSubject,
  ScoreSubjectKey,
} from '../score/score-rule.js'
import type { ReachedStep, ScoreStep, ScoreThresholds } from '../score/score-thresholds.js'
import type { Queryable } from './database.js'

/** Any fixed number: two processes scoring at once take turns, so a total is never judged twice. */
const scoringLockKey = 7_302_016

export interface ScoreSettings {
  /** 1: cycles are calendar years; 9: school years. */
  cycleStartMonth: number
  thresholds: ScoreThresholds
  updatedBy: string
  updatedAt: Date
}

export interface StoredScoreRule extends ScoreRule {
  updatedBy: string
  updatedAt: Date
}

/** An alarm event the score has not judged yet, with what judging it needs. */
export interface UnjudgedEvent {
  caseId: number
  busId: string
  kind: string
  ts: Date
  tripId: string | null
  details: Record<string, unknown>
  caseState: AlarmCaseState
  outcome: AlarmOutcome | null
  closedBy: string | null
  closedAt: Date | null
  /** The bus's driver as the staff register assigns them now (the first by code if several). */
  driverId: string | null
  /** The bus's operator. */
  company: string | null
}

export interface StoredCycle extends ScoreCycle {
  id: number
  subject: ScoreSubject
  key: string
}

/** A deduction as the history lists it: with its event and its case, one click from the point. */
export interface ScorePointEntry {
  id: number
  points: number
  rule: { kind: string; basis: string | null } & PointsJudged
  scoredAt: Date
  voided: { at: Date; by: string; outcome: AlarmOutcome } | null
  event: {
    busId: string
    plate: string | null
    kind: string
    ts: Date
    tripId: string | null
    details: Record<string, unknown>
  }
  case: {
    id: number
    state: AlarmCaseState
    outcome: AlarmOutcome | null
    closedBy: string | null
    closedAt: Date | null
  } | null
}

export interface ReachedStepEntry extends ReachedStep {
  reachedAt: Date
  /** The total when it was reached. */
  total: number
  /** The task's case in the inbox; null for a step passed on the way to a higher one. */
  caseId: number | null
  fallenBelowAt: Date | null
}

export interface CycleScore {
  cycleId: number
  subject: ScoreSubject
  key: string
  startsOn: string
  endsOn: string
  total: number
  voidedPoints: number
  deductions: number
}

type Row = Record<string, unknown>

/** A driver's removal from school-bus duty: by which cycle, and whether and how the bureau lifted it. */
export interface RemovalEntry {
  staffId: string
  cycleId: number
  cycle: ScoreCycle
  removedAt: Date
  liftedAt: Date | null
  liftedBy: string | null
  /** What the bureau said lifting it (the retraining done); null while it stands. */
  note: string | null
}

const removalSelect = `SELECT r.staff_id AS "staffId", r.cycle_id::int AS "cycleId",
    json_build_object('startsOn', c.starts_on, 'endsOn', c.ends_on) AS cycle, r.removed_at AS "removedAt",
    r.lifted_at AS "liftedAt", r.lifted_by AS "liftedBy", r.lift_note AS note
  FROM score_removals r JOIN score_cycles c ON c.id = r.cycle_id`

const settingsColumns = `cycle_start_month AS "cycleStartMonth", interview_at AS "interviewAt",
  warning_at AS "warningAt", removal_at AS "removalAt", updated_by AS "updatedBy", updated_at AS "updatedAt"`

type SettingsRow = {
  cycleStartMonth: number
  interviewAt: number
  warningAt: number
  removalAt: number
  updatedBy: string
  updatedAt: Date
}

const toSettings = (row: SettingsRow): ScoreSettings => ({
  cycleStartMonth: row.cycleStartMonth,
  thresholds: { interview: row.interviewAt, warning: row.warningAt, removal: row.removalAt },
  updatedBy: row.updatedBy,
  updatedAt: row.updatedAt,
})

const ruleColumns = `kind, points, bands, subjects, basis, updated_by AS "updatedBy", updated_at AS "updatedAt"`

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

    settings: async () =>
      toSettings((await db.query<SettingsRow & Row>(`SELECT ${settingsColumns} FROM score_settings`))[0]!),

    saveSettings: async (settings: ScoreSettings) =>
      toSettings(
        (
          await db.query<SettingsRow & Row>(
            `UPDATE score_settings SET cycle_start_month = $1, interview_at = $2, warning_at = $3,
               removal_at = $4, updated_by = $5, updated_at = $6
             RETURNING ${settingsColumns}`,
            [
              settings.cycleStartMonth,
              settings.thresholds.interview,
              settings.thresholds.warning,
              settings.thresholds.removal,
              settings.updatedBy,
              settings.updatedAt.toISOString(),
            ],
          )
        )[0]!,
      ),

    rules: () => db.query<StoredScoreRule & Row>(`SELECT ${ruleColumns} FROM score_rules ORDER BY kind`),

    /** The whole table, replaced: a kind left out costs nothing from now on. */
    async replaceRules(rules: readonly ScoreRule[], by: { actor: string; at: Date }) {
      await db.query(`DELETE FROM score_rules`)
      for (const rule of rules) {
        await db.query(
          `INSERT INTO score_rules (kind, points, bands, subjects, basis, updated_by, updated_at)
           VALUES ($1, $2, $3::jsonb, $4::text[], $5, $6, $7)`,
          [
            rule.kind,
            rule.points,
            rule.bands ? JSON.stringify(rule.bands satisfies ScoreBands) : null,
            rule.subjects,
            rule.basis,
            by.actor,
            by.at.toISOString(),
          ],
        )
      }
      return db.query<StoredScoreRule & Row>(`SELECT ${ruleColumns} FROM score_rules ORDER BY kind`)
    },

    /**
     * The alarm events of `kinds` since `since` the score has not judged, oldest first. The driver
     * and company are read now, as the registers give them when the event is judged.
     */
    unjudgedEvents: async (kinds: readonly string[], since: Date, limit: number) =>
      (
        await db.query<UnjudgedEvent & Row>(
          `SELECT c.id::int AS "caseId", c.bus_id AS "busId", c.kind, c.event_ts AS ts, e.trip_id AS "tripId",
                  e.details, c.state AS "caseState", c.outcome, c.closed_by AS "closedBy",
                  c.closed_at AS "closedAt", b.operator AS company,
                  (SELECT s.id FROM staff s WHERE s.bus_id = c.bus_id AND s.role = 'driver'
                    ORDER BY s.id LIMIT 1) AS "driverId"
           FROM alarm_cases c
           JOIN events e ON e.bus_id = c.bus_id AND e.kind = c.kind AND e.ts = c.event_ts
           LEFT JOIN buses b ON b.id = c.bus_id
           WHERE c.kind = ANY($1::text[]) AND c.event_ts >= $2
             AND NOT EXISTS (SELECT 1 FROM scored_events j
                             WHERE j.bus_id = c.bus_id AND j.kind = c.kind AND j.event_ts = c.event_ts)
           ORDER BY c.event_ts, c.id
           LIMIT $3`,
          [kinds, since.toISOString(), limit],
        )
      ).map((row) => ({ ...row, ts: new Date(row.ts) })),

    /** Marks the event judged; false when it already was (by another process). */
    judgeEvent: async (
      event: Pick<UnjudgedEvent, 'busId' | 'kind' | 'ts' | 'caseId' | 'driverId' | 'company'>,
      result: 'scored' | 'no_points',
      at: Date,
    ) =>
      (
        await db.query(
          `INSERT INTO scored_events (bus_id, kind, event_ts, case_id, judged_at, result, driver_id, company)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING bus_id`,
          [
            event.busId,
            event.kind,
            event.ts.toISOString(),
            event.caseId,
            at.toISOString(),
            result,
            event.driverId,
            event.company,
          ],
        )
      ).length > 0,

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

    /** Takes the driver off school-bus duty, unless a removal already stands. */
    removeDriver: async (staffId: string, cycleId: number, at: Date) => {
      await db.query(
        `INSERT INTO score_removals (staff_id, cycle_id, removed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [staffId, cycleId, at.toISOString()],
      )
    },

    /**
     * The drivers off school-bus duty by their score on `day`: a removal of the driver's cycle holding
     * the day that the bureau has not lifted. A removal lapses when its cycle ends, as the next cycle
     * starts at 0. What the compliance register reads.
     */
    standingRemovals: (day: string) =>
      db.query<{ staffId: string; removedAt: Date; cycleId: number }>(
        `SELECT r.staff_id AS "staffId", r.removed_at AS "removedAt", r.cycle_id::int AS "cycleId"
         FROM score_removals r JOIN score_cycles c ON c.id = r.cycle_id
         WHERE r.lifted_at IS NULL AND c.starts_on <= $1::date AND c.ends_on >= $1::date
         ORDER BY r.staff_id`,
        [day],
      ),

    /**
     * The operating companies whose cycle holding `day` reached removal and stands there: no lifting
     * as for a driver, but points voided since (a false alarm, a fault of the equipment) that took
     * the total back under the threshold withdraw it.
     */
    companiesAtRemoval: (day: string) =>
      db.query<{ operator: string }>(
        `SELECT c.subject_key AS operator
         FROM score_thresholds t JOIN score_cycles c ON c.id = t.cycle_id
         WHERE c.subject = 'company' AND t.step = 'removal' AND t.fallen_below_at IS NULL
           AND c.starts_on <= $1::date AND c.ends_on >= $1::date
         ORDER BY c.subject_key`,
        [day],
      ),

    /** A driver's removals, standing, lifted or lapsed, newest first, each with its cycle. */
    removalsOf: (staffId: string) =>
      db.query<RemovalEntry & Row>(`${removalSelect} WHERE r.staff_id = $1 ORDER BY r.removed_at DESC`, [
        staffId,
      ]),

    /**
     * Lifts the driver's removal standing on `day` (see standingRemovals), as the bureau reinstates
     * them, with its note; undefined when none stands. Two lifting at once: the second finds it
     * lifted, as the row is locked by the first until it commits.
     */
    liftRemoval: async (staffId: string, day: string, by: { actor: string; at: Date; note: string }) => {
      const [lifted] = await db.query<{ id: number }>(
        `UPDATE score_removals r SET lifted_at = $3, lifted_by = $4, lift_note = $5
         FROM score_cycles c
         WHERE c.id = r.cycle_id AND r.staff_id = $1 AND r.lifted_at IS NULL
           AND c.starts_on <= $2::date AND c.ends_on >= $2::date
         RETURNING r.id::int AS id`,
        [staffId, day, by.at.toISOString(), by.actor, by.note],
      )
      if (!lifted) return undefined
      return (await db.query<RemovalEntry & Row>(`${removalSelect} WHERE r.id = $1`, [lifted.id]))[0]!
    },

    /** Who may be scored as the registers hold them now: the drivers, and the operators of the buses. */
    roster: async () => {
      const drivers = await db.query<{ key: string; name: string; busId: string | null }>(
        `SELECT id AS key, name, bus_id AS "busId" FROM staff WHERE role = 'driver' ORDER BY id`,
      )
      const companies = await db.query<{ key: string; busIds: string[] }>(
        `SELECT operator AS key, array_agg(id ORDER BY id) AS "busIds" FROM buses GROUP BY operator ORDER BY operator`,
      )
      return { drivers, companies }
    },

    /** Every subject's cycle holding `day`, with its total, what was voided and how many deductions. */
    scoresOn: (day: string, subject: ScoreSubject | null) =>
      db.query<CycleScore & Row>(
        `SELECT c.id::int AS "cycleId", c.subject, c.subject_key AS key, c.starts_on AS "startsOn",
                c.ends_on AS "endsOn",
                coalesce(sum(p.points) FILTER (WHERE p.voided_at IS NULL), 0)::int AS total,
                coalesce(sum(p.points) FILTER (WHERE p.voided_at IS NOT NULL), 0)::int AS "voidedPoints",
                count(p.id)::int AS deductions
         FROM score_cycles c LEFT JOIN score_points p ON p.cycle_id = c.id
         WHERE c.starts_on <= $1::date AND c.ends_on >= $1::date AND ($2::text IS NULL OR c.subject = $2)
         GROUP BY c.id`,
        [day, subject],
      ),

    /** A subject's cycles, oldest first, each with its total. */
    cycleTotalsOf: (who: ScoreSubjectKey) =>
      db.query<CycleScore & Row>(
        `SELECT c.id::int AS "cycleId", c.subject, c.subject_key AS key, c.starts_on AS "startsOn",
                c.ends_on AS "endsOn",
                coalesce(sum(p.points) FILTER (WHERE p.voided_at IS NULL), 0)::int AS total,
                coalesce(sum(p.points) FILTER (WHERE p.voided_at IS NOT NULL), 0)::int AS "voidedPoints",
                count(p.id)::int AS deductions
         FROM score_cycles c LEFT JOIN score_points p ON p.cycle_id = c.id
         WHERE c.subject = $1 AND c.subject_key = $2
         GROUP BY c.id ORDER BY c.starts_on`,
        [who.subject, who.key],
      ),

    /** Every deduction of a cycle, oldest event first, with its event and its case. */
    pointsIn: async (cycleId: number): Promise<ScorePointEntry[]> =>
      (
        await db.query<Row>(
          `SELECT p.id::int AS id, p.points, p.rule, p.scored_at AS "scoredAt", p.voided_at AS "voidedAt",
                  p.voided_by AS "voidedBy", p.void_outcome AS "voidOutcome", p.bus_id AS "busId",
                  b.plate, p.kind, p.event_ts AS ts, e.trip_id AS "tripId", e.details,
                  c.id::int AS "caseId", c.state AS "caseState", c.outcome AS "caseOutcome",
                  c.closed_by AS "closedBy", c.closed_at AS "closedAt"
           FROM score_points p
           LEFT JOIN events e ON e.bus_id = p.bus_id AND e.kind = p.kind AND e.ts = p.event_ts
           LEFT JOIN alarm_cases c ON c.id = p.case_id
           LEFT JOIN buses b ON b.id = p.bus_id
           WHERE p.cycle_id = $1
           ORDER BY p.event_ts, p.id`,
          [cycleId],
        )
      ).map(toPointEntry),
  }
}

/** The history never shows a pupil's name: a child left on the bus is named in its case, where reading is audited. */
const withoutPupils = (details: unknown): Record<string, unknown> => {
  if (!details || typeof details !== 'object') return {}
  const { pupils: _pupils, ...rest } = details as Record<string, unknown>
  return rest
}

function toPointEntry(row: Row): ScorePointEntry {
  return {
    id: row.id as number,
    points: row.points as number,
    rule: row.rule as ScorePointEntry['rule'],
    scoredAt: row.scoredAt as Date,
    voided:
      row.voidedAt === null
        ? null
        : {
            at: row.voidedAt as Date,
            by: row.voidedBy as string,
            outcome: row.voidOutcome as AlarmOutcome,
          },
    event: {
      busId: row.busId as string,
      plate: (row.plate as string | null) ?? null,
      kind: row.kind as string,
      ts: new Date(row.ts as Date),
      tripId: (row.tripId as string | null) ?? null,
      details: withoutPupils(row.details),
    },
    case:
      row.caseId === null
        ? null
        : {
            id: row.caseId as number,
            state: row.caseState as AlarmCaseState,
            outcome: (row.caseOutcome as AlarmOutcome | null) ?? null,
            closedBy: (row.closedBy as string | null) ?? null,
            closedAt: (row.closedAt as Date | null) ?? null,
          },
  }
}

export type ScoreQueries = ReturnType<typeof createScoreQueries>
