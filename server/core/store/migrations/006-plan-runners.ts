import type { Migration } from './migration.js'

/**
 * Which process runs each plan, and when the store last heard from it: several processes may run
 * the planner part on one database, and a plan is abandoned only once the process that runs it has
 * gone quiet (server/planning/plan-runner.ts refreshes `runner_seen_at` while its plans run). Plans
 * stored before this migration keep NULL in both columns and count as abandoned if still running.
 */
export const planRunners: Migration = {
  version: 6,
  name: 'plan runners',
  async up(tx) {
    await tx.exec(`
ALTER TABLE plans ADD COLUMN runner text;
ALTER TABLE plans ADD COLUMN runner_seen_at timestamptz;
`)
  },
}
