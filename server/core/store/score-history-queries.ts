import type { AlarmCaseState, AlarmOutcome } from '../alarms/alarm-case.js'
import type { PointsJudged, ScoreSubject, ScoreSubjectKey } from '../score/score-rule.js'
import type { Queryable, Row } from './database.js'

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

/** The score as the board reads it: each cycle's total, and the deductions behind it. */
export function createScoreHistoryQueries(db: Queryable) {
  return {
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
