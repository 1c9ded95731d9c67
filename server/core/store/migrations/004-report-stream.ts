import type { Migration } from './migration.js'

const streamedTables = ['positions', 'limiter_states'] as const

/**
 * The committed reports as a stream that any number of processes can read (server/core/stream/):
 * each telemetry row records the 64-bit id of the transaction that stored it, and consumers lease
 * partitions of the buses and keep a checkpoint per partition.
 *
 * The column is added without a default first, so the rows already stored keep NULL (= consumed)
 * and nothing is rewritten: TimescaleDB may refuse a volatile default on a compressed hypertable,
 * and PostgreSQL would rewrite the whole table for one. The default is set afterwards, for new rows
 * only. Writers must list their columns (see workers/ingest/write-telemetry-batch.ts), so the
 * default, not a staging table's NULL, fills it.
 */
export const reportStream: Migration = {
  version: 4,
  name: 'report stream',
  async up(tx) {
    for (const table of streamedTables) {
      await tx.exec(`ALTER TABLE ${table} ADD COLUMN ingest_xid xid8`)
      await tx.exec(`ALTER TABLE ${table} ALTER COLUMN ingest_xid SET DEFAULT pg_current_xact_id()`)
      await tx.exec(`CREATE INDEX ${table}_ingest_xid_idx ON ${table} (ingest_xid)`)
    }
    await tx.exec(`
-- One row per consumer ('events', 'live') and partition of the buses: who holds it until when, and
-- the transaction id below which the partition's reports are done (every report with
-- checkpoint <= ingest_xid is still to be handled).
CREATE TABLE stream_leases (
  consumer text NOT NULL,
  partition integer NOT NULL CHECK (partition >= 0),
  holder text,
  expires_at timestamptz NOT NULL DEFAULT '-infinity',
  checkpoint xid8 NOT NULL,
  PRIMARY KEY (consumer, partition)
);
-- The processes of each consumer, heartbeating: how many share the partitions.
CREATE TABLE stream_members (
  consumer text NOT NULL,
  member text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (consumer, member)
);
`)
  },
}
