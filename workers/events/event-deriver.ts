import type { RoadAtPointIndex } from '../../geo/roads/road-at-point.js'
import type { DrivingCondition } from '../../geo/speed/school-bus-speed-limit.js'
import type { Clock } from '../../server/core/clock/clock.js'
import type { Logger } from '../../server/core/log/logger.js'
import type { Queryable } from '../../server/core/store/database.js'
import { createDerivedEventQueries } from '../../server/core/store/derived-event-queries.js'
import type { CommittedBatch } from '../../server/core/broker/telemetry-rows.js'
import { createBusEventRules } from './bus-event-rules.js'
import { eventKey, type DerivedEvent } from './derived-event.js'
import {
  defaultEventRuleOptions,
  type EventRuleOptions,
} from '../../server/core/schedule/event-rule-options.js'
import { createTripCalendar, groupScheduledTrips } from '../../server/core/schedule/trip-calendar.js'
import { writeDerivedEvents } from './write-derived-events.js'

export interface EventDeriver {
  /**
   * Derives the events of a committed batch, stores them in one statement, then publishes those
   * that are new or changed, in time order. Batches are handled one at a time in the order given. A store failure
   * does not reject: the unstored events are kept and stored with the next batch or tick.
   */
  consume(batch: CommittedBatch): Promise<void>
  /** Raises silences and ends over-speed episodes of buses gone quiet; run every few seconds. */
  tick(): Promise<void>
  /** Resolves once the work queued so far is done, after one more try at storing kept events. */
  drain(): Promise<void>
}

const dayMs = 86_400_000
/** A limiter state older than this is not trusted to still hold when the process starts. */
const limiterHistoryMs = 7 * dayMs

/**
 * Derived events on the ingest path: over-speed, limiter disabled, terminal silent, stop arrival and
 * departure, from the committed telemetry. It assumes it sees all of a bus's reports: one ingest
 * worker, or a broker that routes each bus to the same worker.
 */
export function createEventDeriver(deps: {
  db: Queryable
  roads: RoadAtPointIndex
  clock: Clock
  log: Logger
  publish(event: DerivedEvent): void
  options?: Partial<EventRuleOptions>
  drivingConditions?(busId: string, at: Date): readonly DrivingCondition[]
}): EventDeriver {
  const { db, clock, log } = deps
  const rules = { ...defaultEventRuleOptions, ...deps.options }
  const queries = createDerivedEventQueries(db)
  const calendar = createTripCalendar({
    loadTrips: async (isoWeekday) => groupScheduledTrips(await queries.listScheduledTripStops(isoWeekday)),
    tripLeadS: rules.tripLeadS,
    tripGraceS: rules.tripGraceS,
  })
  const pending = new Map<string, DerivedEvent>()
  const engine = createBusEventRules({
    roads: deps.roads,
    trips: calendar,
    rules,
    emit: (event) => pending.set(eventKey(event), event),
    drivingConditions: deps.drivingConditions,
  })
  let restored = false
  let queue: Promise<void> = Promise.resolve()

  const serialize = (work: () => Promise<void>): Promise<void> => {
    const run = queue.then(work)
    queue = run.catch((error: unknown) => log.error('deriving events failed', { error: String(error) }))
    return queue
  }

  /** Late restores are safe: the rules keep the newest of what they have seen and what they are told. */
  const restoreHistory = async () => {
    if (restored) return
    const now = clock.now().getTime()
    try {
      const rows = await queries.listBusHistories({
        positionsSince: new Date(now - dayMs),
        limiterSince: new Date(now - limiterHistoryMs),
      })
      engine.restore(
        rows.map((row) => ({
          busId: row.busId,
          lastPositionTs: row.lastPositionTs,
          lastLimiter:
            row.lastLimiterTs && row.lastLimiterState
              ? { ts: row.lastLimiterTs, state: row.lastLimiterState, limitKmh: row.lastLimiterLimitKmh }
              : null,
        })),
      )
      restored = true
    } catch (error) {
      log.warn('could not read the latest reports of the buses; retrying with the next batch', {
        error: String(error),
      })
    }
  }

  const prepareTrips = async (instants: Iterable<Date>) => {
    try {
      await calendar.prepare(instants, clock.now())
    } catch (error) {
      log.warn('could not load the trip schedule; stop events and silences wait for it', {
        error: String(error),
      })
    }
  }

  const flush = async () => {
    if (pending.size === 0) return
    const events = [...pending.values()].sort((a, b) => a.ts.getTime() - b.ts.getTime())
    let changed: Set<string>
    try {
      changed = await writeDerivedEvents(db, events)
    } catch (error) {
      log.warn(`storing ${events.length} derived events failed; kept for the next attempt`, {
        error: String(error),
      })
      return
    }
    pending.clear()
    for (const event of events) {
      if (!changed.has(eventKey(event))) continue
      try {
        deps.publish(event)
      } catch (error) {
        log.error('publishing a derived event failed', { kind: event.kind, error: String(error) })
      }
    }
  }

  return {
    consume: (batch) =>
      serialize(async () => {
        await restoreHistory()
        await prepareTrips(batch.positions.map((position) => position.ts))
        engine.observe(batch)
        await flush()
      }),

    tick: () =>
      serialize(async () => {
        await restoreHistory()
        const now = clock.now()
        await prepareTrips([now])
        engine.tick(now)
        await flush()
      }),

    drain: () => serialize(flush),
  }
}
