import type { Queryable } from './database.js'

export type TransitLineKind = 'micro_bus' | 'custom_bus'

/** A micro-bus (微公交) or custom-bus (定制公交) line, as published to riders. */
export interface TransitLine {
  id: string
  name: string
  kind: TransitLineKind
  /** The bus company that runs it, where the registers name one. */
  operator: string | null
}

/** One call of a trip: local (Asia/Shanghai) seconds after midnight of the service day. */
export interface TransitCall {
  seq: number
  stopId: string
  arriveS: number
  departS: number
}

/** A published run of a line, with the bus that drives it where one is assigned. */
export interface TransitTrip {
  id: string
  lineId: string
  busId: string | null
  busPlate: string | null
  busOperator: string | null
  direction: 'to_school' | 'from_school'
  /** In seq order. */
  calls: TransitCall[]
}

export interface TransitStop {
  id: string
  name: string
  lat: number
  lon: number
}

/**
 * Another trip of a bus that drives published ones (a school-bus trip, a run with registered
 * riders): it is never published, and only tells when the bus is busy with something else.
 */
export interface UnpublishedRun {
  tripId: string
  busId: string
  firstArriveS: number
  lastDepartS: number
}

/** What is published of one service day, and when those trips' buses are busy with other trips. */
export interface TransitServiceDay {
  /** The service day, YYYY-MM-DD in Asia/Shanghai. */
  date: string
  lines: TransitLine[]
  trips: TransitTrip[]
  stops: TransitStop[]
  otherRunsOfTheirBuses: UnpublishedRun[]
}

/**
 * A trip is published when it is a run of a micro-bus or custom-bus line and no school bus drives
 * it: school-bus trips stay with the staff and parents who may see them. A public line's run is
 * public whoever rides it; the pupils registered on it are never named in what is published.
 */
const publishedTrip = `
  l.kind IN ('micro_bus', 'custom_bus')
  AND (b.id IS NULL OR b.kind <> 'school_bus')`

const secondsOf = (column: string) => `extract(epoch FROM ${column})::int`

/** The public timetable of micro-bus and custom-bus lines: lines, trips, calls and stops, nothing about people. */
export function createTransitServiceQueries(db: Queryable) {
  return {
    /** The trips published on `date` (YYYY-MM-DD, whose ISO weekday is `isoWeekday`), with their lines and stops. */
    async serviceDay(date: string, isoWeekday: number): Promise<TransitServiceDay> {
      const trips = await db.query<TransitTrip & Record<string, unknown>>(
        `SELECT t.id, t.line_id AS "lineId", t.bus_id AS "busId", b.plate AS "busPlate",
                b.operator AS "busOperator", t.direction,
                json_agg(json_build_object('seq', ts.seq, 'stopId', ts.stop_id,
                                           'arriveS', ${secondsOf('ts.arrive_time')},
                                           'departS', ${secondsOf('ts.depart_time')}) ORDER BY ts.seq) AS calls
         FROM trips t
         JOIN lines l ON l.id = t.line_id
         LEFT JOIN buses b ON b.id = t.bus_id
         JOIN trip_stops ts ON ts.trip_id = t.id
         WHERE $1::int = ANY (t.weekdays) AND ${publishedTrip}
         GROUP BY t.id, b.id
         HAVING count(*) >= 2
         ORDER BY t.id`,
        [isoWeekday],
      )
      const lineIds = [...new Set(trips.map((trip) => trip.lineId))]
      const stopIds = [...new Set(trips.flatMap((trip) => trip.calls.map((call) => call.stopId)))]
      const busIds = [...new Set(trips.flatMap((trip) => (trip.busId ? [trip.busId] : [])))]
      const [lines, stops, otherRunsOfTheirBuses] = await Promise.all([
        db.query<TransitLine & Record<string, unknown>>(
          `SELECT id, name, kind, operator FROM lines WHERE id = ANY ($1::text[]) ORDER BY id`,
          [lineIds],
        ),
        db.query<TransitStop & Record<string, unknown>>(
          `SELECT id, name_zh AS name, lat, lon FROM stops WHERE id = ANY ($1::text[]) ORDER BY id`,
          [stopIds],
        ),
        db.query<UnpublishedRun & Record<string, unknown>>(
          `SELECT t.id AS "tripId", t.bus_id AS "busId",
                  (array_agg(${secondsOf('ts.arrive_time')} ORDER BY ts.seq))[1] AS "firstArriveS",
                  (array_agg(${secondsOf('ts.depart_time')} ORDER BY ts.seq DESC))[1] AS "lastDepartS"
           FROM trips t
           JOIN trip_stops ts ON ts.trip_id = t.id
           WHERE t.bus_id = ANY ($2::text[]) AND $1::int = ANY (t.weekdays) AND NOT (t.id = ANY ($3::text[]))
           GROUP BY t.id
           ORDER BY t.id`,
          [isoWeekday, busIds, trips.map((trip) => trip.id)],
        ),
      ])
      return { date, lines, trips, stops, otherRunsOfTheirBuses }
    },
  }
}
