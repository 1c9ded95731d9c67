import type { Migration } from './migration.js'

/**
 * Each time the bureau gives a trip another bus (a breakdown, a swap): the service day it is for,
 * when, the bus before and after, and who made it. The parents' ride answer reads the day's
 * changes from here, so a guardian who was not connected when it happened, a second guardian or
 * a new phone learns of it too. The buses are kept by id without a reference: a bus taken out of
 * the registers later must not take its history with it, nor be kept in by it.
 */
export const tripBusChanges: Migration = {
  version: 14,
  name: 'trip bus changes',
  async up(tx) {
    await tx.exec(`
CREATE TABLE trip_bus_changes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  trip_id text NOT NULL REFERENCES trips (id) ON DELETE CASCADE,
  service_date date NOT NULL,
  changed_at timestamptz NOT NULL,
  old_bus_id text,
  new_bus_id text NOT NULL,
  changed_by text NOT NULL
);
CREATE INDEX trip_bus_changes_day_idx ON trip_bus_changes (service_date, trip_id, changed_at);
`)
  },
}
