import type { Migration } from './migration.js'

/**
 * What the oversight reports read (server/core/reports/): aggregates by bus and by trip per service
 * day, so that a month's report never reads raw positions.
 *
 * Two stages, and which is which:
 * - positions_hourly: per bus and clock hour, the reports, the highest speed and the first and last
 *   report. Where TimescaleDB runs it is a continuous aggregate over the positions hypertable,
 *   refreshed by the platform (server/core/store/report-day-queries.ts), since its job scheduler
 *   does not run in the embedded store; on plain PostgreSQL it is a table that
 *   refresh_positions_hourly() fills with the very same SELECT. A continuous aggregate cannot do
 *   more: it allows neither window functions nor joins to events and the registers.
 * - report_bus_days and report_trip_days: computed per service day (Asia/Shanghai) by the same SQL
 *   on every store: km and moving time need consecutive positions (a window function), the
 *   episodes, alarms, school calls and pupils need events, alarm cases, scans and the timetable.
 *   The reports and first and last report of a bus's day come from positions_hourly.
 *
 * A bus day keeps the driver, attendant and town the registers gave its bus when the day was
 * aggregated, and a trip day its school, so that a month read later is told as it happened even if
 * the registers have changed since. Maps by kind (over-speed by road class, route violations,
 * alarms) are jsonb; pupil_ids lets a month count each pupil once. report_refreshes says which days
 * are aggregated and closed, and leases a day to one process at a time.
 */
export const reportDays: Migration = {
  version: 15,
  name: 'report days',
  async up(tx, { timescale }) {
    if (timescale) {
      await tx.exec(`
CREATE MATERIALIZED VIEW positions_hourly WITH (timescaledb.continuous) AS
${hourlySelect(`time_bucket(INTERVAL '1 hour', ts)`)}
WITH NO DATA`)
    } else {
      await tx.exec(`
CREATE TABLE positions_hourly (
  bus_id text NOT NULL,
  hour timestamptz NOT NULL,
  reports bigint NOT NULL,
  max_speed_kmh real,
  first_ts timestamptz NOT NULL,
  last_ts timestamptz NOT NULL,
  PRIMARY KEY (bus_id, hour)
);
CREATE INDEX positions_hourly_hour_idx ON positions_hourly (hour);
-- Hours are whole in UTC, so from_ts and to_ts on an hour replace whole buckets.
CREATE FUNCTION refresh_positions_hourly(from_ts timestamptz, to_ts timestamptz) RETURNS void
LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(7302015);
  DELETE FROM positions_hourly WHERE hour >= from_ts AND hour < to_ts;
  INSERT INTO positions_hourly (bus_id, hour, reports, max_speed_kmh, first_ts, last_ts)
  ${hourlySelect(`date_trunc('hour', ts, 'UTC')`, 'WHERE ts >= from_ts AND ts < to_ts')};
$$;`)
    }
    await tx.exec(`
CREATE TABLE report_bus_days (
  service_date date NOT NULL,
  bus_id text NOT NULL,
  driver_id text,
  attendant_id text,
  town_id text,
  ${measureColumns}
  reports integer NOT NULL DEFAULT 0,
  first_report_at timestamptz,
  last_report_at timestamptz,
  max_speed_kmh real,
  refreshed_at timestamptz NOT NULL,
  PRIMARY KEY (service_date, bus_id)
);
CREATE TABLE report_trip_days (
  service_date date NOT NULL,
  trip_id text NOT NULL,
  bus_id text NOT NULL,
  driver_id text,
  attendant_id text,
  school_id text,
  direction text,
  -- the planned call at the school gate, and the bus's arrival there (null if none was seen)
  planned_school_at timestamptz,
  arrived_school_at timestamptz,
  ${measureColumns}
  refreshed_at timestamptz NOT NULL,
  PRIMARY KEY (service_date, trip_id)
);
CREATE INDEX report_trip_days_school_idx ON report_trip_days (school_id, service_date);
CREATE TABLE report_refreshes (
  service_date date PRIMARY KEY,
  -- by the platform's clock
  refreshed_at timestamptz,
  closed boolean NOT NULL DEFAULT false,
  claimed_by text,
  claimed_until timestamptz
);
-- A day's scans are read by day, not by trip.
CREATE INDEX boarding_events_service_date_idx ON boarding_events (service_date);
`)
  },
}

/** Per bus and hour; `bucket` is time_bucket where TimescaleDB runs, date_trunc elsewhere (the same hours). */
function hourlySelect(bucket: string, where = ''): string {
  return `SELECT bus_id, ${bucket} AS hour, count(*) AS reports, max(speed_kmh) AS max_speed_kmh,
  min(ts) AS first_ts, max(ts) AS last_ts
FROM positions ${where}
GROUP BY bus_id, ${bucket}`
}

/** The measures both day tables hold (see server/core/reports/report-measures.ts). */
const measureColumns = `
  trips_run integer NOT NULL DEFAULT 0,
  distance_m double precision NOT NULL DEFAULT 0,
  moving_s double precision NOT NULL DEFAULT 0,
  school_calls_on_time integer NOT NULL DEFAULT 0,
  school_calls_late integer NOT NULL DEFAULT 0,
  school_calls_unseen integer NOT NULL DEFAULT 0,
  over_speed_episodes integer NOT NULL DEFAULT 0,
  over_speed_s double precision NOT NULL DEFAULT 0,
  over_speed_by_road jsonb NOT NULL DEFAULT '{}',
  limiter_off_s double precision NOT NULL DEFAULT 0,
  silent_s double precision NOT NULL DEFAULT 0,
  route_violations jsonb NOT NULL DEFAULT '{}',
  alarms jsonb NOT NULL DEFAULT '{}',
  pupil_ids text[] NOT NULL DEFAULT '{}',
  pupil_rides integer NOT NULL DEFAULT 0,`
