import type { Migration } from './migration.js'

/**
 * What a done plan keeps for the what-ifs made on it (its stops, travel table and chosen routes,
 * compressed; see server/core/planning/plan-workings-codec.ts), beside its result rather than in
 * it, so that reading a plan never carries them. Plans stored before have none: a what-if on one
 * plans everything again and says so.
 */
export const planWorkings: Migration = {
  version: 13,
  name: 'plan workings',
  async up(tx) {
    await tx.exec(`ALTER TABLE plans ADD COLUMN workings bytea;`)
  },
}
