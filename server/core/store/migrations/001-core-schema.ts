import { makeTimeSeries, type TimeSeriesPolicy } from '../timescale.js'
import type { Migration } from './migration.js'

/** Positions and limiter states are kept a little over a school year and compressed after a week. */
export const telemetryPolicies: TimeSeriesPolicy[] = [
  {
    table: 'positions',
    timeColumn: 'ts',
    chunkInterval: '1 day',
    segmentBy: 'bus_id',
    compressAfter: '7 days',
    retainFor: '400 days',
  },
  {
    table: 'limiter_states',
    timeColumn: 'ts',
    chunkInterval: '7 days',
    segmentBy: 'bus_id',
    compressAfter: '14 days',
    retainFor: '400 days',
  },
]

const reference = `
-- The city area and the towns with their centres.
CREATE TABLE towns (
  id text PRIMARY KEY,
  kind text NOT NULL DEFAULT 'town' CHECK (kind IN ('city', 'town')),
  name_zh text NOT NULL,
  name_en text NOT NULL,
  lat double precision NOT NULL,
  lon double precision NOT NULL
);
CREATE TABLE stops (
  id text PRIMARY KEY,
  town_id text REFERENCES towns (id),
  kind text NOT NULL DEFAULT 'village' CHECK (kind IN ('school_gate', 'village', 'line', 'hub')),
  name_zh text NOT NULL,
  name_en text,
  lat double precision NOT NULL,
  lon double precision NOT NULL
);
CREATE TABLE schools (
  id text PRIMARY KEY,
  town_id text NOT NULL REFERENCES towns (id),
  name_zh text NOT NULL,
  name_en text,
  kind text NOT NULL,
  lat double precision NOT NULL,
  lon double precision NOT NULL,
  gate_stop_id text REFERENCES stops (id),
  -- start time by grade and dismissal waves: {grades: [{grade, startTime}], dismissalWaves: [...]}
  schedule jsonb NOT NULL DEFAULT '{}'
);
CREATE TABLE buses (
  id text PRIMARY KEY,
  plate text NOT NULL UNIQUE,
  town_id text NOT NULL REFERENCES towns (id),
  -- the school that contracts the bus
  school_id text REFERENCES schools (id),
  kind text NOT NULL CHECK (kind IN ('school_bus', 'micro_bus', 'custom_bus')),
  seats integer NOT NULL CHECK (seats > 0),
  operator text NOT NULL,
  depot_lat double precision,
  depot_lon double precision
);
CREATE TABLE staff (
  id text PRIMARY KEY,
  role text NOT NULL CHECK (role IN ('driver', 'attendant', 'police')),
  name text NOT NULL,
  phone text,
  bus_id text REFERENCES buses (id),
  -- licence class and driving years of a driver, the unit of a police contact
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX staff_bus_idx ON staff (bus_id);
CREATE TABLE guardians (
  id text PRIMARY KEY,
  name text NOT NULL,
  phone text
);
CREATE TABLE pupils (
  id text PRIMARY KEY,
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  school_id text NOT NULL REFERENCES schools (id),
  grade integer NOT NULL CHECK (grade BETWEEN 1 AND 12),
  settlement_id text,
  dismissal_wave_id text,
  after_school_service boolean NOT NULL DEFAULT false,
  home_lat double precision,
  home_lon double precision
);
CREATE INDEX pupils_school_idx ON pupils (school_id);
CREATE TABLE pupil_guardians (
  pupil_id text NOT NULL REFERENCES pupils (id) ON DELETE CASCADE,
  guardian_id text NOT NULL REFERENCES guardians (id) ON DELETE CASCADE,
  relation text,
  PRIMARY KEY (pupil_id, guardian_id)
);
CREATE INDEX pupil_guardians_guardian_idx ON pupil_guardians (guardian_id);
-- Micro-bus (微公交) and custom-bus (定制公交) lines.
CREATE TABLE lines (
  id text PRIMARY KEY,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('school_bus', 'micro_bus', 'custom_bus')),
  operator text,
  seats integer,
  school_ids text[] NOT NULL DEFAULT '{}',
  stop_ids text[] NOT NULL DEFAULT '{}'
);
-- A school-bus trip, or a run of a line (no tracked bus then).
CREATE TABLE trips (
  id text PRIMARY KEY,
  bus_id text REFERENCES buses (id),
  line_id text REFERENCES lines (id),
  school_id text NOT NULL REFERENCES schools (id),
  direction text NOT NULL CHECK (direction IN ('to_school', 'from_school')),
  dismissal_wave_id text,
  distance_m double precision,
  duration_s integer,
  -- ISO weekdays the trip runs (1 = Monday)
  weekdays integer[] NOT NULL DEFAULT '{1,2,3,4,5}',
  CHECK (bus_id IS NOT NULL OR line_id IS NOT NULL)
);
CREATE INDEX trips_bus_idx ON trips (bus_id);
CREATE TABLE trip_stops (
  trip_id text NOT NULL REFERENCES trips (id) ON DELETE CASCADE,
  seq integer NOT NULL,
  stop_id text NOT NULL REFERENCES stops (id),
  -- local times (Asia/Shanghai) on the service day
  arrive_time time NOT NULL,
  depart_time time NOT NULL,
  PRIMARY KEY (trip_id, seq)
);
CREATE TABLE trip_pupils (
  trip_id text NOT NULL REFERENCES trips (id) ON DELETE CASCADE,
  pupil_id text NOT NULL REFERENCES pupils (id) ON DELETE CASCADE,
  board_seq integer NOT NULL,
  alight_seq integer NOT NULL CHECK (alight_seq > board_seq),
  PRIMARY KEY (trip_id, pupil_id)
);
CREATE INDEX trip_pupils_pupil_idx ON trip_pupils (pupil_id);
`

