import { GeoError } from '../geo-error.js'
import type { RoadGraph } from '../routing/road-graph.js'
import type { RouteLeg, Router } from '../routing/router.js'
import type {
  FullReplanReason,
  PlanBusType,
  PlanComparison,
  PlanHub,
  PlanInput,
  PlannedLine,
  PlannedVehicle,
  PlanPupil,
  PlanProgress,
  PlanResult,
  PlanRunControl,
  ReplannedGroup,
  ReplanSummary,
  TodayTrip,
  UnservedPupil,
  UnservedRider,
} from './plan-model.js'
import { placeStops } from './place-stops.js'
import { buildTravelTable, readDriveS, type TravelTable } from './build-travel-table.js'
import { listPlanPlaces, requirePlace } from './plan-places.js'
import { designMicroBusLines, runMicroBusLine } from './micro-bus-lines.js'
import { listRideGroups } from './list-ride-groups.js'
import { restoreRouteSet, routeRideGroups, type CustomRoute, type RideGroup } from './custom-bus-routes.js'
import type { RouteSet } from './select-route-sets.js'
import { countDayBuses, planBusDays } from './assign-vehicles.js'
import { chainTrips } from './chain-trips.js'
import { measureService, type MeasureContext } from './plan-metrics.js'
import { describeTodayService, listLineRiders } from './measure-today.js'
import { proposeTimeShifts } from './propose-time-shifts.js'
import { drawLines } from './draw-lines.js'
import { validatePlanInput } from './validate-plan-input.js'
import { createPupilWindows } from './school-bells.js'
import type { DraftTrip } from './time-trip.js'
import {
  fitsWorkings,
  signMicroRun,
  signRideGroup,
  type PlanBase,
  type PlanWorkings,
} from './plan-workings.js'

export interface PlanDeps {
  roads: RoadGraph
  router: Router
}

