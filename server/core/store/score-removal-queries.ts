import type { ScoreCycle } from '../score/score-cycle.js'
import type { Queryable, Row } from './database.js'

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

/** Drivers taken off school-bus duty by their score, companies at removal, and who may be scored. */
export function createScoreRemovalQueries(db: Queryable) {
  return {
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
  }
}
