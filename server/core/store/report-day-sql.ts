/**
 * The statements that aggregate one bus's service day, in the order they run: the day's trips,
 * driven stretches, reports and events as temporary tables, then the trip days and the bus day
 * built from them. Thresholds come from reportRules, so the reports and the rules agree.
 */
import { reportRules } from '../reports/report-measures.js'

/** Seconds two spans overlap: [a1, a2] and [b1, b2], timestamptz expressions. */
const overlapS = (a1: string, a2: string, b1: string, b2: string) =>
  `greatest(0, extract(epoch FROM least(${a2}, ${b2}) - greatest(${a1}, ${b1})))::double precision`

const { onTimeLateS, distanceSlotS, maxGapS, maxImpliedKmh, movingKmh, tripLeadS, tripGraceS, tripDrivenM } =
  reportRules

/**
 * $1 date, $2 the day's start, $3 its end, $4 now, $5 its ISO weekday. The trips of the day: those
 * the timetable runs that weekday and any other with an event, a scan or an end that day; each with
 * the bus that ran it (its events' bus, else the day's change of bus, else its own), its window as
 * the event rules run it, and its planned call at the school gate (the gate stop, else the last stop
 * of a trip to school and the first of one from school).
 */
export const dayTripsSql = `
CREATE TEMP TABLE report_day_trips ON COMMIT DROP AS
WITH active AS (
  SELECT trip_id FROM events WHERE ts >= $from AND ts < $to AND trip_id IS NOT NULL
  UNION SELECT trip_id FROM boarding_events WHERE service_date = $date::date
  UNION SELECT trip_id FROM trip_runs WHERE service_date = $date::date
), timed AS (
  SELECT t.id AS trip_id, t.school_id, t.direction,
    coalesce(
      (SELECT e.bus_id FROM events e WHERE e.trip_id = t.id AND e.ts >= $from AND e.ts < $to ORDER BY e.ts LIMIT 1),
      (SELECT c.new_bus_id FROM trip_bus_changes c WHERE c.trip_id = t.id AND c.service_date = $date::date
        ORDER BY c.changed_at DESC, c.id DESC LIMIT 1),
      t.bus_id) AS bus_id,
    $from::timestamptz + min(s.arrive_time)::interval AS first_call_at,
    $from::timestamptz + max(s.depart_time)::interval AS last_call_at
  FROM trips t JOIN trip_stops s ON s.trip_id = t.id
  WHERE $weekday::int = ANY (t.weekdays) OR t.id IN (SELECT trip_id FROM active)
  GROUP BY t.id
)
SELECT t.*,
  t.first_call_at - make_interval(secs => ${tripLeadS}) AS window_from,
  t.last_call_at + make_interval(secs => ${tripGraceS}) AS window_to,
  gate.seq AS school_seq,
  $from::timestamptz + gate.arrive_time::interval AS planned_school_at
FROM timed t
LEFT JOIN LATERAL (
  SELECT s.seq, s.arrive_time FROM trip_stops s LEFT JOIN schools sc ON sc.id = t.school_id
  WHERE s.trip_id = t.trip_id
  ORDER BY s.stop_id = sc.gate_stop_id DESC NULLS LAST,
           CASE WHEN t.direction = 'to_school' THEN -s.seq ELSE s.seq END
  LIMIT 1
) gate ON true
WHERE t.bus_id = $bus`

/**
 * The stretches each bus drove on the day, between the middles of its positions in slots of
 * distanceSlotS (the median latitude and longitude, so that a stray fix does not move it): a
 * stretch counts if it spans no hole (maxGapS), is no GPS jump (maxImpliedKmh) and
 * the bus moved (the speed it reported at either end, else the stretch's own speed, ≥ movingKmh).
 * Each is given to the trip whose window holds its end, the nearest trip where windows overlap.
 */
