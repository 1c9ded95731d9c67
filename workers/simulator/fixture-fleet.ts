import type { CixiWorld, Trip } from '../../fixtures/cixi-world.js'
import type { LatLon } from '../../geo/lat-lon.js'
import type { Router } from '../../geo/routing/router.js'
import { buildDrivePath, type DrivePath } from './drive-path.js'
import type { RoadSpeedLookup } from './road-speed-lookup.js'

/** The Cixi fleet with every leg it may drive routed and prepared once, for any number of days. */
export interface FixtureFleet {
  buses: FixtureBus[]
  /** The prepared leg between two places (`stop:{id}` or `depot:{schoolId}`). */
  pathBetween(fromKey: string, toKey: string): DrivePath
}

export interface FixtureBus {
  busId: string
  depotKey: string
  /** Its trips in time order, each with the legs between consecutive stops. */
  trips: { trip: Trip; legs: DrivePath[] }[]
}

export const stopKey = (stopId: string) => `stop:${stopId}`

/**
 * Routes the legs of every trip, and the empty runs a day may need: from the depot (the bus's
 * school) to each trip's first stop, from each trip's last stop back, and on to the next trip.
 */
export async function prepareFixtureFleet(
  world: CixiWorld,
  router: Router,
  options: { roadSpeedAt: RoadSpeedLookup; brakingMs2: number },
): Promise<FixtureFleet> {
  const places = new Map<string, LatLon>()
  for (const stop of world.stops) places.set(stopKey(stop.id), stop.location)
  for (const school of world.schools) places.set(`depot:${school.id}`, school.location)
  const paths = new Map<string, DrivePath>()

  const prepare = async (fromKey: string, toKey: string): Promise<DrivePath> => {
    const key = `${fromKey}>${toKey}`
    const known = paths.get(key)
    if (known) return known
    const from = places.get(fromKey)
    const to = places.get(toKey)
    if (!from || !to) throw new Error(`no place ${from ? toKey : fromKey} in the fixture world`)
    const sameSpot = from.lat === to.lat && from.lon === to.lon
    const route = sameSpot ? undefined : await router.route([from, to])
    const path = buildDrivePath(route?.geometry.coordinates ?? [[from.lon, from.lat]], options.roadSpeedAt, {
      brakingMs2: options.brakingMs2,
      nominalDurationS: route?.durationS ?? 0,
    })
    paths.set(key, path)
    return path
  }

  const buses: FixtureBus[] = []
  for (const bus of world.buses) {
    const depotKey = `depot:${bus.schoolId}`
    const trips = world.trips
      .filter((trip) => trip.busId === bus.id)
      .sort((a, b) => a.stops[0]!.arrive.localeCompare(b.stops[0]!.arrive))
    if (trips.length === 0) continue
    const prepared: FixtureBus['trips'] = []
    for (const [k, trip] of trips.entries()) {
      const legs: DrivePath[] = []
      for (let i = 1; i < trip.stops.length; i++) {
        legs.push(await prepare(stopKey(trip.stops[i - 1]!.stopId), stopKey(trip.stops[i]!.stopId)))
      }
      prepared.push({ trip, legs })
      const firstKey = stopKey(trip.stops[0]!.stopId)
      const lastKey = stopKey(trip.stops[trip.stops.length - 1]!.stopId)
      await prepare(depotKey, firstKey)
      await prepare(lastKey, depotKey)
      const next = trips[k + 1]
      if (next) await prepare(lastKey, stopKey(next.stops[0]!.stopId))
    }
    buses.push({ busId: bus.id, depotKey, trips: prepared })
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
