import { findEngineOffStandstill, type NamedPlace } from '../core/boarding/find-engine-off-standstill.js'
import type { Clock } from '../core/clock/clock.js'
import { fromShanghaiTime, toShanghaiTime } from '../core/clock/shanghai-time.js'
import type { Logger } from '../core/log/logger.js'
import type { Queryable } from '../core/store/database.js'
import { createOnBoardQueries } from '../core/store/on-board-queries.js'
import type { ChildLeftOnBusAlarm, LeftOnBusRun } from '../core/alarms/child-left-on-bus-alarm.js'

/** A terminal still reporting while parked sends a fix at least this often. */
const parkedReportGapS = 120
const lookBackS = 1800

/**
 * The child-left-on-bus alarm: a pupil boarded and was never marked off, and either the attendant
 * ended the trip, or the bus has stood with its engine off at the trip's last stop or at its depot
 * for `afterS`. Stored once per trip and day, and sent to everyone responsible at once.
 */
export function createChildLeftOnBusAlarms(deps: {
  db: Queryable
  clock: Clock
  log: Logger
  afterS: number
  radiusM?: number
  publish(alarm: ChildLeftOnBusAlarm): void
}) {
  const onBoard = createOnBoardQueries(deps.db)
  const radiusM = deps.radiusM ?? 100

  const raise = async (run: LeftOnBusRun): Promise<ChildLeftOnBusAlarm | null> => {
    const pupils = await onBoard.pupilsOnBoard(run.tripId, run.serviceDate)
    const places = await onBoard.endPlaces(run.tripId)
    if (pupils.length === 0 || !places) return null
    const alarm: ChildLeftOnBusAlarm = {
      busId: run.busId,
      kind: 'child_left_on_bus',
      ts: new Date(run.atMs).toISOString(),
      tripId: run.tripId,
      details: {
        reason: run.reason,
        serviceDate: run.serviceDate,
        schoolId: places.schoolId,
        pupils,
        contacts: await onBoard.busContacts(run.busId),
      },
      acknowledgedBy: null,
      acknowledgedAt: null,
    }
    // Once per trip and day even with several processes raising it at once: the store's unique index
    // (migration 5) turns a second insert into nothing, and only the process whose row was stored
    // sends the alarm.
    const stored = await deps.db.query(
      `INSERT INTO events (bus_id, kind, ts, trip_id, details)
       SELECT $1, $2, $3, $4, $5
       WHERE NOT EXISTS (SELECT 1 FROM events WHERE trip_id = $4 AND kind = $2
                         AND ts >= $6 AND ts < $6::timestamptz + interval '1 day')
       ON CONFLICT DO NOTHING RETURNING bus_id`,
      [
        alarm.busId,
        alarm.kind,
        alarm.ts,
        alarm.tripId,
        JSON.stringify(alarm.details),
        fromShanghaiTime(run.serviceDate, '00:00:00').toISOString(),
      ],
    )
    if (stored.length === 0) return null
    deps.log.warn('child left on bus', {
      busId: alarm.busId,
      tripId: alarm.tripId,
      reason: alarm.details.reason,
    })
    deps.publish(alarm)
    return alarm
  }

  return {
    raise,

    /** Looks at every trip of the day with a pupil still on board; run every few seconds. */
    async checkTelemetry(): Promise<number> {
      const now = deps.clock.now()
      const { date } = toShanghaiTime(now)
      let raised = 0
      for (const trip of await onBoard.tripsWithPupilsOnBoard(date, fromShanghaiTime(date, '00:00:00'))) {
        const places = await onBoard.endPlaces(trip.tripId)
        if (!places) continue
        const candidates: NamedPlace[] = [{ kind: 'last_stop', lat: places.lastLat, lon: places.lastLon }]
        if (places.depotLat !== null && places.depotLon !== null) {
          candidates.push({ kind: 'depot', lat: places.depotLat, lon: places.depotLon })
        }
        // Far enough back to date the standstill from its start, not from the window's.
        const since = new Date(now.getTime() - (deps.afterS + lookBackS) * 1000)
        const fixes = (await onBoard.recentFixes(trip.busId, since)).map((fix) => ({
          tsMs: new Date(fix.ts).getTime(),
          lat: fix.lat,
          lon: fix.lon,
          ignition: fix.ignition,
        }))
        const standstill = findEngineOffStandstill(fixes, candidates, {
          nowMs: now.getTime(),
          afterS: deps.afterS,
          radiusM,
          maxGapS: parkedReportGapS,
        })
        if (!standstill) continue
        const alarm = await raise({
          busId: trip.busId,
          tripId: trip.tripId,
          serviceDate: date,
          atMs: standstill.sinceMs,
          reason: standstill.place.kind === 'depot' ? 'engine_off_at_depot' : 'engine_off_at_last_stop',
        })
        if (alarm) raised++
      }
      return raised
    },
  }
}

export type ChildLeftOnBusAlarms = ReturnType<typeof createChildLeftOnBusAlarms>