export const daySegmentsSql = `
CREATE TEMP TABLE report_day_segments ON COMMIT DROP AS
WITH slots AS (
  SELECT bus_id, floor(date_part('epoch', ts) / ${distanceSlotS}) AS slot,
    avg(date_part('epoch', ts)) AS at_s,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY lat) AS lat, percentile_cont(0.5) WITHIN GROUP (ORDER BY lon) AS lon,
    max(speed_kmh) AS speed_kmh
  FROM positions WHERE bus_id = $bus AND ts >= $from AND ts < $to
  GROUP BY 1, 2
), paired AS (
  SELECT bus_id, at_s, lat, lon, speed_kmh,
    lag(at_s) OVER w AS prev_s, lag(lat) OVER w AS prev_lat, lag(lon) OVER w AS prev_lon,
    lag(speed_kmh) OVER w AS prev_speed
  FROM slots WINDOW w AS (PARTITION BY bus_id ORDER BY slot)
), measured AS (
  SELECT bus_id, to_timestamp(at_s) AS at, at_s - prev_s AS dt_s, greatest(speed_kmh, prev_speed) AS speed_kmh,
    2 * 6371008.8 * asin(least(1, sqrt(power(sin(radians(lat - prev_lat) / 2), 2)
      + cos(radians(prev_lat)) * cos(radians(lat)) * power(sin(radians(lon - prev_lon) / 2), 2)))) AS distance_m
  FROM paired WHERE prev_s IS NOT NULL
), counted AS (
  SELECT bus_id, at, dt_s, distance_m FROM measured
  WHERE dt_s > 0 AND dt_s <= ${maxGapS} AND distance_m / dt_s * 3.6 <= ${maxImpliedKmh}
    AND coalesce(speed_kmh, distance_m / dt_s * 3.6) >= ${movingKmh}
), picked AS (
  SELECT DISTINCT ON (c.bus_id, c.at) c.bus_id, c.at, t.trip_id
  FROM counted c JOIN report_day_trips t ON t.bus_id = c.bus_id AND c.at BETWEEN t.window_from AND t.window_to
  ORDER BY c.bus_id, c.at, greatest(t.first_call_at - c.at, c.at - t.last_call_at, interval '0'), t.first_call_at DESC
)
SELECT c.*, p.trip_id FROM counted c LEFT JOIN picked p ON p.bus_id = c.bus_id AND p.at = c.at`

/** Each bus's reports of the day, from the hourly aggregate. */
export const daySpansSql = `
CREATE TEMP TABLE report_day_spans ON COMMIT DROP AS
SELECT bus_id, sum(reports)::int AS reports, min(first_ts) AS first_ts, max(last_ts) AS last_ts,
  max(max_speed_kmh) AS max_speed_kmh
FROM positions_hourly WHERE bus_id = $bus AND hour >= $from AND hour < $to
GROUP BY bus_id`

/**
 * The day's events but stop departures, with what each adds: whether it starts on the day (counts go
 * by start), whether the bureau's catalogue makes it an alarm, and its seconds on the day: a silence
 * within its trip's window, a limiter episode within the bus's first and last report (the bus in
 * service) and within its trip's window. An episode still going on runs to now. Limiter episodes
 * begun in the week before still add their seconds on this day.
 */
export const dayEventsSql = `
CREATE TEMP TABLE report_day_events ON COMMIT DROP AS
WITH day_events AS (
  SELECT e.bus_id, e.kind, e.ts, e.trip_id, e.details, e.ts >= $from AS starts_today,
    c.bus_id IS NOT NULL AS is_alarm, coalesce(c.acknowledged_at, e.acknowledged_at) AS acknowledged_at,
    c.closed_at,
    least(coalesce((e.details->>'endTs')::timestamptz, $now::timestamptz), $now::timestamptz, $to::timestamptz) AS ends_at
  FROM events e
  LEFT JOIN alarm_cases c ON c.bus_id = e.bus_id AND c.kind = e.kind AND c.event_ts = e.ts
  WHERE e.bus_id = $bus AND e.ts < $to AND e.kind <> 'stop_departure'
    AND (e.ts >= $from OR (e.kind = 'limiter_disabled' AND e.ts >= $from::timestamptz - interval '7 days'
         AND coalesce((e.details->>'endTs')::timestamptz, $now::timestamptz) > $from))
)
SELECT e.*,
  CASE WHEN e.kind = 'terminal_silent' AND e.starts_today AND t.trip_id IS NOT NULL
    THEN ${overlapS('e.ts', 'e.ends_at', 't.window_from', 't.window_to')} ELSE 0 END AS silent_s,
  CASE WHEN e.kind = 'limiter_disabled' AND s.bus_id IS NOT NULL
    THEN ${overlapS('e.ts', 'e.ends_at', 'greatest(s.first_ts, $from::timestamptz)', 's.last_ts')} ELSE 0 END
    AS limiter_bus_s,
  CASE WHEN e.kind = 'limiter_disabled' AND t.trip_id IS NOT NULL
    THEN ${overlapS('e.ts', 'e.ends_at', 'greatest(t.window_from, $from::timestamptz)', 't.window_to')} ELSE 0 END
    AS limiter_trip_s
FROM day_events e
LEFT JOIN report_day_trips t ON t.trip_id = e.trip_id AND t.bus_id = e.bus_id
LEFT JOIN report_day_spans s ON s.bus_id = e.bus_id`