/** The phases in order, each with the share of the 0..1 progress scale where it starts. */
const PHASES: [PlanProgress['phase'], number][] = [
  ['stops', 0],
  ['table', 0.15],
  ['routes', 0.25],
  ['chaining', 0.75],
  ['geometry', 0.85],
  ['metrics', 0.95],
]

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
  const checkStop = () => {
    if (control.shouldStop?.()) throw new GeoError('cancelled', 'the plan was cancelled')
  }
  const report = (phase: PlanProgress['phase'], withinPhase = 0) => {
    const k = PHASES.findIndex(([name]) => name === phase)
    const [, startFraction] = PHASES[k]!
    const endFraction = PHASES[k + 1]?.[1] ?? 1
    control.onProgress?.({ phase, fraction: startFraction + (endFraction - startFraction) * withinPhase })
  }

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
  const stopOf = new Map(placement.stops.flatMap((stop) => stop.pupilIds.map((id) => [id, stop.id] as const)))
  const unserved: UnservedPupil[] = [...placement.unserved]
  const riders: PlanPupil[] = []
  for (const pupil of input.pupils) {
    const stopId = stopOf.get(pupil.id)
    if (stopId === undefined) continue
    const tooLong =
      driveS(stopId, pupil.schoolId) > settings.maxRideS || driveS(pupil.schoolId, stopId) > settings.maxRideS
    if (tooLong) unserved.push({ pupilId: pupil.id, reason: 'ride_too_long' })
    else riders.push(pupil)
  }
  const riderById = new Map(riders.map((p) => [p.id, p]))
  const stops = placement.stops.map((stop) => {
    const pupilIds = stop.pupilIds.filter((id) => riderById.has(id))
    return {
      ...stop,
      pupilIds,
      schoolIds: [...new Set(pupilIds.map((id) => riderById.get(id)!.schoolId))].sort(),
      maxWalkM: Math.max(0, ...pupilIds.map((id) => placement.walkM.get(id)!)),
    }
  })

  const { micro, levels } = chooseBusTypes(input.fleet)
  const windowOf = createPupilWindows(input.pupils, input.schools, settings)
  const lines: Omit<PlannedLine, 'geometry'>[] = []
  const microTrips: DraftTrip[] = []
  const onMicro = new Set<string>()
  if (micro) {
    const designs = designMicroBusLines(riders, stops, input, { table, placeOf })
    for (const design of designs) {
      const { line, trips } = runMicroBusLine(design, {
        table,
        placeOf,
        pupilById: riderById,
        stopOf,
        schools: input.schools,
        settings,
        seats: micro.seats,
        busTypeId: micro.id,
        windowOf,
      })
      lines.push(line)
      microTrips.push(...trips)
      for (const id of design.pupilIds) onMicro.add(id)
    }
  }

  const groups = listRideGroups(
    riders.filter((p) => !onMicro.has(p.id)),
    stopOf,
    input.schools,
    settings,
  )
  const levelOf = new Map(groups.map((g) => [g.key, 0]))
  const now = control.now ?? Date.now
  const groupContext = (timeLimitMs: number, reportsProgress: boolean) => ({
    table,
    placeOf,
    settings,
    windowOf,
    fixedTrips: microTrips,
    fleet: input.fleet,
    busTypeOf: (group: RideGroup) => levels[levelOf.get(group.key)!]!,
    timeLimitMs,
    seed: 1,
    now,
    shouldStop: () => control.shouldStop?.() ?? false,
    onProgress: reportsProgress ? (fraction: number) => report('routes', fraction) : undefined,
  })
  const routeGroups = (
    known: { sets: RouteSet<CustomRoute>[][]; picks: number[]; frozen?: boolean[] } | undefined,
    reportsProgress: boolean,
  ) =>
    routeRideGroups(
      groups,
      groupContext(
        // The time each group's single search used to have, now shared by the groups' route sets.
        settings.searchTimeLimitMs *
          (known ? known.sets.filter((sets) => sets.length === 0).length : groups.length),
        reportsProgress,
      ),
      known,
    )
  // A what-if keeps the routes of the groups whose times did not move, as its base chose them.
  const signatures = groups.map((group) => signRideGroup(group, settings))
  const keptGroups = new Map((kept?.workings.groups ?? []).map((group) => [group.signature, group]))
  const restored = groups.map((group, g) => {
    const keptGroup = keptGroups.get(signatures[g]!)
    const level = keptGroup ? levels.findIndex((type) => type.id === keptGroup.busTypeId) : -1
    if (!keptGroup || level < 0) return null
    levelOf.set(group.key, level)
    const set = restoreRouteSet(group, keptGroup.routes, groupContext(0, false))
    if (!set) levelOf.set(group.key, 0)
    return set
  })
  let frozen = restored.map((set) => set !== null)
  let { routed, sets, picks } = routeGroups(
    kept
      ? {
          sets: restored.map((set) => (set ? [set] : [])),
          picks: restored.map((set) => (set ? 0 : -1)),
          frozen,
        }
      : undefined,
    true,
  )
  checkStop()

  report('chaining')
  const collect = () => {
    const drafts = [...microTrips]
    const groupOf: (string | null)[] = microTrips.map(() => null)
    routed.forEach((group, g) => {
      for (const draft of group.trips) {
        drafts.push(draft)
        groupOf.push(groups[g]!.key)
      }
    })
    return { drafts, groupOf }
  }
  let { drafts, groupOf } = collect()
  let day = planBusDays(drafts, table, input.fleet)
  // A chain no remaining bus is large enough for: route its over-full groups again with the next
  // smaller seat count, until every chain has a bus.
  for (;;) {
    const reroute = new Set<string>()
    day.chains.forEach((chain, c) => {
      if (day.types[c] !== null) return
      for (const t of chain) {
        const key = groupOf[t]
        if (key === null) continue
        const level = levelOf.get(key)!
        if (level + 1 < levels.length && drafts[t]!.load > levels[level + 1]!.seats) reroute.add(key)
      }
    })
    if (reroute.size === 0) break
    for (const key of reroute) levelOf.set(key, levelOf.get(key)! + 1)
    const again = groups.map((group) => reroute.has(group.key))
    frozen = frozen.map((still, g) => still && !again[g])
    ;({ routed, sets, picks } = routeGroups(
      {
        sets: sets.map((known, g) => (again[g] ? [] : known)),
        picks: picks.map((pick, g) => (again[g] ? -1 : pick)),
        frozen: kept ? frozen : undefined,
      },
      false,
    ))
    checkStop()
    ;({ drafts, groupOf } = collect())
    day = planBusDays(drafts, table, input.fleet)
  }
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
  const measure: MeasureContext = {
    fleet: input.fleet,
    settings,
    drive: (from, to) => legOn(table, placeOf(from), placeOf(to)),
    driveDepot: (stopId, toDepot) => {
      const legs = places.depotPlaces.map((depot) =>
        toDepot ? legOn(table, placeOf(stopId), depot) : legOn(table, depot, placeOf(stopId)),
      )
      return legs.sort((a, b) => a.durationS - b.durationS)[0] ?? { distanceM: 0, durationS: 0 }
    },
  }
  const metrics = measureService({ pupils: input.pupils, trips, vehicles, walkM: placement.walkM }, measure)
  const comparisons: PlanComparison[] = []
  let lineRiderPlan: Awaited<ReturnType<typeof planService>> | null = null
  if (input.today) {
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
    const today = describeTodayService(input.today, input.pupils, chainRuns)
    comparisons.push({ scope: input.today.scope, today: measureService(today, measure), proposed: metrics })
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
  const baseRuns = new Set(kept?.workings.microRuns ?? [])
  const keptRuns = microRuns.filter((run) => baseRuns.has(run)).length
  const replanned: ReplanSummary | undefined =
    whatIf === undefined
      ? undefined
      : {
          mode: kept ? 'partial' : 'full',
          reason: fullReason,
          groups: groups.filter((_, g) => !frozen[g]).map(describeGroup),
          reusedGroups: frozen.filter(Boolean).length,
          microRuns: { retimed: microRuns.length - keptRuns, kept: keptRuns },
          comparison: lineRiderPlan?.result.replanned
            ? {
                groups: lineRiderPlan.result.replanned.groups.length,
                reusedGroups: lineRiderPlan.result.replanned.reusedGroups,
              }
            : null,
        }
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

function describeGroup(group: RideGroup): ReplannedGroup {
  return {
    key: group.key,
    schoolId: group.school.id,
    direction: group.direction,
    timeS: group.timeS,
    waveId: group.waveId,
    pupils: [...group.pupilsByStop.values()].reduce((sum, ids) => sum + ids.length, 0),
  }
}

function legOn(table: TravelTable, from: number, to: number): RouteLeg {
  return {
    durationS: readDriveS(table, from, to),
    distanceM: table.distanceM[from * table.count + to]!,
  }
}

/**
 * The micro-bus is the smallest type that can always be hired. Custom-bus routes are first planned
 * with the seats of the bureau's most numerous bus; where buses that large run out, a group is
 * planned again with the next smaller seat count the fleet has, down to the largest type that can
 * always be hired, so that every chain finds a bus.
 */
function chooseBusTypes(fleet: PlanBusType[]): { micro: PlanBusType | null; levels: PlanBusType[] } {
  const hired = fleet.filter((t) => t.available === null).sort((a, b) => a.seats - b.seats)
  const owned = fleet
    .filter((t) => t.available !== null && t.available > 0)
    .sort((a, b) => b.available! - a.available! || b.seats - a.seats)
  const largestHired = hired.at(-1)
  const first = owned[0] ?? largestHired ?? [...fleet].sort((a, b) => b.seats - a.seats)[0]!
  const floorSeats = largestHired ? Math.min(largestHired.seats, first.seats) : first.seats
  const levels = [first]
  for (const type of [...owned, ...hired].sort((a, b) => b.seats - a.seats)) {
    if (type.seats < levels.at(-1)!.seats && type.seats >= floorSeats) levels.push(type)
  }
  return { micro: hired.length > 1 ? hired[0]! : null, levels }
}

/** A chain left without a bus large enough is routed again with smaller buses: about one more. */
function countPlannedBuses(day: ReturnType<typeof planBusDays>): number {
  return day.chains.length + day.types.filter((t) => t === null).length
}
