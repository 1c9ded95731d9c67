import type {
  AlarmCase,
  AlarmCaseHistoryEntry,
  AlarmCaseNote,
  AlarmCaseState,
  AlarmKind,
  AlarmOutcome,
  AlarmSeverity,
} from '../alarms/alarm-case.js'
import type { AlarmCaseStep } from '../alarms/alarm-case-rules.js'
import type { Queryable } from './database.js'

export interface AlarmCaseFilter {
  /** 'all' for the bureau; a school's inbox holds the cases that concern it. */
  schoolId: 'all' | string
  states?: readonly AlarmCaseState[]
  kinds?: readonly string[]
  severities?: readonly AlarmSeverity[]
  busId?: string
  /** On the alarm's own time, from inclusive to exclusive. */
  from?: Date
  to?: Date
  /** Newest first: the page after the one whose last case had this id. */
  beforeId?: number
  limit: number
}

/** What a transition needs to know of the case, read under its row lock. */
export interface LockedAlarmCase {
  id: number
  busId: string
  kind: string
  eventTs: Date
  severity: AlarmSeverity
  schoolIds: string[]
  state: AlarmCaseState
  assignedTo: string | null
}

export interface TracePoint {
  ts: Date
  lat: number
  lon: number
  speedKmh: number | null
  ignition: boolean | null
}

type CaseRow = Omit<AlarmCase, 'where'> & { lat: unknown; lon: unknown }

const caseColumns = `c.id::int AS id, c.bus_id AS "busId", b.plate, c.kind, c.event_ts AS "raisedAt",
  e.trip_id AS "tripId", c.severity, c.school_ids AS "schoolIds", c.state, c.announced_at AS "announcedAt",
  c.acknowledged_by AS "acknowledgedBy", c.acknowledged_at AS "acknowledgedAt",
  c.assigned_to AS "assignedTo", c.assigned_by AS "assignedBy", c.assigned_at AS "assignedAt",
  c.closed_by AS "closedBy", c.closed_at AS "closedAt", c.outcome, c.closing_text AS "closingText",
  c.escalation_level AS "escalationLevel", c.escalated_at AS "escalatedAt", c.escalate_at AS "escalateAt",
  e.details->'lat' AS lat, e.details->'lon' AS lon`
const caseSource = `alarm_cases c
  JOIN events e ON e.bus_id = c.bus_id AND e.kind = c.kind AND e.ts = c.event_ts
  LEFT JOIN buses b ON b.id = c.bus_id`

const toCase = ({ lat, lon, ...row }: CaseRow): AlarmCase => ({
  ...row,
  raisedAt: new Date(row.raisedAt),
  where: typeof lat === 'number' && typeof lon === 'number' ? { lat, lon } : null,
})

const kindColumns = `kind, severity, escalate_after_min AS "escalateAfterMin", updated_by AS "updatedBy",
  updated_at AS "updatedAt"`

