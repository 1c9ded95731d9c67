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
    const tripIds = [run.tripId, ...(run.otherTripIds ?? [])]
    const pupils = (
      await Promise.all(tripIds.map((tripId) => onBoard.pupilsOnBoard(tripId, run.serviceDate)))
    ).flat()
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
        tripIds,
        pupils,
        contacts: await onBoard.busContacts(run.busId),
      },
      acknowledgedBy: null,
      acknowledgedAt: null,
    }
    // Once per trip and day even with several processes raising it at once: the store's unique index
    // (migration 5) turns a second insert into nothing, and only the process whose row was stored
    // sends the alarm. One standstill of a bus is one alarm (the events' key is bus, kind and time),
    // so it names every trip whose pupils are still aboard, and none of those is raised again.
    const stored = await deps.db.query(
      `INSERT INTO events (bus_id, kind, ts, trip_id, details)
       SELECT $1, $2, $3, $4, $5
       WHERE NOT EXISTS (SELECT 1 FROM events WHERE kind = $2
                         AND ts >= $6 AND ts < $6::timestamptz + interval '1 day'
                         AND (trip_id = ANY($7::text[]) OR coalesce(details->'tripIds', '[]') ?| $7::text[]))
       ON CONFLICT DO NOTHING RETURNING bus_id`,
      [
        alarm.busId,
        alarm.kind,
        alarm.ts,
        alarm.tripId,
        JSON.stringify(alarm.details),
        fromShanghaiTime(run.serviceDate, '00:00:00').toISOString(),
        tripIds,
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

    /**
     * Looks at every bus with a pupil of the day's trips still on board; run every few seconds. A
     * bus standing with its engine off at the last stop of one of those trips, or at its depot, for
     * afterS raises one alarm naming them all.
     */
    async checkTelemetry(): Promise<number> {
      const now = deps.clock.now()
      const { date } = toShanghaiTime(now)
      const tripsByBus = new Map<string, string[]>()
      for (const trip of await onBoard.tripsWithPupilsOnBoard(date, fromShanghaiTime(date, '00:00:00')))
        tripsByBus.set(trip.busId, [...(tripsByBus.get(trip.busId) ?? []), trip.tripId])
      let raised = 0
      for (const [busId, tripIds] of tripsByBus) {
        const candidates: (NamedPlace & { tripId: string })[] = []
        for (const tripId of tripIds) {
          const places = await onBoard.endPlaces(tripId)
          if (!places) continue
          candidates.push({ kind: 'last_stop', lat: places.lastLat, lon: places.lastLon, tripId })
          if (places.depotLat !== null && places.depotLon !== null)
            candidates.push({ kind: 'depot', lat: places.depotLat, lon: places.depotLon, tripId })
        }
        if (candidates.length === 0) continue
        // Far enough back to date the standstill from its start, not from the window's.
        const since = new Date(now.getTime() - (deps.afterS + lookBackS) * 1000)
        const fixes = (await onBoard.recentFixes(busId, since)).map((fix) => ({
          tsMs: new Date(fix.ts).getTime(),
          lat: fix.lat,
          lon: fix.lon,
          ignition: fix.ignition,
        }))
        // The latest trip's places first: at the depot, the alarm is the trip the bus came in from.
        const standstill = findEngineOffStandstill(fixes, candidates.reverse(), {
          nowMs: now.getTime(),
          afterS: deps.afterS,
          radiusM,
          maxGapS: parkedReportGapS,
        })
        if (!standstill) continue
        const { tripId } = standstill.place
        const alarm = await raise({
          busId,
          tripId,
          otherTripIds: tripIds.filter((id) => id !== tripId),
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
