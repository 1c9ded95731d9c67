import type { RouteLeg } from '../routing/router.js'
import { readDriveS, type TravelTable } from './build-travel-table.js'
import type { PlanInput } from './plan-model.js'
import type { MeasureContext } from './plan-metrics.js'
import type { PlanPlaces } from './plan-places.js'

/** Measures on the plan's travel table, so that the plan and today's service drive alike. */
export function createMeasureContext(
  input: PlanInput,
  table: TravelTable,
  places: PlanPlaces,
  placeOf: (id: string) => number,
): MeasureContext {
  return {
    fleet: input.fleet,
    settings: input.settings,
    drive: (from, to) => legOn(table, placeOf(from), placeOf(to)),
    driveDepot: (stopId, toDepot) => {
      const legs = places.depotPlaces.map((depot) =>
        toDepot ? legOn(table, placeOf(stopId), depot) : legOn(table, depot, placeOf(stopId)),
      )
      return legs.sort((a, b) => a.durationS - b.durationS)[0] ?? { distanceM: 0, durationS: 0 }
    },
  }
}

function legOn(table: TravelTable, from: number, to: number): RouteLeg {
  return {
    durationS: readDriveS(table, from, to),
    distanceM: table.distanceM[from * table.count + to]!,
  }
}
