import type { Migration } from './migration.js'

/**
 * The bureau's alarm inbox (server/core/alarms/): which event kinds are alarms, and a case for each
 * alarm, worked from open to closed.
 *
 * - alarm_kinds: the catalogue, edited by the bureau. A critical kind names the minutes after which
 *   a case nobody has acknowledged escalates; other kinds never escalate.
 * - alarm_cases: one per alarm event, opened by a trigger on events, so that every writer (the
 *   events part, the child-left-on-bus alarm in the API and the alarms part, the terminal alarms,
 *   the route and papers checks to come) opens it without knowing of it, in the transaction that
 *   stores the event, and a re-derived event (ON CONFLICT ... DO UPDATE fires no insert trigger) or
 *   a second insert (ON CONFLICT DO NOTHING here) never opens a second one. Severity and escalation
 *   minutes are copied from the catalogue when the case opens: an edit changes later cases only.
 *   school_ids are the schools the case concerns, for the schools' inbox: the school of the event's
 *   trip, or, for an event of no trip, the schools of the bus's trips that weekday and the school
 *   that contracts the bus. announced_at is when the alarms part first sent the case to the bureau
 *   and the schools (by the platform's clock, which may run ahead in a demonstration: nothing here
 *   reads the store's now()); escalate_at is set then, for a critical case, and moved on at each
 *   escalation.
 * - alarm_case_history: every transition, with who and when; alarm_case_notes: the notes.
 *
 * The alarm events stored before the inbox get their cases as already sent (they are history, not
 * news), acknowledged where the event was, and never escalate.
 */
