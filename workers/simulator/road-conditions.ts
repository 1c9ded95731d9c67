import type { LatLon } from '../../geo/lat-lon.js'
import type { RoadNetwork } from '../../geo/roads/road-network.js'
import { createSeededRandom } from '../../geo/random/seeded-random.js'
import { placeCoverageHoles, type CoverageHoles } from './coverage-holes.js'
import type { SimulationSettings } from './simulation-settings.js'
import { createTrafficModel, type TrafficModel } from './traffic-model.js'

/** What the roads are like on the simulated days, the same for every bus: traffic and coverage. */
export interface RoadConditions {
  traffic: TrafficModel
  coverage: CoverageHoles
}

export function createRoadConditions(
  network: RoadNetwork,
  settings: SimulationSettings,
  options: { origin: LatLon; trafficHotspots: readonly LatLon[] },
): RoadConditions {
  return {
    traffic: createTrafficModel({
      seed: settings.seed,
      origin: options.origin,
      hotspots: options.trafficHotspots,
    }),
    coverage: placeCoverageHoles(network, createSeededRandom(settings.seed).fork('coverage'), {
      everyKm: settings.faults.coverageHoleEveryKm,
      radiusM: settings.faults.coverageHoleRadiusM,
    }),
  }
}
