import type { PlanMetrics, PlanResult } from '../../../geo/planner/plan-model.js'
import type { Queryable } from './database.js'
import type { PlanBasis } from '../planning/plan-basis.js'
import type { PlanRequest } from '../planning/plan-request.js'

export type PlanStatus = 'running' | 'done' | 'failed' | 'cancelled'

/** What the `result` column holds: the plan with its GTFS files, or why there is none. */
export type StoredPlanOutcome = { plan: PlanResult; gtfs: Record<string, string> } | { error: string }

export interface PlanSummary {
  id: string
  name: string | null
  status: PlanStatus
  createdAt: string
  createdBy: string
  /** The plan's headline figures once it is done. */
  metrics: PlanMetrics | null
}

export interface StoredPlan extends PlanSummary {
  inputs: PlanRequest
  /** What the plan ran on, once its worker built its input; stored in `inputs` beside the request. */
  basis: PlanBasis | null
  outcome: StoredPlanOutcome | null
}

const summaryColumns = `id, inputs->>'name' AS name, status,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  created_by AS "createdBy", result->'plan'->'metrics' AS metrics`

/**
 * The `plans` table: one row per plan the bureau asked for, its inputs and its outcome. `inputs` is
 * the request, with `basis` added once the worker has built the planner's input. `runner` is the
 * process that runs the plan and `runner_seen_at` when it last said so, by the store's clock.
 */
export function createPlanQueries(db: Queryable) {
  return {
    /** Stores a running plan of `runner` (the process that runs it), seen now by the store's clock. */
    async insertPlan(plan: {
      id: string
      createdBy: string
      inputs: PlanRequest
      createdAt: Date
      runner: string
    }) {
      await db.query(
        `INSERT INTO plans (id, created_at, created_by, status, inputs, runner, runner_seen_at)
         VALUES ($1, $2, $3, 'running', $4::jsonb, $5, now())`,
        [plan.id, plan.createdAt.toISOString(), plan.createdBy, JSON.stringify(plan.inputs), plan.runner],
      )
    },

    /** Tells the other processes that `runner` still runs its plans: their `runner_seen_at` is now. */
    async markRunnerSeen(runner: string): Promise<number> {
      const rows = await db.query<{ id: string }>(
        `UPDATE plans SET runner_seen_at = now() WHERE runner = $1 AND status = 'running' RETURNING id`,
        [runner],
      )
      return rows.length
    },

    async recordBasis(id: string, basis: PlanBasis) {
      await db.query(
        `UPDATE plans SET inputs = inputs || jsonb_build_object('basis', $2::jsonb) WHERE id = $1`,
        [id, JSON.stringify(basis)],
      )
    },

    /**
     * Ends a running plan; false when it had already ended (a cancel and the result crossed). A done
     * plan may keep its workings (plan-workings-codec.ts) for the what-ifs made on it.
     */
    async finishPlan(
      id: string,
      status: Exclude<PlanStatus, 'running'>,
      outcome: StoredPlanOutcome | null,
      workings: Uint8Array | null = null,
    ) {
      const rows = await db.query(
        `UPDATE plans SET status = $2, result = $3::jsonb, workings = decode($4, 'base64')
         WHERE id = $1 AND status = 'running' RETURNING id`,
        [
          id,
          status,
          outcome === null ? null : JSON.stringify(outcome),
          workings === null ? null : Buffer.from(workings).toString('base64'),
        ],
      )
      return rows.length > 0
    },

    /** A plan's stored workings; null when it has none (not done, or stored before they were kept). */
    async findPlanWorkings(id: string): Promise<Buffer | null> {
      const [row] = await db.query<{ workings: string | null }>(
        `SELECT encode(workings, 'base64') AS workings FROM plans WHERE id = $1`,
        [id],
      )
      return row?.workings ? Buffer.from(row.workings, 'base64') : null
    },

    /**
     * Fails the plans still marked running whose process is gone, so none will ever end: those whose
     * runner the store has not seen for `unseenForMs` (by the store's own now(), which every process
     * shares), and those stored before plans had runners (no `runner_seen_at`). `exceptRunner`'s
     * plans are left alone: the caller runs them.
     */
    async failAbandonedPlans(
      reason: string,
      options: { unseenForMs: number; exceptRunner?: string },
    ): Promise<string[]> {
      const rows = await db.query<{ id: string }>(
        `UPDATE plans SET status = 'failed', result = $1::jsonb
         WHERE status = 'running'
           AND (runner_seen_at IS NULL
                OR runner_seen_at < now() - $2::double precision * interval '1 millisecond')
           AND ($3::text IS NULL OR runner IS DISTINCT FROM $3::text)
         RETURNING id`,
        [
          JSON.stringify({ error: reason } satisfies StoredPlanOutcome),
          options.unseenForMs,
          options.exceptRunner ?? null,
        ],
      )
      return rows.map((row) => row.id)
    },

    listPlans: (limit: number) =>
      db.query<PlanSummary & Record<string, unknown>>(
        `SELECT ${summaryColumns} FROM plans ORDER BY created_at DESC, id LIMIT $1`,
        [limit],
      ),

    async findPlan(id: string): Promise<StoredPlan | undefined> {
      const [row] = await db.query<StoredPlan & Record<string, unknown>>(
        `SELECT ${summaryColumns}, inputs - 'basis' AS inputs, inputs->'basis' AS basis, result AS outcome
         FROM plans WHERE id = $1`,
        [id],
      )
      return row
    },

    async findSchoolIds(ids: string[]): Promise<Set<string>> {
      const rows = await db.query<{ id: string }>(`SELECT id FROM schools WHERE id = ANY ($1::text[])`, [ids])
      return new Set(rows.map((row) => row.id))
    },

    /** The homes of the pupils who ride a school bus: only for counting, never shown one by one. */
    riderHomes: () =>
      db.query<{ lat: number; lon: number }>(
        `SELECT home_lat AS lat, home_lon AS lon FROM pupils p
         WHERE home_lat IS NOT NULL AND home_lon IS NOT NULL
           AND EXISTS (SELECT 1 FROM trip_pupils tp WHERE tp.pupil_id = p.id)`,
      ),

    /** Today's morning trips through their stops, and how many buses and riders they have. */
    async todayService(isoWeekday: number) {
      const routes = await db.query<{ id: string; kind: string; coordinates: [number, number][] }>(
        `SELECT t.id, coalesce(l.kind, 'school_bus') AS kind,
                json_agg(json_build_array(s.lon, s.lat) ORDER BY ts.seq) AS coordinates
         FROM trips t
         JOIN trip_stops ts ON ts.trip_id = t.id
         JOIN stops s ON s.id = ts.stop_id
         LEFT JOIN lines l ON l.id = t.line_id
         WHERE t.direction = 'to_school' AND $1::int = ANY (t.weekdays)
         GROUP BY t.id, l.kind ORDER BY t.id`,
        [isoWeekday],
      )
      const [counts] = await db.query<{ buses: number; riders: number }>(
        `SELECT count(DISTINCT t.bus_id)::int AS buses, count(DISTINCT tp.pupil_id)::int AS riders
         FROM trips t LEFT JOIN trip_pupils tp ON tp.trip_id = t.id
         WHERE $1::int = ANY (t.weekdays)`,
        [isoWeekday],
      )
      return { buses: counts?.buses ?? 0, riders: counts?.riders ?? 0, routes }
    },
  }
}
