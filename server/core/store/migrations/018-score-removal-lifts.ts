import type { Migration } from './migration.js'

/**
 * Lifting a driver's removal from school-bus duty (server/core/score/reinstate-driver.ts). Under the
 * Shaoxing model a removal stands until the bureau reinstates the driver after retraining, or its
 * cycle ends; the next cycle starts at 0.
 *
 * - score_removals.lift_note: what the bureau says when it lifts a removal (the retraining done),
 *   beside lifted_at and lifted_by; only a lifted removal has one.
 * - score_removals_standing_idx goes: it let a driver hold one unlifted removal in all, so a removal
 *   of an ended cycle, which lapses without being lifted, kept the driver who reached 12 again in a
 *   later cycle from being removed (the insert met the index and did nothing). One removal per cycle
 *   (cycle_id is unique, and a cycle is one driver's) is the rule that holds.
 */
export const scoreRemovalLifts: Migration = {
  version: 18,
  name: 'score removal lifts',
  async up(tx) {
    await tx.exec(`
ALTER TABLE score_removals ADD COLUMN lift_note text;
ALTER TABLE score_removals ADD CONSTRAINT score_removals_lift_note_check
  CHECK (lift_note IS NULL OR lifted_at IS NOT NULL);
DROP INDEX score_removals_standing_idx;
CREATE INDEX score_removals_staff_idx ON score_removals (staff_id, removed_at);
`)
  },
}
