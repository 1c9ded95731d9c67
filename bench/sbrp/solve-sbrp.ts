import { GeoError } from '../../geo/geo-error.js'
import { chainTrips, countChainVehicles, type ChainableTrip } from '../../geo/planner/chain-trips.js'
import type { RouteProblem, RouteSearchOptions } from '../../geo/planner/route-search/route-problem.js'
import { searchRoutes } from '../../geo/planner/route-search/search-routes.js'
import {
  listCapLadder,
  selectRouteSets,
  type RouteSet,
  type SetRoute,
} from '../../geo/planner/select-route-sets.js'
import type { SbrpSolution } from './check-sbrp-solution.js'
import type { SbrpInstance, SbrpSchool, SbrpStop } from './read-sbrp-instance.js'
import { SBRP_CAPACITY, SBRP_UNLOAD_S, boardSbrpS, travelSbrpS } from './sbrp-model.js'

export interface SolveSbrpOptions {
  maxRideS: number
  timeLimitMs: number
  seed: number
  /** Milliseconds; Date.now when omitted. */
  now?: () => number
  /** Polled between steps: true returns the best plan found so far. */
  shouldStop?: () => boolean
}

/** One school's route, timed: the bus is at its first stop at `startS` and free at the school at `endS`. */
interface TimedRoute extends ChainableTrip, SetRoute {
  school: number
  /** Indexes into instance.stops in driving order. */
  items: number[]
}

/** Per route, in seconds of travel: fewer routes always win over less driving within a school. */
const ROUTE_COST = 1e6
/** The loosest cap lets the first stop's own boarding come on top of the longest ride. */
const LOOSEST_CAP_MARGIN_S = 300

/**
 * Routes each school's stops (one school per route, 66 pupils, the ride limit) several times under
 * tighter and tighter caps on route duration, then picks one routing per school so that chaining
 * the routes onto buses (`chainTrips`) needs the fewest buses, mixing short and long routes within
 * a school where only some of its routes can follow another school's. Buses come back in the file
 * format.
 */
export function solveSbrp(instance: SbrpInstance, options: SolveSbrpOptions): SbrpSolution {
  const now = options.now ?? Date.now
  const shouldStop = options.shouldStop ?? (() => false)
  const stopsBySchool = instance.schools.map((school) =>
    instance.stops.flatMap((stop, i) => (stop.schoolId === school.id ? [i] : [])),
  )
  stopsBySchool.forEach((stops, school) => {
    const far = stops.find((s) => travelSbrpS(instance.stops[s], instance.schools[school]) > options.maxRideS)
    if (far !== undefined) {
      const field = `stops[${far}]`
      throw new GeoError('invalid_input', `${field}: beyond the ride limit from its school`, { field })
    }
  })
  const places = [...instance.schools, ...instance.stops]
  const deadheadS = (from: number, to: number) => travelSbrpS(places[from], places[to])
  const { routesByGroup } = selectRouteSets<TimedRoute>(
    {
      itemsByGroup: stopsBySchool,
      capsByGroup: stopsBySchool.map((stops, school) =>
        stops.length === 0 ? [] : listRouteCaps(instance, school, stops, options.maxRideS),
      ),
      routeItems: (school, stops, maxRouteS, search) =>
        routeSchool(instance, school, stops, {
          maxRideS: options.maxRideS,
          maxRouteS,
          search: { ...search, now, shouldStop },
        }),
      countVehicles: (routes) => countChainVehicles(routes, deadheadS),
      listLedRoutes: (routes) => new Set(chainTrips(routes, deadheadS).flatMap((chain) => chain.slice(1))),
    },
    { timeLimitMs: options.timeLimitMs, seed: options.seed, now, shouldStop },
  )
  const routes = routesByGroup.flat()
  return {
    buses: chainTrips(routes, deadheadS).map((chain) => ({
      routes: chain.map((r) => ({
        school: instance.schools[routes[r].school].id,
        stops: routes[r].items.map((s) => instance.stops[s].id),
      })),
    })),
  }
}

/**
 * Duration caps worth routing a school under, loosest first: a ladder down to the longest route
 * that serves a single stop (no tighter cap is feasible), then, for each earlier school, the longest
 * route that can still follow a route of it when its first stop lies as far from the earlier school
 * as the school itself (and a little farther).
 */
function listRouteCaps(instance: SbrpInstance, school: number, stops: number[], maxRideS: number): number[] {
  const here = instance.schools[school]
  const loosestS = maxRideS + LOOSEST_CAP_MARGIN_S
  const tightestS = Math.max(
    ...stops.map((s) => boardSbrpS(instance.stops[s].students) + travelSbrpS(instance.stops[s], here)),
  )
  const gapCapsS = instance.schools.map(
    (earlier) => here.startS - SBRP_UNLOAD_S - earlier.startS - travelSbrpS(earlier, here),
  )
  return listCapLadder(loosestS, tightestS, gapCapsS)
}

function routeSchool(
  instance: SbrpInstance,
  school: number,
  stopIndexes: number[],
  limits: { maxRideS: number; maxRouteS: number; search: RouteSearchOptions },
): RouteSet<TimedRoute> {
  const { maxRideS, maxRouteS } = limits
  const nodes: (SbrpSchool | SbrpStop)[] = [
    instance.schools[school],
    ...stopIndexes.map((s) => instance.stops[s]),
  ]
  const nodeCount = nodes.length
  const travel = new Float64Array(nodeCount * nodeCount)
  for (let i = 0; i < nodeCount; i++) {
    for (let j = 0; j < nodeCount; j++) travel[i * nodeCount + j] = travelSbrpS(nodes[i], nodes[j])
  }
  const serviceS = nodes.map((node, i) => (i === 0 ? 0 : boardSbrpS((node as SbrpStop).students)))
  const problem: RouteProblem = {
    nodeCount,
    demand: nodes.map((node, i) => (i === 0 ? 0 : (node as SbrpStop).students)),
    capacity: SBRP_CAPACITY,
    travel,
    serviceS,
    shape: 'to_depot',
    maxRideS,
    maxRouteS,
    routeCost: ROUTE_COST,
  }
  const solution = searchRoutes(problem, limits.search)
  const startS = instance.schools[school].startS
  const routes = solution.routes.map((route): TimedRoute => {
    let travelS = 0
    let durationS = serviceS[route[0]]
    route.forEach((node, k) => {
      const legS = travel[node * nodeCount + (k + 1 < route.length ? route[k + 1] : 0)]
      travelS += legS
      durationS += legS + (k + 1 < route.length ? serviceS[route[k + 1]] : 0)
    })
    return {
      school,
      items: route.map((node) => stopIndexes[node - 1]),
      travelS,
      startS: startS - SBRP_UNLOAD_S - durationS,
      endS: startS,
      startPlace: instance.schools.length + stopIndexes[route[0] - 1],
      endPlace: school,
    }
  })
  return { routes, travelS: routes.reduce((sum, route) => sum + route.travelS, 0) }
}