/** The measures of events, by `key` (bus_id or trip_id) of report_day_events. */
function eventMeasuresSql(key: 'bus_id' | 'trip_id', limiterS: string): string {
  return `
SELECT ${key},
  count(*) FILTER (WHERE kind = 'over_speed' AND starts_today)::int AS over_speed_episodes,
  coalesce(sum((details->>'durationS')::double precision) FILTER (WHERE kind = 'over_speed' AND starts_today), 0)
    AS over_speed_s,
  coalesce(sum(${limiterS}), 0) AS limiter_off_s,
  coalesce(sum(silent_s), 0) AS silent_s,
  coalesce((SELECT jsonb_object_agg(road, n) FROM (
    SELECT coalesce(r.details->>'roadClass', 'unknown') AS road, count(*)::int AS n FROM report_day_events r
    WHERE r.${key} = g.${key} AND r.kind = 'over_speed' AND r.starts_today GROUP BY 1) x), '{}') AS over_speed_by_road,
  coalesce((SELECT jsonb_object_agg(kind, n) FROM (
    SELECT r.kind, count(*)::int AS n FROM report_day_events r
    WHERE r.${key} = g.${key} AND r.kind = ANY ($routeKinds::text[]) AND r.starts_today GROUP BY 1) x), '{}') AS route_violations,
  coalesce((SELECT jsonb_object_agg(kind, jsonb_build_object(
      'count', n, 'acknowledged', acknowledged, 'acknowledgeS', acknowledge_s, 'closed', closed, 'closeS', close_s))
    FROM (
      SELECT r.kind, count(*)::int AS n, count(r.acknowledged_at)::int AS acknowledged,
        coalesce(sum(extract(epoch FROM r.acknowledged_at - r.ts)), 0)::double precision AS acknowledge_s,
        count(r.closed_at)::int AS closed,
        coalesce(sum(extract(epoch FROM r.closed_at - r.ts)), 0)::double precision AS close_s
      FROM report_day_events r WHERE r.${key} = g.${key} AND r.is_alarm AND r.starts_today GROUP BY 1) x), '{}')
    AS alarms
FROM report_day_events g WHERE ${key} IS NOT NULL
GROUP BY ${key}`
}

const measureColumns = `trips_run, distance_m, moving_s, school_calls_on_time, school_calls_late,
  school_calls_unseen, over_speed_episodes, over_speed_s, over_speed_by_road, limiter_off_s, silent_s,
  route_violations, alarms, pupil_ids, pupil_rides`

/** The staff the registers give a bus now: its driver and attendant (the first by id if several). */
const staffOf = (role: 'driver' | 'attendant', bus: string) =>
  `(SELECT st.id FROM staff st WHERE st.bus_id = ${bus} AND st.role = '${role}' ORDER BY st.id LIMIT 1)`

/**
 * The trips of the day that ran, or have events or km: a trip ran if the bus arrived at one of its
 * stops, the attendant ended it, a pupil was scanned on, or tripDrivenM of it was driven. The school
 * call is on time if the bus arrived at the gate at most onTimeLateS after the planned time.
 */
export const tripDaysSql = `
WITH driven AS (
  SELECT trip_id, sum(distance_m) AS distance_m, sum(dt_s) AS moving_s
  FROM report_day_segments WHERE trip_id IS NOT NULL GROUP BY trip_id
), scans AS (
  SELECT trip_id, array_agg(DISTINCT pupil_id ORDER BY pupil_id) AS pupil_ids
  FROM boarding_events WHERE service_date = $date::date AND action = 'boarded' GROUP BY trip_id
), arrivals AS (
  SELECT e.trip_id, count(*) AS stops,
    min(e.ts) FILTER (WHERE (e.details->>'seq')::int = t.school_seq) AS at_school
  FROM report_day_events e JOIN report_day_trips t ON t.trip_id = e.trip_id AND t.bus_id = e.bus_id
  WHERE e.kind = 'stop_arrival' AND e.starts_today GROUP BY e.trip_id
), measured AS (
  ${eventMeasuresSql('trip_id', 'limiter_trip_s')}
), judged AS (
  SELECT t.*, d.distance_m, d.moving_s, s.pupil_ids, a.at_school, m.over_speed_episodes, m.over_speed_s,
    m.limiter_off_s, m.silent_s, m.over_speed_by_road, m.route_violations, m.alarms,
    (a.stops > 0 OR r.trip_id IS NOT NULL OR s.pupil_ids IS NOT NULL OR coalesce(d.distance_m, 0) >= ${tripDrivenM})
      AS ran
  FROM report_day_trips t
  LEFT JOIN driven d ON d.trip_id = t.trip_id
  LEFT JOIN scans s ON s.trip_id = t.trip_id
  LEFT JOIN arrivals a ON a.trip_id = t.trip_id
  LEFT JOIN measured m ON m.trip_id = t.trip_id
  LEFT JOIN trip_runs r ON r.trip_id = t.trip_id AND r.service_date = $date::date
)
INSERT INTO report_trip_days (service_date, trip_id, bus_id, driver_id, attendant_id, school_id, direction,
  planned_school_at, arrived_school_at, ${measureColumns}, refreshed_at)
SELECT $date::date, j.trip_id, j.bus_id, ${staffOf('driver', 'j.bus_id')}, ${staffOf('attendant', 'j.bus_id')},
  j.school_id, j.direction, j.planned_school_at, j.at_school,
  CASE WHEN j.ran THEN 1 ELSE 0 END, coalesce(j.distance_m, 0), coalesce(j.moving_s, 0),
  CASE WHEN j.ran AND j.at_school <= j.planned_school_at + make_interval(secs => ${onTimeLateS}) THEN 1 ELSE 0 END,
  CASE WHEN j.ran AND j.at_school > j.planned_school_at + make_interval(secs => ${onTimeLateS}) THEN 1 ELSE 0 END,
  CASE WHEN j.ran AND j.at_school IS NULL AND j.planned_school_at IS NOT NULL THEN 1 ELSE 0 END,
  coalesce(j.over_speed_episodes, 0), coalesce(j.over_speed_s, 0), coalesce(j.over_speed_by_road, '{}'),
  coalesce(j.limiter_off_s, 0), coalesce(j.silent_s, 0), coalesce(j.route_violations, '{}'),
  coalesce(j.alarms, '{}'), coalesce(j.pupil_ids, '{}'), coalesce(cardinality(j.pupil_ids), 0), $now
FROM judged j
WHERE j.ran OR j.distance_m > 0 OR j.over_speed_episodes IS NOT NULL`

