import { fromShanghaiTime } from '../../core/clock/shanghai-time.js'
import { defaultEventRuleOptions } from '../../core/schedule/event-rule-options.js'
import { pickRunningTrip, runningWindow, type RunningWindow } from '../../core/schedule/trip-calendar.js'
import type { TransitServiceDay, TransitTrip } from '../../core/store/transit-service-queries.js'

/** A published trip its bus is driving now. */
export interface RunningTransitTrip {
  trip: TransitTrip
  busId: string
  busPlate: string
  /** The service day, YYYY-MM-DD. */
  serviceDate: string
  window: RunningWindow
}

interface Candidate extends RunningWindow {
  tripId: string
  trip?: TransitTrip
}

/**
 * The published trips running at `now`, by the rule the live channel's ETAs follow: each bus runs
 * the trip whose window (a little before its first stop to a while after its last) holds `now`,
 * the one nearest its stops' times where windows overlap. A bus busy with a trip that is not
 * published (a school-bus trip) is running none of the published ones.
 */
export function listRunningTransitTrips(
  service: TransitServiceDay,
  now: Date,
  options: { tripLeadS: number; tripGraceS: number } = defaultEventRuleOptions,
): RunningTransitTrip[] {
  const dayStartMs = fromShanghaiTime(service.date, '00:00:00').getTime()
  const windowOf = (firstArriveS: number, lastDepartS: number) =>
    runningWindow(
      new Date(dayStartMs + firstArriveS * 1000),
      new Date(dayStartMs + lastDepartS * 1000),
      options,
    )
  const byBus = new Map<string, Candidate[]>()
  const add = (busId: string, candidate: Candidate) => {
    const list = byBus.get(busId)
    if (list) list.push(candidate)
    else byBus.set(busId, [candidate])
  }
  for (const trip of service.trips) {
    const first = trip.calls[0]
    const last = trip.calls.at(-1)
    if (!trip.busId || !first || !last) continue
    add(trip.busId, { tripId: trip.id, trip, ...windowOf(first.arriveS, last.departS) })
  }
  for (const run of service.otherRunsOfTheirBuses) {
    if (byBus.has(run.busId))
      add(run.busId, { tripId: run.tripId, ...windowOf(run.firstArriveS, run.lastDepartS) })
  }
  const running: RunningTransitTrip[] = []
  for (const [busId, candidates] of byBus) {
    candidates.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
    const picked = pickRunningTrip(candidates, now.getTime())
    if (!picked?.trip) continue
    const { startsAt, endsAt, firstStopAt, lastStopAt } = picked
    running.push({
      trip: picked.trip,
      busId,
      busPlate: picked.trip.busPlate ?? busId,
      serviceDate: service.date,
      window: { startsAt, endsAt, firstStopAt, lastStopAt },
    })
  }
  return running.sort((a, b) => a.trip.id.localeCompare(b.trip.id))
}
