import { planBusDays } from './assign-vehicles.js'
import type { TravelTable } from './build-travel-table.js'
import {
  restoreRouteSet,
  routeRideGroups,
  type CustomRoute,
  type RideGroup,
  type RoutedGroup,
} from './custom-bus-routes.js'
import { listRideGroups } from './list-ride-groups.js'
import type { PlanBusType, PlanInput, PlanPupil, PlanRunControl } from './plan-model.js'
import type { ReportProgress } from './plan-progress.js'
import { signRideGroup, type PlanBase } from './plan-workings.js'
import type { PupilWindows } from './school-bells.js'
import type { RouteSet } from './select-route-sets.js'
import type { DraftTrip } from './time-trip.js'

/** What routing the custom buses needs besides their riders. */
export interface CustomRouteContext {
  input: PlanInput
  table: TravelTable
  placeOf: (id: string) => number
  windowOf: PupilWindows
  /** The micro-bus lines' runs, which share the buses. */
  microTrips: DraftTrip[]
  /** Bus types to route for, largest first (see chooseBusTypes). */
  levels: PlanBusType[]
  /** A what-if's base whose workings fit the input, or null. */
  kept: PlanBase | null
  control: PlanRunControl
  report: ReportProgress
  checkStop: () => void
}

/** The routed ride groups and the day's buses they and the micro-bus runs are chained onto. */
export interface FittedRoutes {
  groups: RideGroup[]
  /** Each group's signature, to keep its routes for a later what-if. */
  signatures: string[]
  /** Group key → index into the levels of the bus type it was last routed for. */
  levelOf: Map<string, number>
  /** Which groups kept their base's routes as they were. */
  frozen: boolean[]
  routed: RoutedGroup[]
  sets: RouteSet<CustomRoute>[][]
  picks: number[]
  /** The micro-bus runs, then each routed group's trips. */
  drafts: DraftTrip[]
  day: ReturnType<typeof planBusDays>
}

/**
 * Routes the custom buses for the riders off the micro-bus lines and chains the day's trips onto
 * buses. A what-if keeps the routes of the groups whose times did not move; a group whose chain
 * finds no bus large enough is routed again for smaller buses.
 */
export function fitCustomRoutes(
  riders: PlanPupil[],
  stopOf: Map<string, string>,
  context: CustomRouteContext,
): FittedRoutes {
  const { input, table, placeOf, windowOf, microTrips, levels, kept, control, report, checkStop } = context
  const { settings } = input
  const groups = listRideGroups(riders, stopOf, input.schools, settings)
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
  return { groups, signatures, levelOf, frozen, routed, sets, picks, drafts, day }
}

/** A chain left without a bus large enough is routed again with smaller buses: about one more. */
export function countPlannedBuses(day: ReturnType<typeof planBusDays>): number {
  return day.chains.length + day.types.filter((t) => t === null).length
}
