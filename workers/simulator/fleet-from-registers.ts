import type { LatLon, LonLatPosition } from '../../geo/lat-lon.js'
import { haversineM } from '../../geo/routing/earth-distance.js'
import type { Router } from '../../geo/routing/router.js'
import type { RegisterSet } from '../../server/core/registers/register-records.js'
import { groupTripCalls, groupTripRiders, placeTripRiders } from '../../server/core/registers/trip-riders.js'
import { buildDrivePath, type DrivePath } from './drive-path.js'
import type { RoadSpeedLookup } from './road-speed-lookup.js'

/** One call of a bus's trip: times are local "HH:MM:SS"; pupils by their platform ids. */
export interface FleetCall {
  stopId: string
  arrive: string
  depart: string
  board: string[]
  alight: string[]
}

/** A school-bus trip of the registers, with its riders placed at its calls. */
export interface FleetTrip {
  id: string
  /** ISO weekdays it runs on, 1 = Monday. */
  weekdays: number[]
  stops: FleetCall[]
}

/** The registers' buses with every leg they may drive routed and prepared once, for any number of days. */
export interface RegisterFleet {
  buses: FleetBus[]
  /** The prepared leg between two places (`stop:{code}` or `depot:{bus code}`). */
  pathBetween(fromKey: string, toKey: string): DrivePath
}

export interface FleetBus {
  /** The bus's code: its id in telemetry topics and tokens. */
  busId: string
  depotKey: string
  /** Its trips in time order, each with the legs between consecutive stops. */
  trips: { trip: FleetTrip; legs: DrivePath[] }[]
}

export const stopKey = (stopId: string) => `stop:${stopId}`
const depotKey = (busId: string) => `depot:${busId}`
const isDepotKey = (key: string) => key.startsWith('depot:')
/**
 * A depot's yard lies off the road the router reaches it by: a bus drives in and parks where the
 * registers place the depot, when that is at most this far from the road (farther, the place is
 * taken to be off, and the bus parks at the road).
 */
const YARD_MAX_M = 400

/** The depot's own place, to drive between it and the road's end: none when it is at the road, or too far off. */
function intoYard(depot: LatLon, roadEnd: LonLatPosition): LonLatPosition[] {
  const offM = haversineM(depot.lat, depot.lon, roadEnd[1], roadEnd[0])
  return offM > 1 && offM <= YARD_MAX_M ? [[depot.lon, depot.lat]] : []
}

const siteOf = (record: { lat: number | null; lon: number | null }): LatLon | undefined =>
  record.lat === null || record.lon === null ? undefined : { lat: record.lat, lon: record.lon }

/**
 * The school-bus trips of the registers by bus code, in time order, with their riders: to school
 * each pupil boards at its stop and alights at the last call, from school it boards at the first
 * call and alights at its stop. A trip with fewer than two calls, or calling at a stop the
 * registers give no site for, cannot be driven and is left out; so are the lines' runs, which
 * have no bus of the registers.
 */
export function busTripsFromRegisters(registers: RegisterSet): Map<string, FleetTrip[]> {
  const busCodeOf = new Map(registers.buses.map((bus) => [bus.plate, bus.code]))
  const located = new Set(registers.stops.filter((stop) => siteOf(stop)).map((stop) => stop.code))
  const callsOf = groupTripCalls(registers.tripCalls)
  const ridersOf = groupTripRiders(registers.pupils)
  const byBus = new Map<string, FleetTrip[]>()
  for (const trip of registers.trips) {
    const busId = trip.busPlate === null ? undefined : busCodeOf.get(trip.busPlate)
    const calls = callsOf.get(trip.code) ?? []
    if (!busId || calls.length < 2 || !calls.every((call) => located.has(call.stopCode))) continue
    const riders = placeTripRiders(trip, calls, ridersOf.get(trip.code) ?? [])
    const fleetTrip: FleetTrip = {
      id: trip.code,
      weekdays: trip.weekdays,
      stops: calls.map((call, i) => ({
        stopId: call.stopCode,
        arrive: call.arrive,
        depart: call.depart,
        ...riders[i]!,
      })),
    }
    const trips = byBus.get(busId)
    if (trips) trips.push(fleetTrip)
    else byBus.set(busId, [fleetTrip])
  }
  for (const trips of byBus.values())
    trips.sort((a, b) => a.stops[0]!.arrive.localeCompare(b.stops[0]!.arrive))
  return byBus
}

