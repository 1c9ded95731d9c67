import { fromShanghaiTime } from '../../server/core/clock/shanghai-time.js'
import type { Activity, BusPlan } from './bus-plan.js'
import type { DrivePath } from './drive-path.js'
import { stopKey, type FleetBus, type FleetTrip, type RegisterFleet } from './fleet-from-registers.js'

/** A driver allows this much more than the router's time for an empty run, plus a fixed margin. */
const SET_OFF_FACTOR = 1.3
const SET_OFF_MARGIN_S = 120
/** Going back to the depot between trips is worth it only with this much time to spare there. */
const MIN_DEPOT_STAY_S = 30 * 60
/** The terminal powers up this long before the bus first leaves, and sleeps this long after it is back. */
const WAKE_BEFORE_S = 15 * 60
const SLEEP_AFTER_S = 15 * 60
/** Pupils are at a village stop about a minute before the timetable says the bus comes. */
const PUPILS_EARLY_S = 60
const ENGINE_WARM_UP_S = 120

/**
 * One service day (a local date, YYYY-MM-DD) of each bus with trips on its weekday: out of the
 * depot in time for its first trip, the trips in order with a call at every stop, between trips
 * either straight on to the next first stop or back to the depot when the gap is long, and home to
 * the depot at the end. A bus without a trip that day stays parked, its terminal asleep.
 */
export function planFleetDay(fleet: RegisterFleet, date: string): BusPlan[] {
  const weekday = isoWeekday(date)
  return fleet.buses.flatMap((bus) => {
    const trips = bus.trips.filter(({ trip }) => trip.weekdays.includes(weekday))
    return trips.length > 0 ? [planBusDay(fleet, { ...bus, trips }, date)] : []
  })
}

/** 1 = Monday … 7 = Sunday, of a calendar date. */
function isoWeekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay() || 7
}

function planBusDay(fleet: RegisterFleet, bus: FleetBus, date: string): BusPlan {
  const at = (time: string) => fromShanghaiTime(date, time).getTime()
  const activities: Activity[] = []
  const firstStop = (trip: FleetTrip) => trip.stops[0]!
  const lastStop = (trip: FleetTrip) => trip.stops[trip.stops.length - 1]!
  const setOffMs = (path: DrivePath) =>
    Math.round(path.nominalDurationS * SET_OFF_FACTOR + SET_OFF_MARGIN_S) * 1000

  const out = fleet.pathBetween(bus.depotKey, stopKey(firstStop(bus.trips[0]!.trip).stopId))
  const leaveMs = at(firstStop(bus.trips[0]!.trip).arrive) - setOffMs(out)
  activities.push({ kind: 'wait', untilMs: leaveMs, warmUpS: ENGINE_WARM_UP_S }, { kind: 'drive', path: out })

  bus.trips.forEach(({ trip, legs }, k) => {
    trip.stops.forEach((stop, i) => {
      if (i > 0) activities.push({ kind: 'drive', path: legs[i - 1]! })
      const boards = stop.board.length > 0
      activities.push({
        kind: 'call',
        call: {
          tripId: trip.id,
          stopId: stop.stopId,
          stopIndex: i,
          pupilCount: stop.board.length + stop.alight.length,
          boardingFromMs: boards ? at(stop.arrive) - (i === 0 ? 0 : PUPILS_EARLY_S * 1000) : undefined,
          departNotBeforeMs: i === 0 ? at(stop.depart) : undefined,
          scheduledArriveMs: at(stop.arrive),
          scheduledDepartMs: at(stop.depart),
        },
      })
    })
    const endKey = stopKey(lastStop(trip).stopId)
    const next = bus.trips[k + 1]?.trip
    if (!next) return
    const nextKey = stopKey(firstStop(next).stopId)
    const back = fleet.pathBetween(endKey, bus.depotKey)
    const outAgain = fleet.pathBetween(bus.depotKey, nextKey)
    const gapMs = at(firstStop(next).arrive) - at(lastStop(trip).depart)
    const viaDepotMs = setOffMs(back) + setOffMs(outAgain) + MIN_DEPOT_STAY_S * 1000
    if (gapMs > viaDepotMs) {
      const leaveAgainMs = at(firstStop(next).arrive) - setOffMs(outAgain)
      activities.push(
        { kind: 'drive', path: back },
        { kind: 'wait', untilMs: leaveAgainMs, warmUpS: ENGINE_WARM_UP_S },
        { kind: 'drive', path: outAgain },
      )
    } else if (endKey !== nextKey) {
      activities.push({ kind: 'drive', path: fleet.pathBetween(endKey, nextKey) })
    }
  })

  const lastTrip = bus.trips[bus.trips.length - 1]!.trip
  const home = fleet.pathBetween(stopKey(lastStop(lastTrip).stopId), bus.depotKey)
  const sleepMs = at(lastStop(lastTrip).depart) + setOffMs(home) + SLEEP_AFTER_S * 1000
  activities.push(
    { kind: 'drive', path: home },
    { kind: 'wait', untilMs: sleepMs, warmUpS: 0, atLeastS: SLEEP_AFTER_S },
  )
  return {
    busId: bus.busId,
    start: { lat: out.lat[0]!, lon: out.lon[0]!, headingDeg: out.headingDeg[0] ?? 0 },
    wakeMs: leaveMs - WAKE_BEFORE_S * 1000,
    activities,
    repeat: false,
    phaseMs: 0,
  }
}
