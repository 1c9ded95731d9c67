import { GeoError } from '../geo-error.js'
import type { LatLon } from '../lat-lon.js'
import type { PlanInput, PlannedStop } from './plan-model.js'

/** Every place a plan drives between, in the order of the travel table. */
export interface PlanPlaces {
  points: LatLon[]
  /** Stop, school, hub, depot or today's stop id → row of the travel table. */
  indexOf: Map<string, number>
  depotPlaces: number[]
}

/** Depot ids never meet stop ids: those are slugs or `stop-NNN`, these carry a colon. */
export function depotId(index: number): string {
  return `depot:${index}`
}

export function listPlanPlaces(input: PlanInput, stops: PlannedStop[]): PlanPlaces {
  const points: LatLon[] = []
  const indexOf = new Map<string, number>()
  const add = (id: string, location: LatLon) => {
    if (indexOf.has(id)) return
    indexOf.set(id, points.length)
    points.push(location)
  }
  for (const stop of stops) add(stop.id, stop.location)
  for (const school of input.schools) add(school.id, school.location)
  for (const hub of input.hubs) add(hub.id, hub.location)
  input.depots.forEach((depot, i) => add(depotId(i), depot))
  for (const stop of input.today?.stops ?? []) add(stop.id, stop.location)
  return { points, indexOf, depotPlaces: input.depots.map((_, i) => indexOf.get(depotId(i))!) }
}

export function requirePlace(places: PlanPlaces, id: string): number {
  const place = places.indexOf.get(id)
  if (place === undefined) throw new GeoError('invalid_input', `unknown stop ${id}`, { field: 'stopId' })
  return place
}