/**
 * Every bus seen on the day (reports, events or trips). Its trips, school calls and pupils are its
 * trip days'; km, moving time and events are the whole day's, between trips too.
 */
export const busDaysSql = `
WITH trip_sums AS (
  SELECT bus_id, sum(trips_run)::int AS trips_run, sum(school_calls_on_time)::int AS on_time,
    sum(school_calls_late)::int AS late, sum(school_calls_unseen)::int AS unseen,
    sum(pupil_rides)::int AS pupil_rides,
    (SELECT coalesce(array_agg(DISTINCT p ORDER BY p), '{}') FROM report_trip_days d, unnest(d.pupil_ids) p
      WHERE d.service_date = $date::date AND d.bus_id = x.bus_id) AS pupil_ids
  FROM report_trip_days x WHERE service_date = $date::date AND bus_id = $bus GROUP BY bus_id
), driven AS (
  SELECT bus_id, sum(distance_m) AS distance_m, sum(dt_s) AS moving_s FROM report_day_segments GROUP BY bus_id
), measured AS (
  ${eventMeasuresSql('bus_id', 'limiter_bus_s')}
), seen AS (
  SELECT bus_id FROM report_day_spans UNION SELECT bus_id FROM measured UNION SELECT bus_id FROM trip_sums
)
INSERT INTO report_bus_days (service_date, bus_id, driver_id, attendant_id, town_id, ${measureColumns},
  reports, first_report_at, last_report_at, max_speed_kmh, refreshed_at)
SELECT $date::date, b.bus_id, ${staffOf('driver', 'b.bus_id')}, ${staffOf('attendant', 'b.bus_id')},
  (SELECT town_id FROM buses WHERE id = b.bus_id),
  coalesce(t.trips_run, 0), coalesce(d.distance_m, 0), coalesce(d.moving_s, 0), coalesce(t.on_time, 0),
  coalesce(t.late, 0), coalesce(t.unseen, 0), coalesce(m.over_speed_episodes, 0), coalesce(m.over_speed_s, 0),
  coalesce(m.over_speed_by_road, '{}'), coalesce(m.limiter_off_s, 0), coalesce(m.silent_s, 0),
  coalesce(m.route_violations, '{}'), coalesce(m.alarms, '{}'), coalesce(t.pupil_ids, '{}'),
  coalesce(t.pupil_rides, 0), coalesce(s.reports, 0), s.first_ts, s.last_ts, s.max_speed_kmh, $now
FROM seen b
LEFT JOIN trip_sums t ON t.bus_id = b.bus_id
LEFT JOIN driven d ON d.bus_id = b.bus_id
LEFT JOIN measured m ON m.bus_id = b.bus_id
LEFT JOIN report_day_spans s ON s.bus_id = b.bus_id`

/** What the day's statements name: `$date`, `$from`… */
export type DayValues = Record<'date' | 'from' | 'to' | 'now' | 'weekday' | 'routeKinds' | 'bus', unknown>