const telemetry = `
CREATE TABLE positions (
  bus_id text NOT NULL,
  ts timestamptz NOT NULL,
  lat double precision NOT NULL,
  lon double precision NOT NULL,
  speed_kmh real,
  heading_deg real,
  alt_m real,
  accuracy_m real,
  ignition boolean,
  seq bigint,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (bus_id, ts)
);
CREATE TABLE limiter_states (
  bus_id text NOT NULL,
  ts timestamptz NOT NULL,
  limit_kmh real,
  state text NOT NULL CHECK (state IN ('active', 'disabled', 'fault')),
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (bus_id, ts)
);
-- Derived events and alarms; (bus, kind, ts) makes re-deriving the same event a no-op.
CREATE TABLE events (
  bus_id text NOT NULL,
  kind text NOT NULL,
  ts timestamptz NOT NULL,
  trip_id text,
  details jsonb NOT NULL DEFAULT '{}',
  acknowledged_by text,
  acknowledged_at timestamptz,
  PRIMARY KEY (bus_id, kind, ts)
);
CREATE INDEX events_ts_idx ON events (ts DESC);
-- message_key (sha-256 of topic and payload) keeps a redelivered bad message from being stored twice.
CREATE TABLE dead_letters (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now(),
  topic text NOT NULL,
  payload bytea NOT NULL,
  reason text NOT NULL,
  detail text,
  message_key bytea NOT NULL UNIQUE
);
CREATE INDEX dead_letters_reason_idx ON dead_letters (reason, received_at DESC);
`

const operations = `
-- The id is made on the attendant's phone, so a scan sent twice is stored once.
CREATE TABLE boarding_events (
  id uuid PRIMARY KEY,
  trip_id text NOT NULL REFERENCES trips (id),
  service_date date NOT NULL,
  pupil_id text NOT NULL REFERENCES pupils (id),
  action text NOT NULL CHECK (action IN ('boarded', 'alighted')),
  stop_id text REFERENCES stops (id),
  scanned_at timestamptz NOT NULL,
  recorded_by text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX boarding_events_trip_idx ON boarding_events (trip_id, service_date, scanned_at);
CREATE TABLE plans (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
  inputs jsonb NOT NULL,
  result jsonb
);
`

export const coreSchema: Migration = {
  version: 1,
  name: 'core schema',
  async up(tx, { timescale }) {
    for (const block of [reference, telemetry, operations]) await tx.exec(block)
    for (const policy of telemetryPolicies) await makeTimeSeries(tx, policy, timescale)
  },
}
