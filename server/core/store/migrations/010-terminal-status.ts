import type { Migration } from './migration.js'

/**
 * What a bus's own terminal reports besides its position (server/core/broker/terminal-status.ts):
 * the alarms it has set, open doors, odometer, satellites, signal and the video recorder's health.
 * One json column, null for reports that carry none: most reports (the simulator's, a phone's)
 * carry none, and the fields differ between terminal models. json rather than jsonb: it is written
 * with every report of a real terminal and read back whole, never searched into, and json only
 * checks the text where jsonb parses it into a tree, which made storing it cost twice as much.
 */
export const terminalStatus: Migration = {
  version: 10,
  name: 'terminal-status',
  async up(tx) {
    await tx.exec(`ALTER TABLE positions ADD COLUMN terminal json`)
  },
}
