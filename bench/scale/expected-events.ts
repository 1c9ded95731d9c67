import type { RoadAtPointIndex } from '../../geo/roads/road-at-point.js'
import type { CommittedBatch, LimiterRow, PositionRow } from '../../server/core/broker/telemetry-rows.js'
import type { EventRuleOptions } from '../../server/core/schedule/event-rule-options.js'
import { createTripCalendar, type ScheduledTrip } from '../../server/core/schedule/trip-calendar.js'
import { createBusEventRules } from '../../workers/events/bus-event-rules.js'
import { eventKey, type DerivedEvent } from '../../workers/events/derived-event.js'

/** A report the broker acknowledged, as the ingest stores it. */
export type PublishedReport = { kind: 'gps'; row: PositionRow } | { kind: 'limiter'; row: LimiterRow }

/**
 * The events the platform should derive from exactly these reports: the pure rules, fed the reports
 * in time order one second at a time, and ticked every second from `ticksFromMs` (when the first
 * process deriving events started) to `ticksToMs` (when the store is read), on the same trips and
 * roads as the events part. The platform ticks every few seconds, not every second; the planned
 * episodes keep clear of the thresholds by more than that, so the keys do not depend on it.
 */
export async function deriveExpectedEvents(options: {
  reports: readonly PublishedReport[]
  loadTrips(isoWeekday: number): Promise<ScheduledTrip[]>
  roads: RoadAtPointIndex
  rules: EventRuleOptions
  ticksFromMs: number
  ticksToMs: number
}): Promise<Map<string, DerivedEvent>> {
  const { rules } = options
  const calendar = createTripCalendar({
    loadTrips: options.loadTrips,
    tripLeadS: rules.tripLeadS,
    tripGraceS: rules.tripGraceS,
  })
  const events = new Map<string, DerivedEvent>()
  const engine = createBusEventRules({
    roads: options.roads,
    trips: calendar,
    rules,
    emit: (event) => events.set(eventKey(event), event),
  })
  const reports = [...options.reports].sort((a, b) => a.row.ts.getTime() - b.row.ts.getTime())
  const lastReportMs = reports.at(-1)?.row.ts.getTime() ?? options.ticksFromMs
  const endMs = Math.max(options.ticksToMs, lastReportMs)
  const instants = [new Date(options.ticksFromMs), new Date(endMs), ...reports.map((r) => r.row.ts)]
  await calendar.prepare(instants, new Date(endMs))

  let next = 0
  for (let atMs = options.ticksFromMs; ; atMs = Math.min(atMs + 1000, endMs)) {
    const batch: CommittedBatch = { positions: [], limiterStates: [] }
    for (; next < reports.length && reports[next]!.row.ts.getTime() <= atMs; next++) {
      const report = reports[next]!
      if (report.kind === 'gps') batch.positions.push(report.row)
      else batch.limiterStates.push(report.row)
    }
    if (batch.positions.length + batch.limiterStates.length > 0) engine.observe(batch)
    engine.tick(new Date(atMs))
    if (atMs === endMs) break
  }
  return events
}
