import type { EventRuleOptions } from '../../server/core/schedule/event-rule-options.js'
import type { RunningTrip } from '../../server/core/schedule/trip-calendar.js'
import type { ApprovedPathLookup } from './approved-paths.js'
import type { EmitEvent } from './derived-event.js'
import type { RouteComplianceOptions } from './route-compliance-options.js'
import { createRouteCorridorRule } from './route-corridor-rule.js'
import { createStopSkipRule } from './stop-skip-rule.js'
import { createTripProgress, type RouteFix, type TripProgress } from './trip-progress.js'
import { createUnapprovedStopRule } from './unapproved-stop-rule.js'

/** A trip on one service day: the same trip id runs again tomorrow. */
const runKeyOf = (trip: RunningTrip) => `${trip.tripId}@${trip.startsAt.getTime()}`

/**
 * Route compliance for one bus (Decree 617 art. 30/32): its fixes on each trip against the trip's
 * approved path and calls, fed in time order with the arrivals the stop rule saw. Driving off the
 * path, skipping a call and standing where no call is are the rules' own (route-corridor-rule,
 * stop-skip-rule, unapproved-stop-rule); this follows the bus along its trip for them and ends
 * the trip when the bus's next fix belongs to another, or when its running window is over. A trip
 * without an approved path (it cannot be routed) is not judged.
 */
export function createRouteComplianceRules(
  busId: string,
  options: RouteComplianceOptions & EventRuleOptions,
  paths: ApprovedPathLookup,
  emit: EmitEvent,
) {
  const corridor = createRouteCorridorRule(busId, options, emit)
  const skips = createStopSkipRule(busId, options, emit)
  const stands = createUnapprovedStopRule(busId, options, emit)
  let runKey: string | null = null
  let current: { trip: RunningTrip; progress: TripProgress | undefined } | undefined
  let arrivedSeqs: number[] = []

  const endTrip = () => {
    corridor.endTrip()
    stands.endTrip()
    skips.endTrip(current?.progress)
    current = undefined
    runKey = null
  }

  const startTrip = (trip: RunningTrip) => {
    runKey = runKeyOf(trip)
    const path = paths.pathOf(trip)
    current = { trip, progress: path ? createTripProgress(trip, path, options) : undefined }
    if (!path) return
    const plannedMs = new Map(trip.stops.map((stop) => [stop.seq, stop.arriveAt?.getTime() ?? null]))
    skips.startTrip(
      trip.tripId,
      path.route.stops,
      path.route.stops.map((call) => plannedMs.get(call.seq) ?? null),
    )
  }

  return {
    /** The stop rule arrived at the call `seq` of the bus's trip with the fix observed next. */
    noteArrival(seq: number): void {
      arrivedSeqs.push(seq)
    },

    observe(fix: RouteFix, trip: RunningTrip | undefined): void {
      const seqs = arrivedSeqs
      arrivedSeqs = []
      const key = trip ? runKeyOf(trip) : null
      if (key !== runKey) {
        if (current) endTrip()
        if (trip) startTrip(trip)
      }
      const progress = current?.progress
      if (!progress || !trip) return
      const calls = progress.path.route.stops
      const arrivals = seqs.map((seq) => calls.findIndex((call) => call.seq === seq)).filter((i) => i >= 0)
      const step = progress.observe(fix, arrivals)
      if (!step) return
      corridor.observe(step, trip.tripId)
      skips.observe(step, progress)
      stands.observe(step, progress, trip.tripId)
    },

    /** Ends the trip once its running window is over, for a bus that sends nothing after it. */
    expire(now: Date): void {
      if (current && now.getTime() > current.trip.endsAt.getTime()) endTrip()
    },
  }
}

export type RouteComplianceRules = ReturnType<typeof createRouteComplianceRules>
