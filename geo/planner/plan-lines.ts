import type { RoadGraph } from '../routing/road-graph.js'
import type { Router } from '../routing/router.js'
import type {
  FullReplanReason,
  PlanComparison,
  PlanHub,
  PlanInput,
  PlannedLine,
  PlannedVehicle,
  PlanResult,
  PlanRunControl,
  ReplanSummary,
  UnservedRider,
} from './plan-model.js'
import { placeStops } from './place-stops.js'
import { buildTravelTable, readDriveS } from './build-travel-table.js'
import { listPlanPlaces, requirePlace } from './plan-places.js'
import { countDayBuses, planBusDays } from './assign-vehicles.js'
import { measureService } from './plan-metrics.js'
import { listLineRiders } from './measure-today.js'
import { proposeTimeShifts } from './propose-time-shifts.js'
import { drawLines } from './draw-lines.js'
import { validatePlanInput } from './validate-plan-input.js'
import { createPupilWindows } from './school-bells.js'
import { fitsWorkings, signMicroRun, type PlanBase, type PlanWorkings } from './plan-workings.js'
import { createProgressReport, createStopCheck } from './plan-progress.js'
import { selectRiders } from './select-riders.js'
import { chooseBusTypes } from './choose-bus-types.js'
import { runMicroBuses } from './run-micro-buses.js'
import { countPlannedBuses, fitCustomRoutes } from './fit-custom-routes.js'
import { createMeasureContext } from './create-measure-context.js'
import { compareToday } from './compare-today.js'
import { summarizeReplan } from './summarize-replan.js'

export interface PlanDeps {
  roads: RoadGraph
  router: Router
}

/**
 * Plans micro-bus lines and custom-bus routes for the input's pupils, chains all the day's trips
 * onto the fewest buses the fleet allows, and compares the plan with today's service.
 */
export async function planLines(
  input: PlanInput,
  deps: PlanDeps,
  control: PlanRunControl = {},
): Promise<PlanResult> {
  return (await planService(input, deps, control, true)).result
}

/** A what-if's base plan: its workings to re-use, or why there are none (it is planned in full). */
export type WhatIfBase = { base: PlanBase } | { fullBecause: FullReplanReason }

/**
 * As planLines, answering also the workings a later what-if re-uses. Given a what-if's base (a plan
 * of the same input but for the time shifts), it keeps the base's stops, travel table and the routes
 * of every ride group whose times did not move, routes only the groups whose times moved (with the
 * search time of those groups alone), times the micro-bus runs again, chains the whole day onto
 * buses again and measures it; the result's `replanned` says what was planned and what was kept.
 */
export async function planLinesWithWorkings(
  input: PlanInput,
  deps: PlanDeps,
  control: PlanRunControl = {},
  whatIf?: WhatIfBase,
): Promise<{ result: PlanResult; workings: PlanWorkings }> {
  return planService(input, deps, control, true, whatIf)
}

