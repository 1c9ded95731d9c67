import { readDriveS, type TravelTable } from './build-travel-table.js'
import { chainTrips } from './chain-trips.js'
import { describeTodayService } from './measure-today.js'
import type { PlanComparison, PlanMetrics, PlanPupil, TodayService, TodayTrip } from './plan-model.js'
import { measureService, type MeasureContext } from './plan-metrics.js'

/** Today's service measured as the plan is, beside the plan's own metrics. */
export function compareToday(
  today: TodayService,
  pupils: PlanPupil[],
  proposed: PlanMetrics,
  lookup: { table: TravelTable; placeOf: (id: string) => number; measure: MeasureContext },
): PlanComparison {
  const { table, placeOf, measure } = lookup
  const chainRuns = (runs: TodayTrip[]) =>
    chainTrips(
      runs.map((run) => ({
        startS: run.stops[0]!.arriveS,
        endS: run.stops.at(-1)!.departS,
        startPlace: placeOf(run.stops[0]!.stopId),
        endPlace: placeOf(run.stops.at(-1)!.stopId),
      })),
      (from, to) => readDriveS(table, from, to),
    )
  const service = describeTodayService(today, pupils, chainRuns)
  return { scope: today.scope, today: measureService(service, measure), proposed }
}
