import { fromShanghaiTime, toShanghaiTime } from '../clock/shanghai-time.js'
import { routeViolationKinds, type BusDay, type TripDay } from '../reports/report-measures.js'
import { bindNamed } from './bind-named-parameters.js'
import type { Database } from './database.js'
import {
  busDaysSql,
  dayEventsSql,
  daySegmentsSql,
  daySpansSql,
  dayTripsSql,
  tripDaysSql,
  type DayValues,
} from './report-day-sql.js'
import { hasTimescale } from './timescale.js'

export { bindNamed } from './bind-named-parameters.js'

/** Any fixed number: with the day, it keeps two processes from aggregating one day at once. */
const dayLockKey = 7_302_015
const dayMs = 86_400_000
const hourMs = 3_600_000

/**
 * The embedded store answers in the event loop's own thread: between two steps of a long refresh,
 * whatever came in meanwhile (positions, scans, a page's request) is taken first.
 */
const yieldToEventLoop = () => new Promise((resolve) => setImmediate(resolve))

/** A service day's bounds: local midnight to local midnight (Asia/Shanghai). */
export function serviceDayBounds(date: string): { from: Date; to: Date; isoWeekday: number } {
  const from = fromShanghaiTime(date, '00:00:00')
  return {
    from,
    to: new Date(from.getTime() + dayMs),
    isoWeekday: toShanghaiTime(fromShanghaiTime(date, '12:00:00')).isoWeekday,
  }
}

const readMeasures = `trips_run AS "tripsRun", distance_m AS "distanceM", moving_s AS "movingS",
  school_calls_on_time AS "schoolCallsOnTime", school_calls_late AS "schoolCallsLate",
  school_calls_unseen AS "schoolCallsUnseen", over_speed_episodes AS "overSpeedEpisodes",
  over_speed_s AS "overSpeedS", over_speed_by_road AS "overSpeedByRoad", limiter_off_s AS "limiterOffS",
  silent_s AS "silentS", route_violations AS "routeViolations", alarms, pupil_ids AS "pupilIds",
  pupil_rides AS "pupilRides"`

/** A day of the refresh log: when it was last aggregated, and whether it is closed. */
export interface ReportRefreshState {
  date: string
  refreshedAt: Date | null
  closed: boolean
}

