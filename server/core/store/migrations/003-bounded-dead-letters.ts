import type { Migration } from './migration.js'

/**
 * Dead letters keep an excerpt of the payload and its full size instead of the whole payload, and
 * expire (see expire-dead-letters.ts): one device sending megabytes could otherwise fill the store.
 */
export const boundedDeadLetters: Migration = {
  version: 3,
  name: 'bounded dead letters',
  async up(tx) {
    await tx.exec(`
ALTER TABLE dead_letters ADD COLUMN payload_bytes integer;
UPDATE dead_letters SET payload_bytes = length(payload), payload = substring(payload FROM 1 FOR 1024);
ALTER TABLE dead_letters ALTER COLUMN payload_bytes SET NOT NULL;
CREATE INDEX dead_letters_received_at_idx ON dead_letters (received_at);
`)
  },
}
