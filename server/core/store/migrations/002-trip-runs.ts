import type { Migration } from './migration.js'

/** The attendant's end of each trip run, with the empty-bus check that came with it. */
export const tripRuns: Migration = {
  version: 2,
  name: 'trip runs',
  async up(tx) {
    await tx.exec(`
CREATE TABLE trip_runs (
  trip_id text NOT NULL REFERENCES trips (id),
  service_date date NOT NULL,
  ended_at timestamptz NOT NULL,
  ended_by text NOT NULL,
  confirmed_empty boolean NOT NULL,
  PRIMARY KEY (trip_id, service_date)
);
CREATE INDEX events_trip_idx ON events (trip_id, kind);
`)
  },
}