/**
 * Routes the legs of every bus's trips, and the empty runs a day may need: from the depot to each
 * trip's first stop, from each trip's last stop back, and on to the next trip. A bus's depot is
 * where the registers park it; failing that, its school (a contracted bus parks there), and
 * failing that, its first trip's first stop. Buses without a trip are left out.
 */
export async function prepareRegisterFleet(
  registers: RegisterSet,
  router: Router,
  options: { roadSpeedAt: RoadSpeedLookup; brakingMs2: number },
): Promise<RegisterFleet> {
  const places = new Map<string, LatLon>()
  for (const stop of registers.stops) {
    const site = siteOf(stop)
    if (site) places.set(stopKey(stop.code), site)
  }
  const schoolSite = new Map(registers.schools.map((school) => [school.code, siteOf(school)]))
  const tripsOf = busTripsFromRegisters(registers)
  const paths = new Map<string, DrivePath>()

  const prepare = async (fromKey: string, toKey: string): Promise<DrivePath> => {
    const key = `${fromKey}>${toKey}`
    const known = paths.get(key)
    if (known) return known
    const from = places.get(fromKey)
    const to = places.get(toKey)
    if (!from || !to) throw new Error(`no place ${from ? toKey : fromKey} in the registers`)
    const sameSpot = from.lat === to.lat && from.lon === to.lon
    const route = sameSpot ? undefined : await router.route([from, to])
    let coordinates: LonLatPosition[] = route?.geometry.coordinates ?? [[from.lon, from.lat]]
    if (route && isDepotKey(fromKey)) coordinates = [...intoYard(from, coordinates[0]!), ...coordinates]
    if (route && isDepotKey(toKey)) coordinates = [...coordinates, ...intoYard(to, coordinates.at(-1)!)]
    const path = buildDrivePath(coordinates, options.roadSpeedAt, {
      brakingMs2: options.brakingMs2,
      nominalDurationS: route?.durationS ?? 0,
    })
    paths.set(key, path)
    return path
  }

  const buses: FleetBus[] = []
  for (const bus of registers.buses) {
    const trips = tripsOf.get(bus.code) ?? []
    if (trips.length === 0) continue
    const depot = depotKey(bus.code)
    places.set(
      depot,
      siteOf({ lat: bus.depotLat, lon: bus.depotLon }) ??
        (bus.schoolCode === null ? undefined : schoolSite.get(bus.schoolCode)) ??
        places.get(stopKey(trips[0]!.stops[0]!.stopId))!,
    )
    const prepared: FleetBus['trips'] = []
    for (const trip of trips) {
      const legs: DrivePath[] = []
      for (let i = 1; i < trip.stops.length; i++) {
        legs.push(await prepare(stopKey(trip.stops[i - 1]!.stopId), stopKey(trip.stops[i]!.stopId)))
      }
      prepared.push({ trip, legs })
      const firstKey = stopKey(trip.stops[0]!.stopId)
      const lastKey = stopKey(trip.stops[trip.stops.length - 1]!.stopId)
      await prepare(depot, firstKey)
      await prepare(lastKey, depot)
    }
    // From each trip on to the one that follows it on some weekday.
    for (let weekday = 1; weekday <= 7; weekday++) {
      const ofDay = trips.filter((trip) => trip.weekdays.includes(weekday))
      for (let k = 1; k < ofDay.length; k++) {
        const [trip, next] = [ofDay[k - 1]!, ofDay[k]!]
        await prepare(stopKey(trip.stops[trip.stops.length - 1]!.stopId), stopKey(next.stops[0]!.stopId))
      }
    }
    buses.push({ busId: bus.code, depotKey: depot, trips: prepared })
  }

  return {
    buses,
    pathBetween(fromKey, toKey) {
      const path = paths.get(`${fromKey}>${toKey}`)
      if (!path) throw new Error(`no prepared leg from ${fromKey} to ${toKey}`)
      return path
    },
  }
}