/** The oversight reports' aggregates: refreshing a day, and reading days for a report. */
export function createReportDayQueries(db: Database) {
  let continuous: Promise<boolean> | undefined
  /** positions_hourly is a continuous aggregate (TimescaleDB) rather than a plain table. */
  const isContinuous = () =>
    (continuous ??= (async () => {
      if (!(await hasTimescale(db))) return false
      const rows = await db.query(
        `SELECT 1 FROM timescaledb_information.continuous_aggregates WHERE view_name = 'positions_hourly'`,
      )
      return rows.length > 0
    })())

  /** One bus's trip days and bus day, replacing its earlier ones and its trips' on other buses. */
  const aggregateBusDay = (values: DayValues) =>
    db.transaction(async (tx) => {
      const run = (sql: string) => {
        const bound = bindNamed(sql, values)
        return tx.query(bound.sql, bound.params)
      }
      await tx.query('SELECT pg_advisory_xact_lock($1, $2)', [dayLockKey, dayNumber(String(values.date))])
      // A day's positions grouped in memory: at the default 4 MB the grouping spills to disk.
      await tx.exec(`SET LOCAL work_mem = '64MB'`)
      for (const sql of [dayTripsSql, daySegmentsSql, daySpansSql, dayEventsSql]) await run(sql)
      // A trip that changed bus goes from the other bus's rows too, whichever bus comes first.
      await run(`DELETE FROM report_trip_days WHERE service_date = $date::date
                 AND (bus_id = $bus OR trip_id IN (SELECT trip_id FROM report_day_trips))`)
      await run(`DELETE FROM report_bus_days WHERE service_date = $date::date AND bus_id = $bus`)
      const tripDays = (await run(`${tripDaysSql} RETURNING 1`)).length
      const busDays = (await run(`${busDaysSql} RETURNING 1`)).length
      // ON COMMIT DROP drops them at the end of the transaction; dropped now, a second bus in the
      // same session (PGlite) cannot meet them.
      await tx.exec(`DROP TABLE report_day_events, report_day_spans, report_day_segments, report_day_trips`)
      return { busDays, tripDays }
    })

  return {
    /**
     * Brings positions_hourly up to date over [from, to) (whole hours), an hour at a time so that on
     * the embedded store what came in meanwhile is taken between two (see aggregateDay). A
     * continuous aggregate is refreshed outside any transaction, as TimescaleDB requires.
     */
    async refreshHourly(from: Date, to: Date): Promise<void> {
      const continuous = await isContinuous()
      for (let startMs = from.getTime(); startMs < to.getTime(); startMs += hourMs) {
        await yieldToEventLoop()
        const endMs = Math.min(startMs + hourMs, to.getTime())
        const window = [new Date(startMs).toISOString(), new Date(endMs).toISOString()]
        if (continuous) {
          await db.query(
            `CALL refresh_continuous_aggregate('positions_hourly', $1::timestamptz, $2::timestamptz)`,
            window,
          )
        } else {
          await db.query(`SELECT refresh_positions_hourly($1, $2)`, window)
        }
      }
    },

    /**
     * Aggregates one service day into report_trip_days and report_bus_days, replacing what they held
     * for it, a bus at a time: each bus's days in one transaction, so that readers see a bus's old
     * day or its new one, and so that on the embedded store, where a transaction holds the only
     * connection, live positions and scans wait for one bus's share and never for the whole day.
     * Rows of buses and trips no longer seen go last. positions_hourly must be refreshed over the
     * day first (refreshHourly).
     */
    async aggregateDay(date: string, now: Date): Promise<{ busDays: number; tripDays: number }> {
      const day = serviceDayBounds(date)
      const values: Omit<DayValues, 'bus'> = {
        date,
        from: day.from.toISOString(),
        to: day.to.toISOString(),
        now: now.toISOString(),
        weekday: day.isoWeekday,
        routeKinds: routeViolationKinds,
      }
      const busIds = await db.query<{ busId: string }>(
        `SELECT bus_id AS "busId" FROM positions_hourly WHERE hour >= $1 AND hour < $2
         UNION SELECT bus_id FROM events WHERE ts >= $1::timestamptz - interval '7 days' AND ts < $2
         UNION SELECT bus_id FROM trips WHERE bus_id IS NOT NULL
         UNION SELECT new_bus_id FROM trip_bus_changes WHERE service_date = $3::date
         ORDER BY 1`,
        [values.from, values.to, date],
      )
      const counts = { busDays: 0, tripDays: 0 }
      for (const { busId } of busIds) {
        await yieldToEventLoop()
        const bus = await aggregateBusDay({ ...values, bus: busId })
        counts.busDays += bus.busDays
        counts.tripDays += bus.tripDays
      }
      await db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1, $2)', [dayLockKey, dayNumber(date)])
        for (const table of ['report_trip_days', 'report_bus_days'])
          await tx.query(`DELETE FROM ${table} WHERE service_date = $1::date AND refreshed_at <> $2`, [
            date,
            values.now,
          ])
      })
      return counts
    },

    /**
     * Takes the day for `holder` until `until`, unless another holder's claim still runs; whether
     * it was taken. Several processes refresh reports on one store; one does each day.
     */
    async claimDay(date: string, holder: string, now: Date, until: Date): Promise<boolean> {
      const rows = await db.query(
        `INSERT INTO report_refreshes (service_date, claimed_by, claimed_until) VALUES ($1::date, $2, $4)
         ON CONFLICT (service_date) DO UPDATE SET claimed_by = $2, claimed_until = $4
           WHERE report_refreshes.claimed_until IS NULL OR report_refreshes.claimed_until <= $3
              OR report_refreshes.claimed_by = $2
         RETURNING 1`,
        [date, holder, now.toISOString(), until.toISOString()],
      )
      return rows.length > 0
    },

    /** The day was aggregated at `at` (and is now closed, if `closed`); the holder's claim ends. */
    async markRefreshed(date: string, at: Date, closed: boolean): Promise<void> {
      await db.query(
        `INSERT INTO report_refreshes (service_date, refreshed_at, closed) VALUES ($1::date, $2, $3)
         ON CONFLICT (service_date) DO UPDATE SET refreshed_at = $2, closed = report_refreshes.closed OR $3,
           claimed_by = NULL, claimed_until = NULL`,
        [date, at.toISOString(), closed],
      )
    },

    /** The refresh log from `fromDate` on. */
    refreshStates: (fromDate: string) =>
      db.query<ReportRefreshState & Record<string, unknown>>(
        `SELECT to_char(service_date, 'YYYY-MM-DD') AS date, refreshed_at AS "refreshedAt", closed
         FROM report_refreshes WHERE service_date >= $1::date ORDER BY service_date`,
        [fromDate],
      ),

    /** Bus days from `from` to `to` (inclusive service dates), of these buses or all. */
    readBusDays: (filter: { from: string; to: string; busIds?: readonly string[] }) =>
      db.query<BusDay & Record<string, unknown>>(
        `SELECT to_char(service_date, 'YYYY-MM-DD') AS date, bus_id AS "busId", driver_id AS "driverId",
           attendant_id AS "attendantId", town_id AS "townId", reports, max_speed_kmh AS "maxSpeedKmh",
           ${readMeasures}
         FROM report_bus_days
         WHERE service_date BETWEEN $1::date AND $2::date AND ($3::text[] IS NULL OR bus_id = ANY ($3::text[]))
         ORDER BY service_date, bus_id`,
        [filter.from, filter.to, filter.busIds ?? null],
      ),

    /** Trip days from `from` to `to` (inclusive), of this school's trips or all. */
    readTripDays: (filter: { from: string; to: string; schoolId?: string }) =>
      db.query<TripDay & Record<string, unknown>>(
        `SELECT to_char(service_date, 'YYYY-MM-DD') AS date, trip_id AS "tripId", bus_id AS "busId",
           driver_id AS "driverId", attendant_id AS "attendantId", school_id AS "schoolId", direction,
           planned_school_at AS "plannedSchoolAt", arrived_school_at AS "arrivedSchoolAt", ${readMeasures}
         FROM report_trip_days
         WHERE service_date BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR school_id = $3)
         ORDER BY service_date, trip_id`,
        [filter.from, filter.to, filter.schoolId ?? null],
      ),

    /** What a report names its rows by, from the registers as they are now. */
    async readLabels(): Promise<ReportLabels> {
      const [buses, staff, schools, towns] = await Promise.all([
        db.query<{ id: string; plate: string; townId: string }>(
          `SELECT id, plate, town_id AS "townId" FROM buses ORDER BY id`,
        ),
        db.query<{ id: string; name: string; role: string }>(
          `SELECT id, name, role FROM staff WHERE role IN ('driver', 'attendant') ORDER BY id`,
        ),
        db.query<{ id: string; nameZh: string; nameEn: string | null }>(
          `SELECT id, name_zh AS "nameZh", name_en AS "nameEn" FROM schools ORDER BY id`,
        ),
        db.query<{ id: string; nameZh: string; nameEn: string | null }>(
          `SELECT id, name_zh AS "nameZh", name_en AS "nameEn" FROM towns ORDER BY id`,
        ),
      ])
      return { buses, staff, schools, towns }
    },
  }
}

export type ReportDayQueries = ReturnType<typeof createReportDayQueries>

/** The registers' names for what reports group by. */
export interface ReportLabels {
  buses: { id: string; plate: string; townId: string }[]
  staff: { id: string; name: string; role: string }[]
  schools: { id: string; nameZh: string; nameEn: string | null }[]
  towns: { id: string; nameZh: string; nameEn: string | null }[]
}

/** Days since 1970-01-01: the day's advisory lock. */
const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / dayMs)
