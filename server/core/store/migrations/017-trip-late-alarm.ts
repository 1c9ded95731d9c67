import type { Migration } from './migration.js'

/**
 * A late trip joins the alarm catalogue: the events part raises `trip_late` once per trip and
 * service day, when its bus first reaches a call ten minutes or more after the timetable. Pupils
 * wait at the roadside and lessons start without them, so the bureau follows each one up (major);
 * nobody has to act within minutes, so it never escalates. A catalogue where the bureau has named
 * the kind already keeps its own setting. No event of the kind is stored before, so no case opens
 * for the past.
 */
export const tripLateAlarm: Migration = {
  version: 17,
  name: 'trip-late-alarm',
  async up(tx) {
    await tx.exec(`
INSERT INTO alarm_kinds (kind, severity, escalate_after_min, updated_by, updated_at) VALUES
  ('trip_late', 'major', NULL, 'platform', now())
ON CONFLICT (kind) DO NOTHING;
`)
  },
}
