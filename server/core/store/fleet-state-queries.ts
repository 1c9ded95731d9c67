import type { TerminalStatus, VideoRecorderStatus } from '../broker/terminal-status.js'
import type { Queryable } from './database.js'

/** One bus with what it last reported and who crews it, as the console's fleet state reads it. */
export interface FleetBusRow {
  busId: string
  plate: string
  kind: string
  seats: number
  townId: string
  /** The schools of the bus's trips (any weekday) and the school that contracts it. */
  schoolIds: string[]
  lastTs: Date | null
  lat: number | null
  lon: number | null
  speedKmh: number | null
  headingDeg: number | null
  ignition: boolean | null
  accuracyM: number | null
  statusTs: Date | null
  terminal: TerminalStatus | null
  videoTs: Date | null
  video: VideoRecorderStatus | null
  limiterTs: Date | null
  limiterState: 'active' | 'disabled' | 'fault' | null
  limitKmh: number | null
  /** Episodes still open (no endTs): the terminal's alarms and leaving the approved path. */
  openEpisodes: { kind: string; ts: string; tripId: string | null }[]
  driverName: string | null
  attendantName: string | null
  /** Alarm cases of the bus not yet closed. */
  openCases: number
}

/** One call of a bus's trip on today's weekday. */
export interface TodayCallRow {
  tripId: string
  busId: string
  schoolId: string
  direction: 'to_school' | 'from_school'
  seq: number
  stopId: string
  nameZh: string
  nameEn: string | null
  arriveTime: string
  departTime: string
}

/**
 * A terminal's own status and its recorder's health are looked for this far back only: most
 * reports carry neither (the simulator's, a phone's), and a search with no bound would read
 * every report of such a bus. Older than this, the console says it does not know.
 */
export const terminalStatusLookbackMs = 30 * 60_000
/** An episode begun longer ago than this and never ended is not shown as open. */
const openEpisodeLookbackMs = 86_400_000

const isoTs = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

/**
 * The console's fleet state in few queries whatever the fleet's size: one for the buses with their
 * newest report, terminal status, limiter, open episodes, crew and open cases (each found through
 * the (bus, time) keys); one for today's timetable; one for the running trips' stop events, pupils
 * on board and ended runs.
 */
