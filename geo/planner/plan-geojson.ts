import type { LonLatPosition } from '../lat-lon.js'
import type { PlanResult } from './plan-model.js'

type StopFeature = {
  type: 'Feature'
  geometry: { type: 'Point'; coordinates: LonLatPosition }
  properties: {
    kind: 'stop'
    id: string
    name: string
    pupils: number
    schoolIds: string[]
    maxWalkM: number
  }
}

type LineFeature = {
  type: 'Feature'
  geometry: { type: 'LineString'; coordinates: LonLatPosition[] }
  properties: {
    kind: 'custom_bus' | 'micro_bus'
    id: string
    name: string
    busTypeId: string
    schoolIds: string[]
    trips: number
  }
}

export interface PlanFeatureCollection {
  type: 'FeatureCollection'
  features: (StopFeature | LineFeature)[]
}

/**
 * The plan for a map: stops as points and lines as their road geometry. A stop carries how many
 * pupils use it, never who they are.
 */
export function planToGeoJson(result: PlanResult): PlanFeatureCollection {
  const lines = result.lines.map((line): LineFeature => ({
    type: 'Feature',
    geometry: line.geometry,
    properties: {
      kind: line.kind,
      id: line.id,
      name: line.name,
      busTypeId: line.busTypeId,
      schoolIds: line.schoolIds,
      trips: line.tripIds.length,
    },
  }))
  const stops = result.stops.map((stop): StopFeature => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [stop.location.lon, stop.location.lat] },
    properties: {
      kind: 'stop',
      id: stop.id,
      name: stop.name,
      pupils: stop.pupilIds.length,
      schoolIds: stop.schoolIds,
      maxWalkM: stop.maxWalkM,
    },
  }))
  return { type: 'FeatureCollection', features: [...lines, ...stops] }
}
