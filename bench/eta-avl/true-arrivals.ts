import { snapToRoute } from '../../geo/eta/snap-to-route.js'
import type { TripRoute } from '../../geo/eta/trip-route.js'
import type { AvlPing } from './avl-pings.js'
import type { TripPlan } from './gtfs-trip-plans.js'

/** What a trip's own pings say happened, per stop of its route (index k), in epoch milliseconds. */
export interface TrueStopTimes {
  /** The first ping stopped at the stop, else the moment the bus passed it; null when unseen. */
  arriveMs: (number | null)[]
  /** The moment the bus passed `leaveM` beyond the stop: it has left; null when unseen. */
  departMs: (number | null)[]
}

export interface TrueStopTimesOptions {
  /** Past the stop by this much, the bus has left it. */
  leaveM?: number
  /** A ping farther than this from the shape is not placed on it. */
  offShapeM?: number
  /** The fastest a bus drives between pings, to bound how far along a ping may land. */
  maxSpeedMs?: number
}

/** GTFS-realtime VehicleStopStatus STOPPED_AT. */
const STOPPED_AT = 1

/**
 * The true arrival at each stop from all of a trip's pings, after the fact. Pings are placed along
 * the trip's shape, never moving back (GPS noise), so that the passing of a stop nobody reported
 * the bus stopped at is interpolated between the pings either side of it. A stop the trip calls
 * at twice is matched by its stop_sequence as well as its stop_id.
 */
export function trueStopTimes(
  plan: TripPlan,
  pings: readonly AvlPing[],
  options: TrueStopTimesOptions = {},
): TrueStopTimes {
  const { route, calls } = plan
  const n = route.stops.length
  const leaveM = options.leaveM ?? 10
  const track = placeAlongShape(route, pings, options)
  const repeated = new Set(
    calls.filter((c, i) => calls.findIndex((d) => d.stopId === c.stopId) !== i).map((c) => c.stopId),
  )
  const arriveMs: (number | null)[] = new Array(n).fill(null)
  const departMs: (number | null)[] = new Array(n).fill(null)
  for (let k = 0; k < n; k++) {
    const call = calls[k]!
    const stopped = pings.find(
      (ping) =>
        ping.status === STOPPED_AT &&
        ping.stopId === call.stopId &&
        (!repeated.has(call.stopId) || ping.stopSequence === call.stopSequence),
    )
    const stopM = route.stops[k]!.alongM
    arriveMs[k] = stopped ? stopped.atMs : passingMs(track, stopM)
    departMs[k] = k < n - 1 ? passingMs(track, Math.min(stopM + leaveM, route.stops[k + 1]!.alongM)) : null
  }
  return { arriveMs, departMs }
}

interface Placed {
  atMs: number
  alongM: number
}

/** Each ping's progress along the route, in time order and never decreasing; pings off the shape are left out. */
export function placeAlongShape(
  route: TripRoute,
  pings: readonly AvlPing[],
  options: TrueStopTimesOptions = {},
): Placed[] {
  const offShapeM = options.offShapeM ?? 100
  const maxSpeedMs = options.maxSpeedMs ?? 30
  const placed: Placed[] = []
  for (const ping of [...pings].sort((a, b) => a.atMs - b.atMs)) {
    const last = placed[placed.length - 1]
    if (last && ping.atMs <= last.atMs) continue
    const snap = last
      ? snapToRoute(route, ping, {
          fromAlongM: last.alongM,
          backM: 30,
          aheadM: 200 + (maxSpeedMs * (ping.atMs - last.atMs)) / 1000,
          expectedAlongM: last.alongM + ((ping.speedKmh / 3.6) * (ping.atMs - last.atMs)) / 1000,
        })
      : // The first ping: the nearest place, leaning towards the start of the trip.
        snapToRoute(route, ping, { fromAlongM: 0, backM: 0, aheadM: route.lengthM, alongWeight: 0.01 })
    if (!snap || snap.offRouteM > offShapeM) continue
    placed.push({ atMs: ping.atMs, alongM: Math.max(last?.alongM ?? -Infinity, snap.alongM) })
  }
  return placed
}

/** When the bus passed `atM`, linear between the pings either side; null unless both were seen. */
function passingMs(track: readonly Placed[], atM: number): number | null {
  for (let i = 0; i + 1 < track.length; i++) {
    const a = track[i]!
    const b = track[i + 1]!
    if (a.alongM < atM && b.alongM >= atM) {
      return a.atMs + ((atM - a.alongM) / (b.alongM - a.alongM)) * (b.atMs - a.atMs)
    }
  }
  return null
}
