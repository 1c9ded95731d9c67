import type { RoadAtPointIndex } from '../../geo/roads/road-at-point.js'
import type { DrivingCondition } from '../../geo/speed/school-bus-speed-limit.js'
import { terminalAlarmEventKinds } from '../../server/core/broker/terminal-status.js'
import type { Clock } from '../../server/core/clock/clock.js'
import type { EventRuleOptions } from '../../server/core/schedule/event-rule-options.js'
import type { createTripCalendar } from '../../server/core/schedule/trip-calendar.js'
import type { Queryable } from '../../server/core/store/database.js'
import { createDerivedEventQueries } from '../../server/core/store/derived-event-queries.js'
import { listPartitionBuses } from '../../server/core/stream/list-partition-buses.js'
import { readReportHistory } from '../../server/core/stream/read-report-history.js'
import type { Checkpoint } from '../../server/core/stream/stream-checkpoint.js'
import type { PositionRow } from '../../server/core/broker/telemetry-rows.js'
import type { ApprovedPaths } from './approved-paths.js'
import { createBusEventRules, type BusEventRules } from './bus-event-rules.js'
import type { RouteComplianceOptions } from './route-compliance-options.js'
import { eventKey, type DerivedEvent } from './derived-event.js'
import { isTerminalAlarmEvent } from './terminal-alarm-rule.js'

export type TripCalendar = ReturnType<typeof createTripCalendar>

/** The rules of one partition's buses, and the events they emitted that are not stored yet. */
export interface PartitionRules {
  engine: BusEventRules
  /** The partition's buses: its tick raises silences for these only. */
  buses: Set<string>
  /** The events emitted since the last call, in time order; one per key, its newest version. */
  takePending(): DerivedEvent[]
  /** Loads what observing these reports needs beyond the schedule: their trips' approved paths. */
  prepare(positions: readonly PositionRow[]): Promise<void>
}

/**
 * A fresh rules engine for one partition. What it emits while warming is dropped: the store
 * already holds it, written by whoever handled those reports before.
 */
export function createPartitionRules(options: {
  roads: RoadAtPointIndex
  trips: TripCalendar
  rules: EventRuleOptions
  drivingConditions?(busId: string, at: Date): readonly DrivingCondition[]
  routeCompliance?: { paths: ApprovedPaths; options: RouteComplianceOptions }
}): PartitionRules & { warmed(): void } {
  const pending = new Map<string, DerivedEvent>()
  let warming = true
  const { routeCompliance } = options
  const engine = createBusEventRules({
    roads: options.roads,
    trips: options.trips,
    rules: options.rules,
    drivingConditions: options.drivingConditions,
    routeCompliance,
    emit: (event) => {
      if (!warming) pending.set(eventKey(event), event)
    },
  })
  return {
    engine,
    buses: new Set(),
    warmed: () => (warming = false),
    prepare: async (positions) => {
      await routeCompliance?.paths.prepareFor(positions, options.trips)
    },
    takePending() {
      const events = [...pending.values()].sort((a, b) => a.ts.getTime() - b.ts.getTime())
      pending.clear()
      return events
    },
  }
}

const minuteMs = 60_000
const dayMs = 86_400_000
/** A limiter state older than this is not trusted to still hold. */
const limiterHistoryMs = 7 * dayMs

/**
 * Brings a partition's rules to where its checkpoint stands, emitting nothing: the latest reports
 * before the replay window (what the silence and limiter rules need of older history), the
 * episodes the store holds as open and a replay cannot rebuild, and a replay of the partition's
 * reports of the last `replayMs` below the checkpoint. The window reaches back to the start of a trip running at
 * its beginning (at most `maxReplayMs`), so stops visited earlier on the trip are not visited again.
 * An episode in progress thus keeps its key, and the next write updates the row its first holder
 * stored. Left out: an over-speed episode begun before the window (it would end within seconds of
 * the bus slowing down, and `maxFixGapS` keeps them short in practice), and a terminal alarm
 * episode begun before the window and ended within it: the replay cannot tell it from one begun
 * there, so the alarm set again within `terminalAlarmRejoinS` of that end raises a new event.
 */
export async function warmPartitionRules(deps: {
  db: Queryable
  calendar: TripCalendar
  clock: Clock
  partition: number
  partitions: number
  checkpoint: Checkpoint
  replayMs: number
  maxReplayMs: number
  target: PartitionRules & { warmed(): void }
}): Promise<void> {
  const { db, calendar, partition, partitions, checkpoint, target } = deps
  const queries = createDerivedEventQueries(db)
  const now = deps.clock.now()
  const nowMs = now.getTime()

  const buses = (await listPartitionBuses(db, { partitions: [partition], count: partitions })).get(partition)
  for (const busId of buses ?? []) target.buses.add(busId)
  let sinceMs = nowMs - deps.replayMs
  await calendar.prepare([new Date(sinceMs), now], now)
  for (const trip of calendar.listRunningTrips(new Date(sinceMs))) {
    if (target.buses.has(trip.busId)) sinceMs = Math.min(sinceMs, trip.startsAt.getTime())
  }
  sinceMs = Math.max(sinceMs, nowMs - deps.maxReplayMs)
  const since = new Date(sinceMs)

  const histories = await queries.listPartitionBusHistories({
    partition,
    partitions,
    checkpoint,
    before: since,
    positionsSince: new Date(nowMs - dayMs),
    limiterSince: new Date(nowMs - limiterHistoryMs),
  })
  target.engine.restore(
    histories.map((row) => ({
      busId: row.busId,
      lastPositionTs: row.lastPositionTs,
      lastLimiter:
        row.lastLimiterTs && row.lastLimiterState
          ? { ts: row.lastLimiterTs, state: row.lastLimiterState, limitKmh: row.lastLimiterLimitKmh }
          : null,
    })),
  )
  const open = (
    await queries.listOpenEpisodes({
      partition,
      partitions,
      kinds: ['limiter_disabled', 'terminal_silent', ...terminalAlarmEventKinds],
      since: new Date(nowMs - limiterHistoryMs),
    })
  ).map((row) => ({ ...row, ts: new Date(row.ts) }) as unknown as DerivedEvent)
  target.engine.resume(
    open.filter(
      (event) => (event.kind === 'limiter_disabled' || isTerminalAlarmEvent(event)) && event.ts < since,
    ),
  )

  const history = await readReportHistory(db, { partition, partitions, checkpoint, since })
  await calendar.prepare(
    history.positions.map((position) => position.ts),
    now,
  )
  await target.prepare(history.positions)
  for (const position of history.positions) target.buses.add(position.busId)
  target.engine.observe(history)
  target.engine.resume(
    open.filter((event) => event.kind === 'terminal_silent' && event.ts.getTime() >= nowMs - dayMs),
  )
  target.warmed()
}

/** How long the events stream replays when it takes a partition, and at most. */
export const defaultReplay = { replayMs: 30 * minuteMs, maxReplayMs: 3 * 60 * minuteMs }
