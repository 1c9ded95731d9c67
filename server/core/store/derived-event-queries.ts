import { busPartitionSql } from '../stream/bus-partition.js'
import { checkpointText, type Checkpoint } from '../stream/stream-checkpoint.js'
import type { Queryable } from './database.js'

export interface ScheduledTripStopRow {
  tripId: string
  busId: string
  seq: number
  stopId: string
  lat: number
  lon: number
  /** Local times (Asia/Shanghai), 'HH:MM:SS'. */
  arriveTime: string
  departTime: string
  name: string
  /** The trip's school call: at its gate stop, else its last call to school or first call from it. */
  school: boolean
}

export interface BusHistoryRow {
  busId: string
  lastPositionTs: Date | null
  lastLimiterTs: Date | null
  lastLimiterState: 'active' | 'disabled' | 'fault' | null
  lastLimiterLimitKmh: number | null
}

/** An event whose episode had not ended when it was last stored (details.endTs null). */
export interface OpenEpisodeRow {
  busId: string
  kind: string
  ts: Date
  tripId: string | null
  details: Record<string, unknown>
}

/** What the derived-event worker reads: the day's trip schedule and each bus's latest reports. */
export function createDerivedEventQueries(db: Queryable) {
  return {
    /** The stops of every bus trip that runs on this ISO weekday, by trip and seq. */
    listScheduledTripStops: (isoWeekday: number) =>
      db.query<ScheduledTripStopRow & Record<string, unknown>>(
        `SELECT t.id AS "tripId", t.bus_id AS "busId", ts.seq, ts.stop_id AS "stopId", s.lat, s.lon,
                to_char(ts.arrive_time, 'HH24:MI:SS') AS "arriveTime",
                to_char(ts.depart_time, 'HH24:MI:SS') AS "departTime", s.name_zh AS name,
                ts.seq = first_value(ts.seq) OVER (
                  PARTITION BY t.id
                  ORDER BY ts.stop_id = sc.gate_stop_id DESC NULLS LAST,
                           CASE WHEN t.direction = 'to_school' THEN -ts.seq ELSE ts.seq END
                ) AS school
         FROM trips t
         JOIN trip_stops ts ON ts.trip_id = t.id
         JOIN stops s ON s.id = ts.stop_id
         LEFT JOIN schools sc ON sc.id = t.school_id
         WHERE t.bus_id IS NOT NULL AND $1::int = ANY (t.weekdays)
         ORDER BY t.id, ts.seq`,
        [isoWeekday],
      ),

    /** Per bus, the newest position since `positionsSince` and limiter state since `limiterSince`. */
    listBusHistories: (window: { positionsSince: Date; limiterSince: Date }) =>
      db.query<BusHistoryRow & Record<string, unknown>>(
        `SELECT b.id AS "busId", p.ts AS "lastPositionTs", l.ts AS "lastLimiterTs",
                l.state AS "lastLimiterState", l.limit_kmh AS "lastLimiterLimitKmh"
         FROM buses b
         LEFT JOIN LATERAL (
           SELECT ts FROM positions WHERE bus_id = b.id AND ts >= $1 ORDER BY ts DESC LIMIT 1
         ) p ON true
         LEFT JOIN LATERAL (
           SELECT ts, state, limit_kmh FROM limiter_states WHERE bus_id = b.id AND ts >= $2 ORDER BY ts DESC LIMIT 1
         ) l ON true
         ORDER BY b.id`,
        [window.positionsSince, window.limiterSince],
      ),

    /**
     * listBusHistories for the buses of one stream partition, from the reports the stream had
     * delivered below `checkpoint` and dated before `before` (a replay takes it from there).
     */
    listPartitionBusHistories: (window: {
      partition: number
      partitions: number
      checkpoint: Checkpoint
      before: Date
      positionsSince: Date
      limiterSince: Date
    }) =>
      db.query<BusHistoryRow & Record<string, unknown>>(
        `SELECT b.id AS "busId", p.ts AS "lastPositionTs", l.ts AS "lastLimiterTs",
                l.state AS "lastLimiterState", l.limit_kmh AS "lastLimiterLimitKmh"
         FROM buses b
         LEFT JOIN LATERAL (
           SELECT ts FROM positions
           WHERE bus_id = b.id AND ts >= $3 AND ts < $5 AND (ingest_xid IS NULL OR ingest_xid < $6::text::xid8)
           ORDER BY ts DESC LIMIT 1
         ) p ON true
         LEFT JOIN LATERAL (
           SELECT ts, state, limit_kmh FROM limiter_states
           WHERE bus_id = b.id AND ts >= $4 AND ts < $5 AND (ingest_xid IS NULL OR ingest_xid < $6::text::xid8)
           ORDER BY ts DESC LIMIT 1
         ) l ON true
         WHERE ${busPartitionSql('b.id', '$2')} = $1
         ORDER BY b.id`,
        [
          window.partition,
          window.partitions,
          window.positionsSince,
          window.limiterSince,
          window.before,
          checkpointText(window.checkpoint),
        ],
      ),

    /** The events of one stream partition's buses, of these kinds and since then, still open. */
    listOpenEpisodes: (window: {
      partition: number
      partitions: number
      kinds: readonly string[]
      since: Date
    }) =>
      db.query<OpenEpisodeRow & Record<string, unknown>>(
        `SELECT bus_id AS "busId", kind, ts, trip_id AS "tripId", details FROM events
         WHERE ${busPartitionSql('bus_id', '$2')} = $1 AND ts >= $4
           AND kind IN (SELECT jsonb_array_elements_text($3::jsonb)) AND details->>'endTs' IS NULL
         ORDER BY bus_id, ts`,
        [window.partition, window.partitions, JSON.stringify(window.kinds), window.since],
      ),
  }
}
