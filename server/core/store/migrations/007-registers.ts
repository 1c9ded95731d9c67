import type { Migration } from './migration.js'

/**
 * The store takes what the bureau's registers hold (server/core/registers/register-records.ts): a
 * bus's terminal, permit, inspection and insurance; staff particulars as columns instead of a JSON
 * bag; the stop each pupil uses; and the log of who changed or took what from the registers.
 *
 * A pupil's stop is filled from the rides already stored, where the pupil boards a morning trip or
 * leaves an afternoon one, so that stored riders pass the registers' checks on the next import.
 * Guardians are keyed by phone in the registers, so a phone belongs to one guardian. The new
 * indexes serve lookups by natural key and the foreign-key checks of removing pupils and stops.
 */
export const registers: Migration = {
  version: 7,
  name: 'registers',
  async up(tx) {
    await tx.exec(`
ALTER TABLE buses
  ADD COLUMN terminal_no text UNIQUE,
  ADD COLUMN permit_no text,
  ADD COLUMN permit_valid_until date,
  ADD COLUMN inspected_on date,
  ADD COLUMN insurance_until date;

ALTER TABLE staff
  ADD COLUMN licence_class text,
  ADD COLUMN licence_date date,
  ADD COLUMN birth_date date,
  ADD COLUMN reviewed_on date,
  ADD COLUMN trained_on date,
  ADD COLUMN unit text;
UPDATE staff SET licence_class = details->>'licenceClass', unit = details->>'unit';
ALTER TABLE staff DROP COLUMN details;

ALTER TABLE pupils ADD COLUMN stop_id text REFERENCES stops (id);
ALTER TABLE pupils DROP COLUMN settlement_id;
UPDATE pupils p SET stop_id = (
  SELECT ts.stop_id FROM trip_pupils tp
    JOIN trips t ON t.id = tp.trip_id
    JOIN trip_stops ts ON ts.trip_id = tp.trip_id
     AND ts.seq = CASE t.direction WHEN 'to_school' THEN tp.board_seq ELSE tp.alight_seq END
   WHERE tp.pupil_id = p.id
   ORDER BY t.direction = 'from_school', tp.trip_id
   LIMIT 1
);
CREATE INDEX pupils_stop_idx ON pupils (stop_id);
CREATE INDEX trip_stops_stop_idx ON trip_stops (stop_id);
CREATE INDEX boarding_events_pupil_idx ON boarding_events (pupil_id);
CREATE UNIQUE INDEX guardians_phone_key ON guardians (phone);

ALTER TABLE towns ALTER COLUMN name_en DROP NOT NULL;

CREATE TABLE register_changes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL CHECK (action IN ('import', 'edit', 'remove', 'export')),
  register text,
  record_key text,
  summary jsonb NOT NULL DEFAULT '{}',
  before jsonb,
  after jsonb
);
CREATE INDEX register_changes_at_idx ON register_changes (at DESC);
CREATE INDEX register_changes_record_idx ON register_changes (register, record_key);
`)
  },
}
