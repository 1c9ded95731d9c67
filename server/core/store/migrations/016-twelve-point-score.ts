import type { Migration } from './migration.js'

/**
 * The 12-point score of drivers and operating companies (server/core/score/), modelled on the
 * driving licence's points and on Shaoxing's scoring of training institutions (seeds/004): each
 * driver and each company starts a cycle at 0, violations add points by the bureau's table, and
 * 6, 10 and 12 points open an interview, a warning and a removal from school-bus duty as tasks in
 * the alarm inbox.
 *
 * - score_settings: one row: the month a cycle starts (1: the calendar year) and the thresholds.
 * - score_rules: event kind → points, or bands of points by how far over the limit (over_speed),
 *   and whom the kind charges (the event's driver, its bus's operating company, or both), with
 *   the reason for the default. Points already given keep the rule they were given by.
 * - score_cycles: a subject's cycles, made when its first point of one is scored; their bounds
 *   never move, so a change of the start month applies to cycles opened after it.
 * - scored_events: each alarm event the score has judged, once, whether it cost points or not; its
 *   key is the event's, so several processes scoring at once never judge one twice. The driver and
 *   company it charged are kept as the registers named them then.
 * - score_points: one row per deduction, with the event's key, its case and the rule as applied. A
 *   deduction whose case is closed as a false alarm (or an equipment fault, or a duplicate) is
 *   kept and marked voided, by whom and when the case was closed.
 * - score_thresholds: each step a cycle has reached, the deduction that reached it, and the task
 *   event that opened its case; fallen_below_at when voided points later took the total back under
 *   it, which the task's case is told in a note. A step stays reached.
 * - score_removals: a driver taken off school-bus duty by reaching the removal step, as the
 *   compliance register reads it, until the bureau lifts it.
 *
 * The alarm events stored before the score are judged already (they are history): the score counts
 * from the first event after it. The three task kinds join the alarm catalogue: an interview and a
 * warning are the bureau's to arrange (major); a removal is critical, since the driver must not
 * drive the next trip, and escalates after an hour nobody acknowledges it.
 */
