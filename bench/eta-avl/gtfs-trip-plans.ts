import type { ScheduledCall } from '../../geo/eta/eta-tracker.js'
import { tripRouteFromLine, type TripRoute } from '../../geo/eta/trip-route.js'
import type { GtfsStop } from '../../geo/gtfs/gtfs-stops.js'
import { groupStopTimesByTrip, type GtfsStopTime } from '../../geo/gtfs/gtfs-stop-times.js'
import type { GtfsTrip } from '../../geo/gtfs/gtfs-trips.js'
import type { LonLatPosition } from '../../geo/lat-lon.js'

export interface GtfsFeedTables {
  stops: GtfsStop[]
  trips: GtfsTrip[]
  stopTimes: GtfsStopTime[]
  shapes: Map<string, LonLatPosition[]>
}

/** One GTFS trip made ready to track: its route on its shape and its timetable. */
export interface TripPlan {
  tripId: string
  /**
   * Trips that share a shape and a stop list run the same legs: what earlier runs of any of them
   * took is what the others are expected to take. Each trip runs once a day, so its own id would
   * never have been seen before.
   */
  patternKey: string
  /** The trip's calls in order; the route numbers its stops 1, 2, … in this order. */
  calls: GtfsStopTime[]
  route: TripRoute
}

/**
 * A route for every trip with a shape and at least two calls, built without a router: the shape
 * is the line and the timetable's running times between stops are the legs' times, so that what
 * the engine expects before anything is learned is the timetable. Routes are shared by the trips
 * of one pattern with the same running times.
 */
export function planGtfsTrips(feed: GtfsFeedTables): Map<string, TripPlan> {
  const stopById = new Map(feed.stops.map((stop) => [stop.stopId, stop]))
  const callsByTrip = groupStopTimesByTrip(feed.stopTimes)
  const routes = new Map<string, TripRoute>()
  const plans = new Map<string, TripPlan>()
  for (const trip of feed.trips) {
    const calls = callsByTrip.get(trip.tripId)
    const shape = feed.shapes.get(trip.shapeId)
    if (!calls || calls.length < 2 || !shape || shape.length < 2) continue
    const stops = calls.map((call, i) => {
      const stop = stopById.get(call.stopId)
      if (!stop) throw new RangeError(`trip ${trip.tripId} calls at unknown stop ${call.stopId}`)
      return { seq: i + 1, stopId: stop.stopId, lat: stop.lat, lon: stop.lon }
    })
    const legS = calls.slice(1).map((call, i) => Math.max(0, call.arrivalS - calls[i]!.departureS))
    const patternKey = `${trip.shapeId}|${calls.map((call) => call.stopId).join(',')}`
    const routeKey = `${patternKey}|${legS.join(',')}`
    let route = routes.get(routeKey)
    if (!route) {
      route = tripRouteFromLine(stops, shape, legS)
      routes.set(routeKey, route)
    }
    plans.set(trip.tripId, { tripId: trip.tripId, patternKey, calls, route })
  }
  return plans
}

/** The trip's timetable on a service day; a timepoint is held when the bus is early. */
export function scheduleOf(
  plan: TripPlan,
  serviceDayOriginMs: number,
  holdAtTimepoints: boolean,
): ScheduledCall[] {
  return plan.calls.map((call) => ({
    arriveMs: serviceDayOriginMs + call.arrivalS * 1000,
    departMs: serviceDayOriginMs + call.departureS * 1000,
    holds: holdAtTimepoints && call.timepoint,
  }))
}

/** Each pattern's typical running time per leg (the mean over its trips), the reference learned times scale. */
export function patternLegTimes(plans: Iterable<TripPlan>): Map<string, number[]> {
  const sums = new Map<string, { totalS: number[]; count: number }>()
  for (const plan of plans) {
    let sum = sums.get(plan.patternKey)
    if (!sum) {
      sum = { totalS: new Array<number>(plan.route.legRouterS.length).fill(0), count: 0 }
      sums.set(plan.patternKey, sum)
    }
    plan.route.legRouterS.forEach((s, k) => (sum.totalS[k]! += s))
    sum.count++
  }
  return new Map([...sums].map(([key, sum]) => [key, sum.totalS.map((s) => s / sum.count)]))
}