export const alarmInbox: Migration = {
  version: 12,
  name: 'alarm-inbox',
  async up(tx) {
    await tx.exec(`
CREATE TABLE alarm_kinds (
  kind text PRIMARY KEY CHECK (kind ~ '^[a-z][a-z0-9_]{0,63}$'),
  severity text NOT NULL CHECK (severity IN ('critical', 'major', 'minor')),
  escalate_after_min integer CHECK (escalate_after_min BETWEEN 1 AND 1440),
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((severity = 'critical') = (escalate_after_min IS NOT NULL))
);

-- Child left on bus, the emergency button, a crash: someone must act within minutes. Over-speed and
-- the limiter (Decree 617's speed caps), a silent terminal, a tired driver, the route and stops the
-- bureau approved (Decree 617 art. 30 and 32) and a bus's papers: the bureau must follow each up.
-- The terminal's own over-speed flag is minor: the platform's over_speed judges the same episode
-- against the road's class and hazards. Equipment faults are minor: the operator repairs them.
INSERT INTO alarm_kinds (kind, severity, escalate_after_min, updated_by, updated_at) VALUES
  ('child_left_on_bus', 'critical', 5, 'platform', now()),
  ('terminal_sos', 'critical', 5, 'platform', now()),
  ('terminal_collision', 'critical', 5, 'platform', now()),
  ('terminal_rollover', 'critical', 5, 'platform', now()),
  ('over_speed', 'major', NULL, 'platform', now()),
  ('limiter_disabled', 'major', NULL, 'platform', now()),
  ('terminal_silent', 'major', NULL, 'platform', now()),
  ('terminal_fatigue', 'major', NULL, 'platform', now()),
  ('terminal_abnormal_driving', 'major', NULL, 'platform', now()),
  ('terminal_door_opened_illegally', 'major', NULL, 'platform', now()),
  ('terminal_passenger_overload', 'major', NULL, 'platform', now()),
  ('terminal_power_lost', 'major', NULL, 'platform', now()),
  ('route_off_corridor', 'major', NULL, 'platform', now()),
  ('stop_skipped', 'major', NULL, 'platform', now()),
  ('stop_unapproved', 'major', NULL, 'platform', now()),
  ('papers_expiring', 'major', NULL, 'platform', now()),
  ('papers_expired', 'major', NULL, 'platform', now()),
  ('terminal_over_speed', 'minor', NULL, 'platform', now()),
  ('terminal_power_low', 'minor', NULL, 'platform', now()),
  ('terminal_gnss_fault', 'minor', NULL, 'platform', now()),
  ('terminal_gnss_antenna_open', 'minor', NULL, 'platform', now()),
  ('terminal_gnss_antenna_short', 'minor', NULL, 'platform', now()),
  ('terminal_camera_fault', 'minor', NULL, 'platform', now()),
  ('terminal_video_signal_lost', 'minor', NULL, 'platform', now()),
  ('terminal_video_blocked', 'minor', NULL, 'platform', now()),
  ('terminal_video_storage_fault', 'minor', NULL, 'platform', now()),
  ('terminal_video_device_fault', 'minor', NULL, 'platform', now());

CREATE TABLE alarm_cases (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  bus_id text NOT NULL,
  kind text NOT NULL,
  event_ts timestamptz NOT NULL,
  severity text NOT NULL CHECK (severity IN ('critical', 'major', 'minor')),
  escalate_after_min integer,
  school_ids text[] NOT NULL DEFAULT '{}',
  state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'assigned', 'closed')),
  announced_at timestamptz,
  acknowledged_by text,
  acknowledged_at timestamptz,
  assigned_to text,
  assigned_by text,
  assigned_at timestamptz,
  closed_by text,
  closed_at timestamptz,
  outcome text CHECK (outcome IN ('resolved', 'false_alarm', 'equipment_fault', 'duplicate', 'referred', 'no_action_needed')),
  closing_text text,
  escalation_level integer NOT NULL DEFAULT 0,
  escalated_at timestamptz,
  escalate_at timestamptz,
  UNIQUE (bus_id, kind, event_ts),
  FOREIGN KEY (bus_id, kind, event_ts) REFERENCES events (bus_id, kind, ts) ON DELETE CASCADE,
  CHECK ((state = 'closed') = (closed_at IS NOT NULL AND outcome IS NOT NULL)),
  CHECK (state <> 'assigned' OR assigned_to IS NOT NULL),
  CHECK ((state = 'open') = (acknowledged_at IS NULL))
);
CREATE INDEX alarm_cases_schools_idx ON alarm_cases USING gin (school_ids);
CREATE INDEX alarm_cases_bus_idx ON alarm_cases (bus_id, event_ts);
CREATE INDEX alarm_cases_unannounced_idx ON alarm_cases (id) WHERE announced_at IS NULL;
CREATE INDEX alarm_cases_escalate_idx ON alarm_cases (escalate_at) WHERE state = 'open' AND escalate_at IS NOT NULL;

CREATE TABLE alarm_case_history (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id bigint NOT NULL REFERENCES alarm_cases (id) ON DELETE CASCADE,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  action text NOT NULL CHECK (action IN ('opened', 'acknowledged', 'assigned', 'closed', 'escalated')),
  from_state text,
  to_state text NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX alarm_case_history_case_idx ON alarm_case_history (case_id, id);

CREATE TABLE alarm_case_notes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id bigint NOT NULL REFERENCES alarm_cases (id) ON DELETE CASCADE,
  at timestamptz NOT NULL,
  author text NOT NULL,
  text text NOT NULL
);
CREATE INDEX alarm_case_notes_case_idx ON alarm_case_notes (case_id, id);

-- The schools an alarm of this bus concerns: its trip's school, or, with no trip, those of the
-- bus's trips on that weekday in Cixi and the school that contracts the bus.
CREATE FUNCTION alarm_case_schools(bus text, trip text, at timestamptz) RETURNS text[]
LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(DISTINCT s.school_id ORDER BY s.school_id), '{}')
  FROM (
    SELECT t.school_id FROM trips t WHERE t.id = trip
    UNION ALL
    SELECT t.school_id FROM trips t
     WHERE trip IS NULL AND t.bus_id = bus
       AND extract(isodow FROM at AT TIME ZONE 'Asia/Shanghai')::int = ANY (t.weekdays)
    UNION ALL
    SELECT b.school_id FROM buses b WHERE trip IS NULL AND b.id = bus
  ) s
  WHERE s.school_id IS NOT NULL
$$;

CREATE FUNCTION open_alarm_case() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  catalogued alarm_kinds%ROWTYPE;
  opened bigint;
BEGIN
  SELECT * INTO catalogued FROM alarm_kinds WHERE kind = NEW.kind;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  INSERT INTO alarm_cases (bus_id, kind, event_ts, severity, escalate_after_min, school_ids)
  VALUES (NEW.bus_id, NEW.kind, NEW.ts, catalogued.severity, catalogued.escalate_after_min,
          alarm_case_schools(NEW.bus_id, NEW.trip_id, NEW.ts))
  ON CONFLICT (bus_id, kind, event_ts) DO NOTHING
  RETURNING id INTO opened;
  IF opened IS NOT NULL THEN
    INSERT INTO alarm_case_history (case_id, at, actor, action, to_state)
    VALUES (opened, NEW.ts, 'platform', 'opened', 'open');
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER events_open_alarm_case AFTER INSERT ON events
  FOR EACH ROW EXECUTE FUNCTION open_alarm_case();

-- An event's trip learnt later (a re-derived episode) moves its case to that trip's school.
CREATE FUNCTION follow_alarm_case_trip() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE alarm_cases SET school_ids = alarm_case_schools(NEW.bus_id, NEW.trip_id, NEW.ts)
   WHERE bus_id = NEW.bus_id AND kind = NEW.kind AND event_ts = NEW.ts;
  RETURN NULL;
END
$$;
CREATE TRIGGER events_follow_alarm_case_trip AFTER UPDATE OF trip_id ON events
  FOR EACH ROW WHEN (OLD.trip_id IS DISTINCT FROM NEW.trip_id)
  EXECUTE FUNCTION follow_alarm_case_trip();

WITH opened AS (
  INSERT INTO alarm_cases (bus_id, kind, event_ts, severity, school_ids, state, announced_at,
                           acknowledged_by, acknowledged_at)
  SELECT e.bus_id, e.kind, e.ts, k.severity, alarm_case_schools(e.bus_id, e.trip_id, e.ts),
         CASE WHEN e.acknowledged_at IS NULL THEN 'open' ELSE 'acknowledged' END, e.ts,
         e.acknowledged_by, e.acknowledged_at
  FROM events e JOIN alarm_kinds k ON k.kind = e.kind
  RETURNING id, event_ts, acknowledged_by, acknowledged_at
)
INSERT INTO alarm_case_history (case_id, at, actor, action, from_state, to_state)
SELECT id, event_ts, 'platform', 'opened', NULL, 'open' FROM opened
UNION ALL
SELECT id, acknowledged_at, coalesce(acknowledged_by, 'platform'), 'acknowledged', 'open', 'acknowledged'
  FROM opened WHERE acknowledged_at IS NOT NULL;
`)
  },
}
