import { searchRoutes } from './route-search/search-routes.js'
import type { RouteProblem, RouteSearchOptions } from './route-search/route-problem.js'
import type { PlanBusType, PlannedLine, PlanSchool, PlanSettings } from './plan-model.js'
import { listCapLadder, selectRouteSets, type RouteSet, type SetRoute } from './select-route-sets.js'
import {
  chainDayTripsQuickly,
  countFleetBuses,
  measureDayDeadheadS,
  TURNAROUND_S,
} from './assign-vehicles.js'
import { readDriveS, type TravelTable } from './build-travel-table.js'
import {
  draftTrip,
  findDwellS,
  timeTrip,
  type DraftTrip,
  type TripAnchor,
  type TripCall,
} from './time-trip.js'
import { formatDayTime } from './format-day-time.js'
import type { PupilWindows } from './school-bells.js'

/** The pupils of one school who travel at one time in one direction: one routing problem. */
export interface RideGroup {
  key: string
  school: PlanSchool
  direction: 'to_school' | 'from_school'
  /** The bell (morning) or the wave's release (afternoon), after the time shifts. */
  timeS: number
  waveId: string | null
  anchor: TripAnchor
  /** Stop id → the pupils who get on (morning) or off (afternoon) there. */
  pupilsByStop: Map<string, string[]>
}

/**
 * Added to the objective per route: an hour of driving, so that within a cap on route duration the
 * search gives up up to an hour of driving to save a bus trip.
 */
export const ROUTE_COST_S = 3600

export interface RoutedGroup {
  lines: Omit<PlannedLine, 'geometry'>[]
  trips: DraftTrip[]
}

/** A group's leftover stops are few and close: a short search routes them, so mixing covers more sets. */
const MIX_SEARCH_MS = 5
/** The day's many groups give the walk over their choices much to try between rounds of mixing. */
const WALK_SLICE_MS = 3000

/** One custom-bus route of a group, timed; its trip is named once the group's routes are chosen. */
export interface CustomRoute extends SetRoute {
  draft: DraftTrip
}

/** What routing the ride groups needs besides the groups. */
export interface RideGroupContext {
  table: TravelTable
  placeOf: (id: string) => number
  settings: PlanSettings
  windowOf: PupilWindows
  /** Trips that share the buses but are not routed here (the micro-bus lines' runs). */
  fixedTrips: DraftTrip[]
  /** The types the buses are chosen from, with how many of each the bureau has. */
  fleet: PlanBusType[]
  /** Seats and bus type each group is routed for. */
  busTypeOf: (group: RideGroup) => PlanBusType
  /** Spread over all groups: routing under each cap and choosing one routing per group. */
  timeLimitMs: number
  seed: number
  now: () => number
  shouldStop: () => boolean
  onProgress?: (fraction: number) => void
}

/** A stop's pupils on one route: a stop with more pupils than seats is several customers. */
interface Customer {
  stopId: string
  pupils: string[]
}

/**
 * Routes each group several times under a ladder of caps on route duration and chooses one routing
 * per group so that the day's trips, with the fixed ones, chain onto the fewest buses
 * (`selectRouteSets`): routes short enough to follow another bell or wave win over fewer long ones
 * where that saves a bus. The `known` routings of an earlier call spare routing those groups again,
 * and the choice starts from their picks; a `frozen` group keeps its pick as it is.
 */
export function routeRideGroups(
  groups: RideGroup[],
  context: RideGroupContext,
  known?: { sets: RouteSet<CustomRoute>[][]; picks: number[]; frozen?: boolean[] },
): { routed: RoutedGroup[]; sets: RouteSet<CustomRoute>[][]; picks: number[] } {
  const { table } = context
  const customersByGroup = groups.map((group) => listCustomers(group, context.busTypeOf(group).seats))
  const fixedCount = context.fixedTrips.length
  const allTrips = (routes: CustomRoute[]) => [...context.fixedTrips, ...routes.map((r) => r.draft)]
  const choice = selectRouteSets<CustomRoute>(
    {
      itemsByGroup: customersByGroup.map((customers) => customers.map((_, c) => c)),
      capsByGroup: groups.map((group, g) => listGroupCaps(group, customersByGroup[g]!, groups, context)),
      routeItems: (g, items, maxRouteS, search) =>
        routeCustomers(groups[g]!, customersByGroup[g]!, items, context, {
          maxRouteS,
          search: { ...search, now: context.now, shouldStop: context.shouldStop },
        }),
      countVehicles: (routes) => countFleetBuses(allTrips(routes), table, context.fleet),
      listLedRoutes: (routes) =>
        new Set(
          chainDayTripsQuickly(allTrips(routes), table)
            .flatMap((chain) => chain.slice(1))
            .filter((t) => t >= fixedCount)
            .map((t) => t - fixedCount),
        ),
      measureDeadheadS: (routes) => measureDayDeadheadS(allTrips(routes), table),
    },
    {
      timeLimitMs: context.timeLimitMs,
      seed: context.seed,
      now: context.now,
      shouldStop: context.shouldStop,
      knownSets: known?.sets,
      knownPicks: known?.picks,
      frozenGroups: known?.frozen,
      onProgress: context.onProgress,
      mixSearchMs: MIX_SEARCH_MS,
      walkSliceMs: WALK_SLICE_MS,
    },
  )
  const routed = groups.map((group, g) =>
    nameGroupRoutes(group, choice.routesByGroup[g]!, context.busTypeOf(group).id),
  )
  return { routed, sets: choice.setsByGroup, picks: choice.picks }
}

