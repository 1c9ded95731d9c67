import {
  createEtaTracker,
  type EtaFix,
  type EtaTracker,
  type EtaTrackerOptions,
  type TripEta,
} from '../../geo/eta/eta-tracker.js'
import type { LegTimeTable } from '../../geo/eta/learned-leg-times.js'
import type { TripRoute } from '../../geo/eta/trip-route.js'
import type { Router } from '../../geo/routing/router.js'
import { defaultEventRuleOptions } from '../core/schedule/event-rule-options.js'
import {
  createTripCalendar,
  groupScheduledTrips,
  type RunningTrip,
  type ScheduledTrip,
} from '../core/schedule/trip-calendar.js'
import type { PositionRow } from '../core/broker/telemetry-rows.js'
import type { Clock } from '../core/clock/clock.js'
import { fromShanghaiTime, toShanghaiTime } from '../core/clock/shanghai-time.js'
import type { Logger } from '../core/log/logger.js'
import type { Queryable } from '../core/store/database.js'
import { createDerivedEventQueries } from '../core/store/derived-event-queries.js'
import { createTripRoutes } from '../core/routing/trip-routes.js'
import type { EtaUpdate, LiveEtaEngine } from './bus-live-feed.js'

interface BusRun {
  /** The trip and its service day: a trip run again tomorrow is another run. */
  runKey: string
  tripId: string
  tracker: EtaTracker
  lastSent: string
}

/**
 * The ETA of every bus on its running trip, on the ingest path: each bus's fixes go to a tracker
 * for the trip the timetable says it runs, on that trip's road geometry, with what earlier runs
 * taught (`learned`, refreshed by the caller). An update is sent only when the estimate changed.
 */
export function createLiveTripEtas(deps: {
  db: Queryable
  router: Router
  clock: Clock
  log: Logger
  learned(): LegTimeTable | undefined
  trackerOptions?: Omit<EtaTrackerOptions, 'tripId' | 'learned' | 'schedule'>
}): LiveEtaEngine<TripEta> & { tripRoute(tripId: string): Promise<TripRoute> } {
  const { clock, log } = deps
  const scheduled = new Map<string, ScheduledTrip>()
  const derivedQueries = createDerivedEventQueries(deps.db)
  const calendar = createTripCalendar({
    loadTrips: async (isoWeekday) => {
      const trips = groupScheduledTrips(await derivedQueries.listScheduledTripStops(isoWeekday))
      for (const trip of trips) scheduled.set(trip.id, trip)
      return trips
    },
    tripLeadS: defaultEventRuleOptions.tripLeadS,
    tripGraceS: defaultEventRuleOptions.tripGraceS,
  })
  const { routeOf } = createTripRoutes(deps)
  const runs = new Map<string, BusRun>()
  const lastFixes = new Map<string, EtaFix>()

  const startRun = async (trip: RunningTrip, runKey: string): Promise<BusRun | undefined> => {
    const plan = scheduled.get(trip.tripId)
    if (!plan) return undefined
    const date = toShanghaiTime(trip.firstStopAt).date
    const tracker = createEtaTracker(await routeOf(trip.tripId, plan.stops), {
      ...deps.trackerOptions,
      tripId: trip.tripId,
      learned: deps.learned(),
      schedule: plan.stops.map((stop) => ({
        arriveMs: fromShanghaiTime(date, stop.arriveTime).getTime(),
        departMs: fromShanghaiTime(date, stop.departTime).getTime(),
      })),
    })
    return { runKey, tripId: trip.tripId, tracker, lastSent: '' }
  }

  /** The bus's new estimate, if it differs from the last one sent. */
  const changedEstimate = (busId: string, run: BusRun, atMs: number): EtaUpdate<TripEta> | undefined => {
    const update = { busId, tripId: run.tripId, eta: run.tracker.estimate(atMs) }
    const sent = JSON.stringify(update.eta)
    if (run.lastSent === sent) return undefined
    run.lastSent = sent
    return update
  }
  const runEnded = (busId: string): EtaUpdate<TripEta> => {
    runs.delete(busId)
    return { busId, tripId: null, eta: null }
  }
  const runKeyOf = (trip: RunningTrip | undefined) =>
    trip ? `${trip.tripId}@${trip.firstStopAt.toISOString()}` : undefined

  return {
    async observe(positions) {
      if (positions.length === 0) return []
      const byBus = new Map<string, PositionRow[]>()
      for (const p of positions) {
        const fixes = byBus.get(p.busId)
        if (fixes) fixes.push(p)
        else byBus.set(p.busId, [p])
      }
      await calendar.prepare(
        positions.map((p) => p.ts),
        clock.now(),
      )
      const atMs = clock.now().getTime()
      const updates: EtaUpdate<TripEta>[] = []
      for (const [busId, fixes] of byBus) {
        fixes.sort((a, b) => a.ts.getTime() - b.ts.getTime())
        try {
          let ended = false
          for (const fix of fixes) {
            const trip = calendar.findRunningTrip(busId, fix.ts)
            const runKey = runKeyOf(trip)
            let run = runs.get(busId)
            if (run && run.runKey !== runKey) {
              runEnded(busId)
              ended = true
              run = undefined
            }
            if (!run && trip && runKey) {
              run = await startRun(trip, runKey)
              if (run) runs.set(busId, run)
              // Where the bus was last seen tells a trip that is about to begin where it comes from.
              const seen = lastFixes.get(busId)
              if (run && seen) run.tracker.observe(seen)
            }
            const etaFix = { ts: fix.ts, lat: fix.lat, lon: fix.lon, speedKmh: fix.speedKmh }
            run?.tracker.observe(etaFix)
            if (etaFix.ts > (lastFixes.get(busId)?.ts ?? new Date(0))) lastFixes.set(busId, etaFix)
          }
          const run = runs.get(busId)
          const update = run ? changedEstimate(busId, run, atMs) : ended ? runEnded(busId) : undefined
          if (update) updates.push(update)
        } catch (error) {
          log.warn('no ETA for this bus', { busId, error: String(error) })
        }
      }
      return updates
    },

    async tick(atMs) {
      await calendar.prepare([new Date(atMs)], new Date(atMs))
      const updates: EtaUpdate<TripEta>[] = []
      for (const [busId, run] of runs) {
        const running = runKeyOf(calendar.findRunningTrip(busId, new Date(atMs))) === run.runKey
        const update = running ? changedEstimate(busId, run, atMs) : runEnded(busId)
        if (update) updates.push(update)
      }
      return updates
    },

    forget(busIds) {
      for (const busId of busIds) {
        runs.delete(busId)
        lastFixes.delete(busId)
      }
    },

    tripRoute: (tripId) => routeOf(tripId),
  }
}
