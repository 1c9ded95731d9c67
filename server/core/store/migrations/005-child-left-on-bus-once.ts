import type { Migration } from './migration.js'

/**
 * One child-left-on-bus alarm per trip and service day, kept by the store: several processes check
 * for it at once, and the trip's end (the API) and its standstill (the alarms' check) may raise it
 * at different times. The insert does nothing on this index and sends only what it stored. Older
 * duplicates are merged first: the acknowledged one is kept, else the earliest.
 */
export const childLeftOnBusOnce: Migration = {
  version: 5,
  name: 'child left on bus once per trip and day',
  async up(tx) {
    await tx.exec(`
DELETE FROM events e USING (
  SELECT bus_id, kind, ts, row_number() OVER (
    PARTITION BY trip_id, details->>'serviceDate'
    ORDER BY acknowledged_at IS NULL, ts, bus_id
  ) AS n
  FROM events WHERE kind = 'child_left_on_bus'
) d
WHERE d.n > 1 AND e.bus_id = d.bus_id AND e.kind = d.kind AND e.ts = d.ts;
CREATE UNIQUE INDEX events_child_left_on_bus_once ON events (trip_id, (details->>'serviceDate'))
  WHERE kind = 'child_left_on_bus';
`)
  },
}
