import type { RoadAtPointIndex } from '../../geo/roads/road-at-point.js'
import type { DrivingCondition } from '../../geo/speed/school-bus-speed-limit.js'
import type { Clock } from '../../server/core/clock/clock.js'
import type { Logger } from '../../server/core/log/logger.js'
import {
  defaultEventRuleOptions,
  type EventRuleOptions,
} from '../../server/core/schedule/event-rule-options.js'
import { createTripCalendar, groupScheduledTrips } from '../../server/core/schedule/trip-calendar.js'
import type { Database } from '../../server/core/store/database.js'
import { createDerivedEventQueries } from '../../server/core/store/derived-event-queries.js'
import { defaultPartitionCount } from '../../server/core/stream/bus-partition.js'
import { listPartitionBuses } from '../../server/core/stream/list-partition-buses.js'
import type { CommitWork, StreamTimings } from '../../server/core/stream/report-stream-options.js'
import { startReportStream, type ReportStream } from '../../server/core/stream/report-stream.js'
import { buildTripRoute } from '../../geo/eta/trip-route.js'
import type { Router } from '../../geo/routing/router.js'
import { listTripRestPlaces } from '../../server/core/store/trip-place-queries.js'
import { createApprovedPaths } from './approved-paths.js'
import { eventKey, type DerivedEvent } from './derived-event.js'
import { defaultRouteComplianceOptions, type RouteComplianceOptions } from './route-compliance-options.js'
import {
  createPartitionRules,
  defaultReplay,
  warmPartitionRules,
  type PartitionRules,
} from './partition-rules.js'
import { writeDerivedEvents } from './write-derived-events.js'

/** `tickMs`: how often silences and the ends of over-speed episodes of quiet buses are looked for. */
export interface EventStreamOptions extends StreamTimings {
  /** What is replayed when a partition is taken (see warmPartitionRules). */
  replayMs: number
  maxReplayMs: number
}

export type EventStream = ReportStream

/** The stream consumer's name in stream_leases: every process deriving events shares it. */
export const eventsConsumer = 'events'

const busListRefreshMs = 60_000

/**
 * Derived events from the committed reports, in any number of processes: each holds some
 * partitions of the buses (server/core/stream/report-stream.ts) with one rules engine per
 * partition. Taking a partition warms its engine without emitting (warmPartitionRules). Each batch
 * of a partition's reports is observed, and its events are written in the transaction that moves
 * the partition's checkpoint, fenced by the lease; only the rows that changed are published, once
 * committed. When that transaction fails (a store outage, a lost lease) the engine is dropped and
 * warmed again from the stored checkpoint: nothing is lost and nothing is written twice. Ticks go
 * through the same fenced transaction, with the checkpoint where the batches left it.
 */
export function startEventStream(deps: {
  db: Database
  roads: RoadAtPointIndex
  clock: Clock
  log: Logger
  /** Called for each new or changed event after it is stored. */
  publish(event: DerivedEvent): void
  /** This process among the stream's members (newStreamMember('events')). */
  member: string
  options?: Partial<EventRuleOptions>
  drivingConditions?(busId: string, at: Date): readonly DrivingCondition[]
  /** Routes each trip's approved path for route compliance; without it the route is not judged. */
  router?: Router
  routeOptions?: Partial<RouteComplianceOptions>
  stream?: Partial<EventStreamOptions>
}): EventStream {
  const { db, clock, log } = deps
  const rules = { ...defaultEventRuleOptions, ...deps.options }
  const partitions = deps.stream?.partitions ?? defaultPartitionCount
  const replay = {
    replayMs: deps.stream?.replayMs ?? defaultReplay.replayMs,
    maxReplayMs: deps.stream?.maxReplayMs ?? defaultReplay.maxReplayMs,
  }
  const queries = createDerivedEventQueries(db)
  const calendar = createTripCalendar({
    loadTrips: async (isoWeekday) => groupScheduledTrips(await queries.listScheduledTripStops(isoWeekday)),
    tripLeadS: rules.tripLeadS,
    tripGraceS: rules.tripGraceS,
  })
  const { router } = deps
  // One cache for every partition: a trip is routed once per process, as the API routes it.
  const routeCompliance = router && {
    paths: createApprovedPaths({
      routeTrip: (stops) => buildTripRoute(stops, router),
      loadPlaces: (tripIds) => listTripRestPlaces(db, tripIds),
    }),
    options: { ...defaultRouteComplianceOptions, ...deps.routeOptions },
  }
  const engines = new Map<number, PartitionRules>()
  let busesListedAt = Number.NEGATIVE_INFINITY

  const store = async (events: DerivedEvent[], commit: CommitWork) => {
    const changed = await commit((tx) => writeDerivedEvents(tx, events))
    for (const event of events) {
      if (!changed.has(eventKey(event))) continue
      try {
        deps.publish(event)
      } catch (error) {
        log.error('publishing a derived event failed', { kind: event.kind, error: String(error) })
      }
    }
  }

  /** Buses added to the fleet get their silences checked without waiting for their first report. */
  const refreshBuses = async (held: readonly number[]) => {
    if (Date.now() - busesListedAt < busListRefreshMs) return
    const byPartition = await listPartitionBuses(db, { partitions: held, count: partitions })
    for (const [partition, buses] of byPartition) {
      const engine = engines.get(partition)
      for (const busId of buses) engine?.buses.add(busId)
    }
    busesListedAt = Date.now()
  }

  return startReportStream({
    db,
    consumer: eventsConsumer,
    member: deps.member,
    // The timings as set; the stream ignores the settings that are this consumer's own.
    ...deps.stream,
    partitions,
    tickMs: deps.stream?.tickMs ?? 5000,
    clock,
    log,

    async onAcquired(partition, checkpoint) {
      const target = createPartitionRules({
        roads: deps.roads,
        trips: calendar,
        rules,
        drivingConditions: deps.drivingConditions,
        routeCompliance,
      })
      await warmPartitionRules({
        db,
        calendar,
        clock,
        partition,
        partitions,
        checkpoint,
        replayMs: replay.replayMs,
        maxReplayMs: replay.maxReplayMs,
        target,
      })
      engines.set(partition, target)
    },

    async handle(partition, batch, commit) {
      const target = engines.get(partition)
      if (!target) throw new Error(`partition ${partition} has no rules engine`)
      // Without the schedule, stop events would be missed for good: fail, and replay later.
      await calendar.prepare(
        batch.positions.map((position) => position.ts),
        clock.now(),
      )
      await target.prepare(batch.positions)
      for (const position of batch.positions) target.buses.add(position.busId)
      target.engine.observe(batch)
      const events = target.takePending()
      // A batch without events needs no transaction: its checkpoint goes with the next heartbeat,
      // and a new holder replaying it would derive nothing from it either.
      if (events.length > 0) await store(events, commit)
    },

    async tick(held, commit) {
      const now = clock.now()
      await calendar.prepare([now], now)
      await refreshBuses(held)
      for (const partition of held) {
        const target = engines.get(partition)
        if (!target) continue
        target.engine.tick(now, (busId) => target.buses.has(busId))
        const events = target.takePending()
        if (events.length === 0) continue
        // A failure hands the partition over again (the stream logs it); the others go on.
        await store(events, commit(partition)).catch(() => undefined)
      }
    },

    onReleased(partition) {
      engines.delete(partition)
    },
  })
}