/** The alarm inbox in the store: the catalogue of alarm kinds, the cases, their history and notes. */
export function createAlarmCaseQueries(db: Queryable) {
  const casesWhere = async (sql: string, params: unknown[]) =>
    (await db.query<CaseRow>(`SELECT ${caseColumns} FROM ${caseSource} WHERE ${sql}`, params)).map(toCase)

  return {
    listKinds: () =>
      db.query<AlarmKind & Record<string, unknown>>(`SELECT ${kindColumns} FROM alarm_kinds ORDER BY kind`),

    getKind: async (kind: string) =>
      (
        await db.query<AlarmKind & Record<string, unknown>>(
          `SELECT ${kindColumns} FROM alarm_kinds WHERE kind = $1`,
          [kind],
        )
      )[0],

    /** Adds the kind to the catalogue, or changes it; cases already open keep their severity. */
    saveKind: async (entry: Omit<AlarmKind, 'updatedAt'> & { updatedAt: Date }) =>
      (
        await db.query<AlarmKind & Record<string, unknown>>(
          `INSERT INTO alarm_kinds (kind, severity, escalate_after_min, updated_by, updated_at)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (kind) DO UPDATE SET severity = EXCLUDED.severity,
             escalate_after_min = EXCLUDED.escalate_after_min, updated_by = EXCLUDED.updated_by,
             updated_at = EXCLUDED.updated_at
           RETURNING ${kindColumns}`,
          [
            entry.kind,
            entry.severity,
            entry.escalateAfterMin,
            entry.updatedBy,
            entry.updatedAt.toISOString(),
          ],
        )
      )[0]!,

    /** Takes the kind out of the catalogue: its events open no more cases. The removed entry, if any. */
    removeKind: async (kind: string) =>
      (
        await db.query<AlarmKind & Record<string, unknown>>(
          `DELETE FROM alarm_kinds WHERE kind = $1 RETURNING ${kindColumns}`,
          [kind],
        )
      )[0],

    /** Newest first, a page at a time; `nextBeforeId` asks for the next page, null after the last. */
    async listCases(filter: AlarmCaseFilter) {
      const cases = await casesWhere(
        `($1::text IS NULL OR c.school_ids @> ARRAY[$1::text])
           AND ($2::text[] IS NULL OR c.state = ANY($2::text[]))
           AND ($3::text[] IS NULL OR c.kind = ANY($3::text[]))
           AND ($4::text[] IS NULL OR c.severity = ANY($4::text[]))
           AND ($5::text IS NULL OR c.bus_id = $5)
           AND ($6::timestamptz IS NULL OR c.event_ts >= $6)
           AND ($7::timestamptz IS NULL OR c.event_ts < $7)
           AND ($8::bigint IS NULL OR c.id < $8)
         ORDER BY c.id DESC LIMIT $9`,
        [
          filter.schoolId === 'all' ? null : filter.schoolId,
          filter.states ?? null,
          filter.kinds ?? null,
          filter.severities ?? null,
          filter.busId ?? null,
          filter.from?.toISOString() ?? null,
          filter.to?.toISOString() ?? null,
          filter.beforeId ?? null,
          filter.limit,
        ],
      )
      const last = cases[cases.length - 1]
      return { cases, nextBeforeId: cases.length === filter.limit && last ? last.id : null }
    },

    getCase: async (id: number) => (await casesWhere(`c.id = $1`, [id]))[0],

    getCases: (ids: readonly number[]) => casesWhere(`c.id = ANY($1::bigint[]) ORDER BY c.id`, [ids]),

    findCaseOfEvent: async (key: { busId: string; kind: string; ts: Date }) =>
      (
        await casesWhere(`c.bus_id = $1 AND c.kind = $2 AND c.event_ts = $3`, [
          key.busId,
          key.kind,
          key.ts.toISOString(),
        ])
      )[0],

    /**
     * Inside a transaction: the case, locked until it commits, so two people's changes take turns.
     * Its event is locked first, in the order the store's triggers take them (an event's write, then
     * its case's), so that a case worked while its event is re-derived cannot deadlock.
     */
    lockCase: async (id: number) => {
      await db.query(
        `SELECT 1 FROM events e JOIN alarm_cases c ON c.bus_id = e.bus_id AND c.kind = e.kind AND c.event_ts = e.ts
         WHERE c.id = $1 FOR UPDATE OF e`,
        [id],
      )
      return (
        await db.query<LockedAlarmCase & Record<string, unknown>>(
          `SELECT id::int AS id, bus_id AS "busId", kind, event_ts AS "eventTs", severity,
                  school_ids AS "schoolIds", state, assigned_to AS "assignedTo"
           FROM alarm_cases WHERE id = $1 FOR UPDATE`,
          [id],
        )
      )[0]
    },

    /** Makes the steps of one command, with their history, inside the transaction holding the lock. */
    async applySteps(
      id: number,
      steps: readonly AlarmCaseStep[],
      by: { actor: string; at: Date; assignee?: string; outcome?: AlarmOutcome; text?: string },
    ) {
      const at = by.at.toISOString()
      for (const step of steps) {
        switch (step.action) {
          case 'acknowledged':
            await db.query(
              `UPDATE alarm_cases SET state = $2, acknowledged_by = $3, acknowledged_at = $4 WHERE id = $1`,
              [id, step.to, by.actor, at],
            )
            break
          case 'assigned':
            await db.query(
              `UPDATE alarm_cases SET state = $2, assigned_to = $3, assigned_by = $4, assigned_at = $5
               WHERE id = $1`,
              [id, step.to, by.assignee, by.actor, at],
            )
            break
          case 'closed':
            await db.query(
              `UPDATE alarm_cases SET state = $2, closed_by = $3, closed_at = $4, outcome = $5, closing_text = $6
               WHERE id = $1`,
              [id, step.to, by.actor, at, by.outcome, by.text],
            )
            break
        }
        const detail =
          step.action === 'assigned'
            ? { assignee: by.assignee }
            : step.action === 'closed'
              ? { outcome: by.outcome }
              : {}
        await db.query(
          `INSERT INTO alarm_case_history (case_id, at, actor, action, from_state, to_state, detail)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
          [id, at, by.actor, step.action, step.from, step.to, JSON.stringify(detail)],
        )
      }
    },

    addNote: async (id: number, note: { author: string; at: Date; text: string }) =>
      (
        await db.query<AlarmCaseNote & Record<string, unknown>>(
          `INSERT INTO alarm_case_notes (case_id, at, author, text) VALUES ($1, $2, $3, $4)
           RETURNING id::int AS id, at, author, text`,
          [id, note.at.toISOString(), note.author, note.text],
        )
      )[0]!,

    history: (id: number) =>
      db.query<AlarmCaseHistoryEntry & Record<string, unknown>>(
        `SELECT at, actor, action, from_state AS "fromState", to_state AS "toState", detail
         FROM alarm_case_history WHERE case_id = $1 ORDER BY at, id`,
        [id],
      ),

    notes: (id: number) =>
      db.query<AlarmCaseNote & Record<string, unknown>>(
        `SELECT id::int AS id, at, author, text FROM alarm_case_notes WHERE case_id = $1 ORDER BY id`,
        [id],
      ),

    /**
     * Marks cases opened since the last call as sent, at `now`, and sets when the critical ones
     * among them, still open, escalate. Each case is taken by one caller, whatever the number of
     * processes asking at once: the update skips rows another has locked and re-checks the rest.
     */
    announce: async (now: Date, limit: number) =>
      (
        await db.query<{ id: number }>(
          `UPDATE alarm_cases SET announced_at = $1,
             escalate_at = CASE WHEN state = 'open' AND escalate_after_min IS NOT NULL
                                THEN $1::timestamptz + make_interval(mins => escalate_after_min) END
           WHERE id IN (SELECT id FROM alarm_cases WHERE announced_at IS NULL ORDER BY id LIMIT $2
                        FOR UPDATE SKIP LOCKED)
             AND announced_at IS NULL
           RETURNING id::int AS id`,
          [now.toISOString(), limit],
        )
      ).map((row) => row.id),

    /**
     * Escalates the open cases whose time has come, one level each, once: the condition is checked
     * again on the row a concurrent process has just escalated, which then no longer meets it. The
     * next escalation comes as long after, up to `maxLevel`.
     */
    escalate: async (now: Date, maxLevel: number) =>
      (
        await db.query<{ id: number }>(
          `WITH escalated AS (
             UPDATE alarm_cases SET escalation_level = escalation_level + 1, escalated_at = $1,
               escalate_at = CASE WHEN escalation_level + 1 < $2
                                  THEN $1::timestamptz + make_interval(mins => escalate_after_min) END
             WHERE state = 'open' AND escalate_at <= $1
             RETURNING id, escalation_level
           ), logged AS (
             INSERT INTO alarm_case_history (case_id, at, actor, action, from_state, to_state, detail)
             SELECT id, $1, 'platform', 'escalated', 'open', 'open', jsonb_build_object('level', escalation_level)
             FROM escalated
           )
           SELECT id::int AS id FROM escalated ORDER BY id`,
          [now.toISOString(), maxLevel],
        )
      ).map((row) => row.id),

    /** A staff account a case may be assigned to: an active one, by its username. */
    findAccount: async (username: string) =>
      (
        await db.query<{ username: string; role: 'bureau' | 'school'; schoolId: string | null }>(
          `SELECT username, role, school_id AS "schoolId" FROM staff_accounts
           WHERE username = $1 AND disabled_at IS NULL`,
          [username],
        )
      )[0],

    event: async (key: { busId: string; kind: string; ts: Date }) =>
      (
        await db.query<{
          busId: string
          kind: string
          ts: Date
          tripId: string | null
          details: Record<string, unknown>
          acknowledgedBy: string | null
          acknowledgedAt: Date | null
        }>(
          `SELECT bus_id AS "busId", kind, ts, trip_id AS "tripId", details,
                  acknowledged_by AS "acknowledgedBy", acknowledged_at AS "acknowledgedAt"
           FROM events WHERE bus_id = $1 AND kind = $2 AND ts = $3`,
          [key.busId, key.kind, key.ts.toISOString()],
        )
      )[0],

    /** The bus's fix nearest to `at` within `withinS` either side. */
    async positionNear(busId: string, at: Date, withinS: number) {
      const fixes = await db.query<TracePoint & Record<string, unknown>>(
        `(SELECT ts, lat, lon, speed_kmh AS "speedKmh", ignition FROM positions
           WHERE bus_id = $1 AND ts <= $2 AND ts > $2::timestamptz - make_interval(secs => $3)
           ORDER BY ts DESC LIMIT 1)
         UNION ALL
         (SELECT ts, lat, lon, speed_kmh AS "speedKmh", ignition FROM positions
           WHERE bus_id = $1 AND ts > $2 AND ts < $2::timestamptz + make_interval(secs => $3)
           ORDER BY ts LIMIT 1)`,
        [busId, at.toISOString(), withinS],
      )
      const distanceMs = (fix: TracePoint) => Math.abs(new Date(fix.ts).getTime() - at.getTime())
      return fixes.sort((a, b) => distanceMs(a) - distanceMs(b))[0]
    },

    /** The bus's fixes from `from` to `to`, oldest first, at most `limit`. */
    trace: (busId: string, window: { from: Date; to: Date; limit: number }) =>
      db.query<TracePoint & Record<string, unknown>>(
        `SELECT ts, lat, lon, speed_kmh AS "speedKmh", ignition FROM positions
         WHERE bus_id = $1 AND ts >= $2 AND ts <= $3 ORDER BY ts LIMIT $4`,
        [busId, window.from.toISOString(), window.to.toISOString(), window.limit],
      ),

    bus: async (busId: string) =>
      (
        await db.query<{
          id: string
          plate: string
          operator: string
          kind: string
          schoolId: string | null
        }>(`SELECT id, plate, operator, kind, school_id AS "schoolId" FROM buses WHERE id = $1`, [busId])
      )[0],

    /** 一车一员一警: the bus's driver, attendant and police contact, as the staff register holds them. */
    busContacts: (busId: string) =>
      db.query<{ staffId: string; role: string; name: string; phone: string | null; unit: string | null }>(
        `SELECT id AS "staffId", role, name, phone, unit FROM staff WHERE bus_id = $1
         ORDER BY CASE role WHEN 'driver' THEN 0 WHEN 'attendant' THEN 1 ELSE 2 END, id`,
        [busId],
      ),
  }
}

export type AlarmCaseQueries = ReturnType<typeof createAlarmCaseQueries>