async function planService(
  input: PlanInput,
  deps: PlanDeps,
  control: PlanRunControl,
  compareLineRiders: boolean,
  whatIf?: WhatIfBase,
): Promise<{ result: PlanResult; workings: PlanWorkings }> {
  validatePlanInput(input)
  const offered = whatIf && 'base' in whatIf ? whatIf.base : null
  const fits = offered !== null && fitsWorkings(offered.workings, input)
  const kept = fits ? offered : null
  const fullReason: FullReplanReason | null =
    whatIf === undefined || kept ? null : 'fullBecause' in whatIf ? whatIf.fullBecause : 'workings_unusable'
  const { settings } = input
  const checkStop = createStopCheck(control)
  const report = createProgressReport(control)

  checkStop()
  report('stops')
  const placement = kept
    ? { stops: kept.workings.stops, unserved: kept.workings.unserved, walkM: new Map(kept.workings.walkM) }
    : placeStops(input.pupils, deps.roads, settings)
  checkStop()
  report('table')
  const places = listPlanPlaces(input, placement.stops)
  const table = kept ? kept.workings.table : await buildTravelTable(deps.router, places.points, { checkStop })
  const placeOf = (id: string) => requirePlace(places, id)
  const driveS = (from: string, to: string) => readDriveS(table, placeOf(from), placeOf(to))

  report('routes')
  const { stopOf, unserved, riders, riderById, stops } = selectRiders(
    input.pupils,
    placement,
    settings.maxRideS,
    driveS,
  )

  const { micro, levels } = chooseBusTypes(input.fleet)
  const windowOf = createPupilWindows(input.pupils, input.schools, settings)
  const { lines, microTrips, onMicro } = runMicroBuses(micro, riders, stops, input, {
    table,
    placeOf,
    riderById,
    stopOf,
    windowOf,
  })

  const fitted = fitCustomRoutes(
    riders.filter((p) => !onMicro.has(p.id)),
    stopOf,
    { input, table, placeOf, windowOf, microTrips, levels, kept, control, report, checkStop },
  )
  const { groups, signatures, levelOf, frozen, routed, sets, picks, drafts, day } = fitted
  const largest = [...input.fleet].sort((a, b) => b.seats - a.seats)[0]!
  const vehicles: PlannedVehicle[] = day.chains.map((chain, c) => ({
    id: `bus-${String(c + 1).padStart(3, '0')}`,
    busTypeId: (day.types[c] ?? largest).id,
    tripIds: chain.map((t) => drafts[t]!.trip.id),
  }))
  for (const group of routed) lines.push(...group.lines)
  checkStop()

  report('geometry')
  const drawn = await drawLines(lines, deps.router, (id) => places.points[placeOf(id)]!, {
    checkStop,
    onLine: (done) => report('geometry', done / lines.length),
    known: kept?.lines,
  })

  report('metrics')
  const trips = day.trips.map((d) => d.trip)
  const measure = createMeasureContext(input, table, places, placeOf)
  const metrics = measureService({ pupils: input.pupils, trips, vehicles, walkM: placement.walkM }, measure)
  const comparisons: PlanComparison[] = []
  let lineRiderPlan: Awaited<ReturnType<typeof planService>> | null = null
  if (input.today) {
    comparisons.push(compareToday(input.today, input.pupils, metrics, { table, placeOf, measure }))
    const lineRiders = listLineRiders(input.today)
    const lineRiderPupils = input.pupils.filter((p) => lineRiders.has(p.id))
    if (compareLineRiders && lineRiderPupils.length > 0 && lineRiderPupils.length < input.pupils.length) {
      const subBase = kept?.workings.lineRiders
      lineRiderPlan = await planService(
        {
          ...input,
          pupils: lineRiderPupils,
          settings: { ...settings, shiftWindows: [] },
          today: { ...input.today, scope: 'line_riders' },
        },
        deps,
        { now: control.now, shouldStop: control.shouldStop },
        false,
        whatIf === undefined
          ? undefined
          : subBase
            ? { base: { workings: subBase, lines: [] } }
            : { fullBecause: fullReason ?? 'workings_unusable' },
      )
      comparisons.push(...lineRiderPlan.result.comparisons)
    }
  }
  const shiftProposal = proposeTimeShifts(drafts, settings.shiftWindows, {
    currentShifts: settings.timeShifts,
    countBuses: (retimed) => countDayBuses(retimed, table),
    estimateBuses: (retimed) => countPlannedBuses(planBusDays(retimed, table, input.fleet)),
    busesBefore: countPlannedBuses(day),
    meanRideS: metrics.meanRideS,
  })
  control.onProgress?.({ phase: 'metrics', fraction: 1 })
  const pupilById = new Map(input.pupils.map((p) => [p.id, p]))
  const microRuns = microTrips.map(signMicroRun)
  const workings: PlanWorkings = {
    stops: placement.stops,
    unserved: placement.unserved,
    walkM: [...placement.walkM],
    table,
    groups: groups.map((group, g) => ({
      signature: signatures[g]!,
      busTypeId: levels[levelOf.get(group.key)!]!.id,
      routes: picks[g]! < 0 ? [] : sets[g]![picks[g]!]!.routes.map((route) => route.items),
    })),
    microRuns,
    lineRiders: lineRiderPlan?.workings ?? null,
  }
  const replanned: ReplanSummary | undefined =
    whatIf === undefined
      ? undefined
      : summarizeReplan({
          kept,
          fullReason,
          groups,
          frozen,
          microRuns,
          lineRiders: lineRiderPlan?.result.replanned,
        })
  const result: PlanResult = {
    stops: stops.filter((stop) => stop.pupilIds.length > 0),
    unserved: unserved.map((entry): UnservedRider => {
      const { schoolId, grade } = pupilById.get(entry.pupilId)!
      return { ...entry, schoolId, grade }
    }),
    lines: drawn,
    hubs: hubsCalledAt(input.hubs, drawn),
    trips,
    vehicles,
    metrics,
    comparisons,
    shiftProposal,
    ...(replanned ? { replanned } : {}),
  }
  return { result, workings }
}

/** The transit hubs the plan's lines call at, so that a reader of the plan can name them. */
function hubsCalledAt(hubs: PlanHub[], lines: PlannedLine[]): PlanHub[] {
  const called = new Set(lines.flatMap((line) => line.stopIds))
  return hubs.filter((hub) => called.has(hub.id))
}