export const twelvePointScore: Migration = {
  version: 16,
  name: 'twelve-point score',
  async up(tx) {
    await tx.exec(`
CREATE TABLE score_settings (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  cycle_start_month integer NOT NULL CHECK (cycle_start_month BETWEEN 1 AND 12),
  interview_at integer NOT NULL,
  warning_at integer NOT NULL,
  removal_at integer NOT NULL,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (0 < interview_at AND interview_at < warning_at AND warning_at < removal_at AND removal_at <= 100)
);
-- A calendar year, and Shaoxing's 6 / 10 / 12 (seeds/004, after the driving licence's 12 points).
INSERT INTO score_settings (cycle_start_month, interview_at, warning_at, removal_at, updated_by, updated_at)
VALUES (1, 6, 10, 12, 'platform', now());

CREATE TABLE score_rules (
  kind text PRIMARY KEY CHECK (kind ~ '^[a-z][a-z0-9_]{0,63}$' AND kind NOT LIKE 'score\\_%'),
  points integer CHECK (points BETWEEN 1 AND 12),
  -- {measure: 'over_limit_pct' | 'over_limit_kmh', steps: [{from, points}, ...]}, from ascending
  bands jsonb,
  subjects text[] NOT NULL CHECK (subjects <@ ARRAY['driver', 'company'] AND cardinality(subjects) > 0),
  basis text,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((points IS NULL) <> (bands IS NULL))
);

-- The points are the bureau's to set; these are its request. Over-speed steps at 20 % and 50 % over
-- the limit: 50 % is where the Road Traffic Safety Law (art. 99) makes over-speed a grave offence.
-- The approved route and stops are Decree 617 arts. 30 and 32 (as in the alarm catalogue).
INSERT INTO score_rules (kind, points, bands, subjects, basis, updated_by, updated_at) VALUES
  ('over_speed', NULL,
   '{"measure": "over_limit_pct", "steps": [{"from": 0, "points": 1}, {"from": 20, "points": 2}, {"from": 50, "points": 3}]}',
   '{driver,company}',
   'The bureau''s request: 1 to 3 by the margin over the school-bus limit; steps at 20 % and at 50 %, where the Road Traffic Safety Law (art. 99) makes over-speed a grave offence.',
   'platform', now()),
  ('limiter_disabled', 3, NULL, '{driver,company}',
   'The bureau''s request: every school bus runs with its speed limiter (seeds/000).', 'platform', now()),
  ('child_left_on_bus', 12, NULL, '{driver,company}',
   'The bureau''s request: a child left on the bus removes the crew at once.', 'platform', now()),
  ('route_off_corridor', 2, NULL, '{driver,company}',
   'The bureau''s request: the approved route (Decree 617 art. 30).', 'platform', now()),
  ('stop_skipped', 2, NULL, '{driver,company}',
   'The bureau''s request: the approved stops (Decree 617 art. 32).', 'platform', now()),
  ('stop_unapproved', 1, NULL, '{driver,company}',
   'The bureau''s request: the approved stops (Decree 617 art. 32).', 'platform', now()),
  ('terminal_fatigue', 2, NULL, '{driver,company}',
   'The bureau''s request: fatigue as the bus''s terminal reports it.', 'platform', now()),
  ('papers_expired', 3, NULL, '{driver,company}',
   'The bureau''s request: the operator keeps the papers current; a driver''s own lapsed paper charges the driver too.',
   'platform', now());

CREATE TABLE score_cycles (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject text NOT NULL CHECK (subject IN ('driver', 'company')),
  subject_key text NOT NULL,
  starts_on date NOT NULL,
  ends_on date NOT NULL CHECK (ends_on >= starts_on),
  UNIQUE (subject, subject_key, starts_on)
);

CREATE TABLE scored_events (
  bus_id text NOT NULL,
  kind text NOT NULL,
  event_ts timestamptz NOT NULL,
  case_id bigint,
  judged_at timestamptz NOT NULL,
  result text NOT NULL CHECK (result IN ('scored', 'no_points', 'before_scoring')),
  driver_id text,
  company text,
  PRIMARY KEY (bus_id, kind, event_ts)
);

CREATE TABLE score_points (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  cycle_id bigint NOT NULL REFERENCES score_cycles (id),
  subject text NOT NULL CHECK (subject IN ('driver', 'company')),
  subject_key text NOT NULL,
  points integer NOT NULL CHECK (points BETWEEN 1 AND 12),
  bus_id text NOT NULL,
  kind text NOT NULL,
  event_ts timestamptz NOT NULL,
  case_id bigint REFERENCES alarm_cases (id) ON DELETE SET NULL,
  rule jsonb NOT NULL,
  scored_at timestamptz NOT NULL,
  voided_at timestamptz,
  voided_by text,
  void_outcome text,
  -- one driver and one company per event
  UNIQUE (subject, bus_id, kind, event_ts),
  CHECK ((voided_at IS NULL) = (voided_by IS NULL) AND (voided_at IS NULL) = (void_outcome IS NULL))
);
CREATE INDEX score_points_cycle_idx ON score_points (cycle_id, event_ts);
CREATE INDEX score_points_case_idx ON score_points (case_id) WHERE voided_at IS NULL;

CREATE TABLE score_thresholds (
  cycle_id bigint NOT NULL REFERENCES score_cycles (id),
  step text NOT NULL CHECK (step IN ('interview', 'warning', 'removal')),
  threshold integer NOT NULL,
  reached_at timestamptz NOT NULL,
  total integer NOT NULL,
  point_id bigint NOT NULL REFERENCES score_points (id),
  -- null for a step passed on the way to a higher one in the same deduction: the higher one's task covers it
  task_bus_id text,
  task_kind text,
  task_ts timestamptz,
  fallen_below_at timestamptz,
  PRIMARY KEY (cycle_id, step)
);

CREATE TABLE score_removals (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  staff_id text NOT NULL,
  cycle_id bigint NOT NULL UNIQUE REFERENCES score_cycles (id),
  removed_at timestamptz NOT NULL,
  lifted_at timestamptz,
  lifted_by text,
  CHECK ((lifted_at IS NULL) = (lifted_by IS NULL))
);
CREATE UNIQUE INDEX score_removals_standing_idx ON score_removals (staff_id) WHERE lifted_at IS NULL;

INSERT INTO alarm_kinds (kind, severity, escalate_after_min, updated_by, updated_at) VALUES
  ('score_interview', 'major', NULL, 'platform', now()),
  ('score_warning', 'major', NULL, 'platform', now()),
  ('score_removal', 'critical', 60, 'platform', now())
ON CONFLICT (kind) DO NOTHING;

-- The scoring step looks for the alarm events of recent weeks it has not judged.
CREATE INDEX alarm_cases_event_ts_idx ON alarm_cases (event_ts);

INSERT INTO scored_events (bus_id, kind, event_ts, case_id, judged_at, result)
SELECT bus_id, kind, event_ts, id, event_ts, 'before_scoring' FROM alarm_cases;
`)
  },
}