function listCustomers(group: RideGroup, capacity: number): Customer[] {
  const customers: Customer[] = []
  for (const [stopId, pupils] of [...group.pupilsByStop].sort(([a], [b]) => a.localeCompare(b))) {
    for (let start = 0; start < pupils.length; start += capacity) {
      customers.push({ stopId, pupils: pupils.slice(start, start + capacity) })
    }
  }
  return customers
}

/**
 * The caps of `listCapLadder`: from a route as long as the ride limit allows (with the first stop's
 * dwell) down to the longest single-stop route, and the gaps to the other groups' trips a route may
 * still chain with. A morning route follows an earlier bell's trip that arrived as early as its
 * window allows, the deadhead taken as the drive between the schools; an afternoon route is
 * followed by a later wave's trip that leaves as late as its window allows, the deadhead taken as
 * the drive from this school to the other (or, at the same school, half the gap for the way back).
 */
function listGroupCaps(
  group: RideGroup,
  customers: Customer[],
  groups: RideGroup[],
  context: RideGroupContext,
): number[] {
  if (customers.length === 0) return []
  const { table, placeOf, settings } = context
  const schoolPlace = placeOf(group.school.id)
  const morning = group.direction === 'to_school'
  const driveS = (from: number, to: number) => readDriveS(table, from, to)
  const aloneS = customers.map((c) => {
    const stop = placeOf(c.stopId)
    return findDwellS(c.pupils.length) + (morning ? driveS(stop, schoolPlace) : driveS(schoolPlace, stop))
  })
  const loosestS = settings.maxRideS + Math.max(...customers.map((c) => findDwellS(c.pupils.length)))
  const gapCapsS: number[] = []
  for (const other of groups) {
    if (other.direction !== group.direction) continue
    const otherPlace = placeOf(other.school.id)
    if (morning && other.timeS < group.timeS) {
      const spanS = settings.arriveBeforeBellMaxS - settings.arriveBeforeBellMinS
      gapCapsS.push(group.timeS - other.timeS + spanS - TURNAROUND_S - driveS(otherPlace, schoolPlace))
    } else if (!morning && other.timeS > group.timeS) {
      const gapS = other.timeS + settings.departAfterDismissalMaxS - group.timeS - TURNAROUND_S
      gapCapsS.push(otherPlace === schoolPlace ? gapS / 2 : gapS - driveS(schoolPlace, otherPlace))
    }
  }
  return listCapLadder(loosestS, Math.max(...aloneS), gapCapsS)
}

/**
 * Routes some of a group's customers as a `to_depot` problem with the school as depot; an afternoon
 * group on the transposed table, so that a route read backwards leaves the school.
 */
function routeCustomers(
  group: RideGroup,
  allCustomers: Customer[],
  items: number[],
  context: RideGroupContext,
  limits: { maxRouteS: number; search: RouteSearchOptions },
): RouteSet<CustomRoute> {
  const { table, placeOf, settings } = context
  const customers = items.map((c) => allCustomers[c]!)
  const schoolPlace = placeOf(group.school.id)
  const nodePlaces = [schoolPlace, ...customers.map((c) => placeOf(c.stopId))]
  const nodeCount = nodePlaces.length
  const travel = new Float64Array(nodeCount * nodeCount)
  const morning = group.direction === 'to_school'
  for (let i = 0; i < nodeCount; i++) {
    for (let j = 0; j < nodeCount; j++) {
      const [from, to] = morning ? [nodePlaces[i]!, nodePlaces[j]!] : [nodePlaces[j]!, nodePlaces[i]!]
      travel[i * nodeCount + j] = readDriveS(table, from, to)
    }
  }
  const demand = [0, ...customers.map((c) => c.pupils.length)]
  const problem: RouteProblem = {
    nodeCount,
    demand,
    capacity: context.busTypeOf(group).seats,
    travel,
    serviceS: demand.map((pupils, node) => (node === 0 ? 0 : findDwellS(pupils))),
    shape: 'to_depot',
    maxRideS: settings.maxRideS,
    maxRouteS: limits.maxRouteS,
    routeCost: ROUTE_COST_S,
  }
  const solution = searchRoutes(problem, limits.search)
  const routes = solution.routes.map((route) =>
    timeCustomRoute(
      group,
      allCustomers,
      route.map((node) => items[node - 1]!),
      context,
    ),
  )
  return { routes, travelS: routes.reduce((sum, route) => sum + route.travelS, 0) }
}