export function createFleetStateQueries(db: Queryable) {
  return {
    /** `busIds` 'all' for the whole fleet. */
    listFleetBuses: (busIds: 'all' | readonly string[], now: Date) =>
      db.query<FleetBusRow & Record<string, unknown>>(
        `SELECT b.id AS "busId", b.plate, b.kind, b.seats, b.town_id AS "townId",
                coalesce((SELECT array_agg(DISTINCT s.id ORDER BY s.id) FROM (
                  SELECT t.school_id AS id FROM trips t WHERE t.bus_id = b.id
                  UNION ALL SELECT b.school_id WHERE b.school_id IS NOT NULL) s), '{}') AS "schoolIds",
                last.ts AS "lastTs", last.lat, last.lon, last.speed_kmh AS "speedKmh",
                last.heading_deg AS "headingDeg", last.ignition, last.accuracy_m AS "accuracyM",
                st.ts AS "statusTs", st.terminal,
                vid.ts AS "videoTs", vid.video,
                lim.ts AS "limiterTs", lim.state AS "limiterState", lim.limit_kmh AS "limitKmh",
                coalesce((
                  SELECT jsonb_agg(jsonb_build_object('kind', e.kind, 'ts', ${isoTs('e.ts')}, 'tripId', e.trip_id)
                                   ORDER BY e.ts)
                  FROM events e
                  WHERE e.bus_id = b.id AND e.ts >= $3
                    AND (e.kind LIKE 'terminal\\_%' OR e.kind = 'route_off_corridor')
                    AND e.details ? 'endTs' AND e.details->'endTs' = 'null'::jsonb
                ), '[]'::jsonb) AS "openEpisodes",
                (SELECT name FROM staff WHERE bus_id = b.id AND role = 'driver' ORDER BY id LIMIT 1) AS "driverName",
                (SELECT name FROM staff WHERE bus_id = b.id AND role = 'attendant' ORDER BY id LIMIT 1)
                  AS "attendantName",
                (SELECT count(*) FROM alarm_cases c WHERE c.bus_id = b.id AND c.state <> 'closed')::int AS "openCases"
         FROM buses b
         LEFT JOIN LATERAL (
           SELECT ts, lat, lon, speed_kmh, heading_deg, ignition, accuracy_m FROM positions
           WHERE bus_id = b.id ORDER BY ts DESC LIMIT 1
         ) last ON true
         LEFT JOIN LATERAL (
           SELECT ts, terminal FROM positions
           WHERE bus_id = b.id AND ts >= $2 AND terminal IS NOT NULL ORDER BY ts DESC LIMIT 1
         ) st ON true
         LEFT JOIN LATERAL (
           SELECT ts, terminal->'video' AS video FROM positions
           WHERE bus_id = b.id AND ts >= $2 AND terminal->'video' IS NOT NULL ORDER BY ts DESC LIMIT 1
         ) vid ON true
         LEFT JOIN LATERAL (
           SELECT ts, state, limit_kmh FROM limiter_states WHERE bus_id = b.id ORDER BY ts DESC LIMIT 1
         ) lim ON true
         WHERE $1::text[] IS NULL OR b.id = ANY ($1::text[])
         ORDER BY b.plate`,
        [
          busIds === 'all' ? null : busIds,
          new Date(now.getTime() - terminalStatusLookbackMs),
          new Date(now.getTime() - openEpisodeLookbackMs),
        ],
      ),

    /** The calls of these buses' trips that run on this ISO weekday, by trip and call. */
    listTodayCalls: (busIds: 'all' | readonly string[], isoWeekday: number) =>
      db.query<TodayCallRow & Record<string, unknown>>(
        `SELECT t.id AS "tripId", t.bus_id AS "busId", t.school_id AS "schoolId", t.direction,
                ts.seq, ts.stop_id AS "stopId", s.name_zh AS "nameZh", s.name_en AS "nameEn",
                to_char(ts.arrive_time, 'HH24:MI:SS') AS "arriveTime",
                to_char(ts.depart_time, 'HH24:MI:SS') AS "departTime"
         FROM trips t JOIN trip_stops ts ON ts.trip_id = t.id JOIN stops s ON s.id = ts.stop_id
         WHERE t.bus_id IS NOT NULL AND ($1::text[] IS NULL OR t.bus_id = ANY ($1::text[]))
           AND $2::int = ANY (t.weekdays)
         ORDER BY t.id, ts.seq`,
        [busIds === 'all' ? null : busIds, isoWeekday],
      ),

    /** Of these trips today: their stop arrivals and departures, pupils on board, and ended runs. */
    tripsToday: async (tripIds: readonly string[], day: { date: string; start: Date }) => {
      if (tripIds.length === 0)
        return { visits: [], onBoard: new Map<string, number>(), ended: new Set<string>() }
      const [visits, onBoard, ended] = await Promise.all([
        db.query<{ tripId: string; kind: 'stop_arrival' | 'stop_departure'; ts: Date; seq: number }>(
          `SELECT trip_id AS "tripId", kind, ts, (details->>'seq')::int AS seq FROM events
           WHERE trip_id = ANY ($1::text[]) AND kind IN ('stop_arrival', 'stop_departure') AND ts >= $2
             AND details ? 'seq'`,
          [tripIds, day.start],
        ),
        db.query<{ tripId: string; pupils: number }>(
          `SELECT trip_id AS "tripId", count(*)::int AS pupils FROM (
             SELECT DISTINCT ON (trip_id, pupil_id) trip_id, action FROM boarding_events
             WHERE trip_id = ANY ($1::text[]) AND service_date = $2::date
             ORDER BY trip_id, pupil_id, scanned_at DESC, received_at DESC
           ) last WHERE action = 'boarded' GROUP BY trip_id`,
          [tripIds, day.date],
        ),
        db.query<{ tripId: string }>(
          `SELECT trip_id AS "tripId" FROM trip_runs WHERE trip_id = ANY ($1::text[]) AND service_date = $2::date`,
          [tripIds, day.date],
        ),
      ])
      return {
        visits,
        onBoard: new Map(onBoard.map((row) => [row.tripId, row.pupils])),
        ended: new Set(ended.map((row) => row.tripId)),
      }
    },

    /** The towns and schools these ids name, in both languages. */
    placeNames: async (townIds: readonly string[], schoolIds: readonly string[]) => {
      const [towns, schools] = await Promise.all([
        db.query<{ id: string; nameZh: string; nameEn: string }>(
          `SELECT id, name_zh AS "nameZh", name_en AS "nameEn" FROM towns WHERE id = ANY ($1::text[]) ORDER BY id`,
          [townIds],
        ),
        db.query<{ id: string; townId: string; nameZh: string; nameEn: string | null }>(
          `SELECT id, town_id AS "townId", name_zh AS "nameZh", name_en AS "nameEn" FROM schools
           WHERE id = ANY ($1::text[]) ORDER BY id`,
          [schoolIds],
        ),
      ])
      return { towns, schools }
    },

    /** The active staff accounts, whom the bureau may assign an alarm case to. */
    listAssignees: () =>
      db.query<{ username: string; displayName: string; role: 'bureau' | 'school'; schoolId: string | null }>(
        `SELECT username, display_name AS "displayName", role, school_id AS "schoolId" FROM staff_accounts
         WHERE disabled_at IS NULL ORDER BY role, username`,
      ),
  }
}
