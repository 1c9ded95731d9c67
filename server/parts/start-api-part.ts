import { createChildLeftOnBusAlarms } from '../alarms/child-left-on-bus.js'
import { createHttpApp } from '../http/create-http-app.js'
import { openBusLiveState, type BusLiveState } from '../live/bus-live-state.js'
import { createTripRoutes } from '../core/routing/trip-routes.js'
import type { RunningParts, StartPart } from './running-part.js'

/**
 * The api part: the Hono API, the pages and /health on the process's HTTP server, which listens once
 * every part has started. What it needs of other parts it takes from those of this process, or does
 * without: a bus's live state from Redis where the live part runs elsewhere (from the store without
 * Redis), a trip's road geometry from its own router, and no plans without the planner part.
 */
export const startApiPart: StartPart<'api'> = async (context, before) => {
  const { config, db, clock, publisher, http } = context
  if (!http) throw new Error('the api part runs without an HTTP server')
  let ownLiveState: BusLiveState<unknown> | undefined
  if (!before.live && config.REDIS_URL) {
    ownLiveState = await openBusLiveState({ redisUrl: config.REDIS_URL, log: context.log.child('live') })
  }
  const liveSnapshot = before.live?.snapshotOf ?? ownLiveState?.load
  const tripRoute =
    before.live?.tripRoute ?? createTripRoutes({ db, router: (await context.routing()).router }).routeOf
  // Ending a trip with a pupil aboard raises the alarm at once, wherever the alarms part runs.
  const alarms = createChildLeftOnBusAlarms({
    db,
    clock,
    log: context.log.child('alarms'),
    afterS: config.LEFT_ON_BUS_AFTER_S,
    publish: publisher.publishAlarm,
  })
  const app = createHttpApp({
    deps: {
      db,
      access: context.access,
      clock,
      sessions: context.tokens.sessions,
      audit: context.audit,
      trustProxy: config.TRUST_PROXY === 'on',
      ingestStats: ingestStats(before),
      notifyParents: publisher.publishToPupil,
      notifyAttendants: publisher.publishToAttendants,
      liveSnapshot,
      tripGeometry: async (tripId) => (await tripRoute(tripId)).geometry,
      roadNetwork: async () => (await context.routing()).network,
      alarms,
      publishEvent: publisher.publishAlarm,
      publishAlarmCase: publisher.publishAlarmCase,
      planner: before.planner?.runner,
      county: context.county,
    },
    tokens: context.tokens,
    health: context.health,
    log: context.log.child('http'),
    web: {
      tiles:
        config.TILE_URL && config.TILE_DATUM
          ? {
              url: config.TILE_URL,
              datum: config.TILE_DATUM,
              attribution: config.TILE_ATTRIBUTION,
              subdomains: config.TILE_SUBDOMAINS,
            }
          : undefined,
    },
  })
  http.serve((request) => app.fetch(request))
  return {
    async stop() {
      await ownLiveState?.close()
    },
  }
}

/** The counters of this process's ingests: the broker's, and the JT/T 808 gateway's under `jt808`. */
function ingestStats(before: Partial<RunningParts>): (() => object) | undefined {
  const { ingest, jt808 } = before
  if (!ingest && !jt808) return undefined
  return () => ({ ...ingest?.stats(), ...(jt808 ? { jt808: jt808.stats() } : {}) })
}