/**
 * One route of a group through its customers in the order given (morning: the order of calling,
 * then the school; afternoon: the school, then the reverse order), timed at its bell or wave.
 */
function timeCustomRoute(
  group: RideGroup,
  allCustomers: Customer[],
  order: number[],
  context: RideGroupContext,
): CustomRoute {
  const { table, placeOf, settings } = context
  const morning = group.direction === 'to_school'
  const schoolPlace = placeOf(group.school.id)
  const customers = order.map((c) => allCustomers[c]!)
  const places = customers.map((c) => placeOf(c.stopId))
  // The search's cost: driving towards the school in the morning, away from it read backwards after.
  const legS = (from: number, to: number) =>
    morning ? readDriveS(table, from, to) : readDriveS(table, to, from)
  const travelS = places.reduce(
    (sum, place, k) => sum + legS(place, k + 1 < places.length ? places[k + 1]! : schoolPlace),
    0,
  )
  const riders = customers.flatMap((c) => c.pupils)
  const stopCalls: TripCall[] = customers.map(({ stopId, pupils }, k) => ({
    place: places[k]!,
    stopId,
    board: morning ? pupils : [],
    alight: morning ? [] : pupils,
  }))
  const schoolCall: TripCall = {
    place: schoolPlace,
    stopId: group.school.id,
    board: morning ? [] : riders,
    alight: morning ? riders : [],
  }
  const calls = morning ? [...stopCalls, schoolCall] : [schoolCall, ...stopCalls.reverse()]
  const anchor = morning
    ? { call: 'last' as const, arriveS: group.timeS - settings.arriveBeforeBellMinS }
    : { call: 'first' as const, arriveS: group.timeS }
  const timed = timeTrip(calls, table, anchor)
  const trip = {
    id: '',
    lineId: '',
    direction: group.direction,
    schoolIds: [group.school.id],
    waveId: group.waveId,
    ...timed,
  }
  const draft = draftTrip(
    trip,
    calls.map((call) => call.place),
    [group.anchor],
    context.windowOf,
  )
  return { items: order, travelS, draft }
}

/**
 * A group's routes as an earlier plan chose them (each route's customers in order), timed again;
 * null when they do not serve each of the group's customers exactly once, as when the group's
 * pupils or seats differ from that plan's.
 */
export function restoreRouteSet(
  group: RideGroup,
  routes: number[][],
  context: RideGroupContext,
): RouteSet<CustomRoute> | null {
  const customers = listCustomers(group, context.busTypeOf(group).seats)
  const served = routes.flat()
  const each = new Set(served)
  if (served.length !== customers.length || each.size !== customers.length) return null
  if (served.some((c) => !Number.isInteger(c) || c < 0 || c >= customers.length)) return null
  const restored = routes.map((order) => timeCustomRoute(group, customers, order, context))
  return { routes: restored, travelS: restored.reduce((sum, route) => sum + route.travelS, 0) }
}

/** The chosen routes of a group as lines of one trip each, numbered within the group. */
function nameGroupRoutes(group: RideGroup, routes: CustomRoute[], busTypeId: string): RoutedGroup {
  const morning = group.direction === 'to_school'
  const lines: Omit<PlannedLine, 'geometry'>[] = []
  const trips: DraftTrip[] = []
  routes.forEach(({ draft }, r) => {
    const lineId = `cb-${group.key}-${r + 1}`
    const when = morning
      ? `早 ${formatDayTime(group.timeS).slice(0, 5)}`
      : `放学 ${formatDayTime(group.timeS).slice(0, 5)}`
    lines.push({
      id: lineId,
      name: `${group.school.name} 定制公交 ${when} ${r + 1}号`,
      kind: 'custom_bus',
      busTypeId,
      stopIds: draft.trip.stops.map((stop) => stop.stopId),
      schoolIds: [group.school.id],
      tripIds: [`${lineId}-t1`],
    })
    trips.push({ ...draft, trip: { ...draft.trip, id: `${lineId}-t1`, lineId } })
  })
  return { lines, trips }
}
