import { GeoError } from '../../geo-error.js'
import { chainTrips, countChainVehicles, type ChainableTrip } from '../chain-trips.js'
import type { RouteProblem } from '../route-search/route-problem.js'
import { searchRoutes } from '../route-search/search-routes.js'
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
interface TimedRoute extends ChainableTrip {
  school: number
  /** Indexes into instance.stops in driving order. */
  stops: number[]
  travelS: number
}

/** One way of routing a school's stops. */
interface RouteSet {
  routes: TimedRoute[]
  travelS: number
}

/** Share of the time limit spent routing schools under each duration cap; the rest chooses among them. */
const ROUTING_SHARE = 0.4
/** Per route, in seconds of travel: fewer routes always win over less driving within a school. */
const ROUTE_COST = 1e6
/** Caps evenly spread from the loosest down to the longest single-stop route of the school. */
const LADDER_STEPS = 12
/** The loosest cap lets the first stop's own boarding come on top of the longest ride. */
const LOOSEST_CAP_MARGIN_S = 300
const GAP_CAP_SLACK_S = 300
/** Caps closer than this share of each other give about the same routes. */
const CAP_CLOSENESS = 0.01
/** Time the walk over route-set choices gets between two rounds of mixing. */
const WALK_SLICE_MS = 1000
/** Time to route the stops a mixed set does not keep. */
const MIX_SEARCH_MS = 40
/** Scores count buses in this unit and route driving in seconds below it. */
const BUS_WEIGHT = 1e9
/** Chance of taking a change that costs one bus, so that the walk leaves a local optimum. */
const WORSE_ACCEPTANCE = 0.02

/** What the steps of the search share: the instance split by school and the route sets found so far. */
interface SbrpSearch {
  instance: SbrpInstance
  maxRideS: number
  /** Indexes into instance.stops of each school's stops. */
  stopsBySchool: number[][]
  /** Distinct routings of each school found so far. */
  setsBySchool: RouteSet[][]
  deadheadS: (fromPlace: number, toPlace: number) => number
  now: () => number
  shouldStop: () => boolean
  random: () => number
  nextSeed: number
}

/** A route set per school (index into its list, -1 for a school without stops) and its score. */
interface Choice {
  picks: number[]
  score: number
}

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
  const startedMs = now()
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
  const search: SbrpSearch = {
    instance,
    maxRideS: options.maxRideS,
    stopsBySchool,
    setsBySchool: instance.schools.map(() => []),
    deadheadS: (from, to) => travelSbrpS(places[from], places[to]),
    now,
    shouldStop,
    random: seededRandom(options.seed),
    nextSeed: options.seed,
  }
  routeUnderCaps(search, startedMs + options.timeLimitMs * ROUTING_SHARE)

  const endMs = startedMs + options.timeLimitMs
  // Start from the fewest routes per school.
  const picks = search.setsBySchool.map((sets) =>
    sets.length === 0
      ? -1
      : sets.reduce((best, set, c) => (set.routes.length < sets[best].routes.length ? c : best), 0),
  )
  let choice: Choice = { picks, score: scoreChoice(search, picks) }
  while (!shouldStop() && now() < endMs) {
    choice = walkRouteSets(search, choice, Math.min(endMs, now() + WALK_SLICE_MS))
    choice = mixRouteSets(search, choice, endMs)
  }
  const routes = routesOf(search, choice.picks)
  return {
    buses: chainTrips(routes, search.deadheadS).map((chain) => ({
      routes: chain.map((r) => ({
        school: instance.schools[routes[r].school].id,
        stops: routes[r].stops.map((s) => instance.stops[s].id),
      })),
    })),
  }
}

/** Fills `setsBySchool` with the distinct routings of each school under each of its caps. */
function routeUnderCaps(search: SbrpSearch, endMs: number): void {
  const { instance, stopsBySchool, now, shouldStop } = search
  const jobs = stopsBySchool
    .flatMap((stops, school) =>
      stops.length === 0
        ? []
        : listRouteCaps(instance, school, stops, search.maxRideS).map((capS, rank) => ({
            school,
            capS,
            rank,
          })),
    )
    .sort((a, b) => a.rank - b.rank)
  jobs.forEach((job, j) => {
    // The loosest cap runs for every school even when stopped: a plan needs them all.
    if (job.rank > 0 && (shouldStop() || now() >= endMs)) return
    const timeLimitMs = Math.max(1, (endMs - now()) / (jobs.length - j))
    const set = routeSchool(search, job.school, stopsBySchool[job.school], job.capS, timeLimitMs)
    const sets = search.setsBySchool[job.school]
    if (!sets.some((known) => sameRoutes(known, set))) sets.push(set)
  })
}

function routesOf(search: SbrpSearch, picks: number[]): TimedRoute[] {
  return picks.flatMap((c, school) => (c < 0 ? [] : search.setsBySchool[school][c].routes))
}

/** Buses in units of BUS_WEIGHT, then route driving in seconds. */
function scoreChoice(search: SbrpSearch, picks: number[]): number {
  const travelS = picks.reduce(
    (sum, c, school) => sum + (c < 0 ? 0 : search.setsBySchool[school][c].travelS),
    0,
  )
  return countChainVehicles(routesOf(search, picks), search.deadheadS) * BUS_WEIGHT + travelS
}

/**
 * One round of mixing over the schools in random order: for each set of a school, keep the routes
 * that another school's route leads into when that set is chosen, and serve the school's other
 * stops with long routes, which are fewer. Each new mix joins the school's sets and is chosen when
 * it improves the score.
 */
function mixRouteSets(search: SbrpSearch, start: Choice, endMs: number): Choice {
  const { stopsBySchool, setsBySchool, now, shouldStop } = search
  let choice = start
  const schoolsWithStops = stopsBySchool.flatMap((stops, school) => (stops.length > 0 ? [school] : []))
  for (const school of shuffle(schoolsWithStops, search.random)) {
    const sets = setsBySchool[school]
    for (let c = 0; c < sets.length && !shouldStop() && now() < endMs; c++) {
      const routes = routesOf(search, withPick(choice.picks, school, c))
      const led = new Set(chainTrips(routes, search.deadheadS).flatMap((chain) => chain.slice(1)))
      const kept = sets[c].routes.filter((route) => led.has(routes.indexOf(route)))
      if (kept.length === 0 || kept.length === sets[c].routes.length) continue
      const keptStops = new Set(kept.flatMap((route) => route.stops))
      const restStops = stopsBySchool[school].filter((s) => !keptStops.has(s))
      const rest = routeSchool(
        search,
        school,
        restStops,
        search.maxRideS + LOOSEST_CAP_MARGIN_S,
        MIX_SEARCH_MS,
      )
      const mixed = {
        routes: [...kept, ...rest.routes],
        travelS: kept.reduce((sum, r) => sum + r.travelS, rest.travelS),
      }
      if (sets.some((known) => sameRoutes(known, mixed))) continue
      sets.push(mixed)
      const picks = withPick(choice.picks, school, sets.length - 1)
      const score = scoreChoice(search, picks)
      if (score < choice.score) choice = { picks, score }
    }
  }
  return choice
}

function withPick(picks: number[], school: number, c: number): number[] {
  return picks.map((chosen, k) => (k === school ? c : chosen))
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
  // Rounding must not take the last step below the tightest feasible cap.
  const caps = Array.from({ length: LADDER_STEPS }, (_, i) =>
    Math.max(tightestS, loosestS - ((loosestS - tightestS) * i) / (LADDER_STEPS - 1)),
  )
  for (const earlier of instance.schools) {
    const gapS = here.startS - SBRP_UNLOAD_S - earlier.startS - travelSbrpS(earlier, here)
    for (const capS of [gapS, gapS + GAP_CAP_SLACK_S]) {
      if (
        capS > tightestS &&
        capS < loosestS &&
        caps.every((known) => Math.abs(known - capS) > CAP_CLOSENESS * capS)
      ) {
        caps.push(capS)
      }
    }
  }
  return caps
}

function routeSchool(
  search: SbrpSearch,
  school: number,
  stopIndexes: number[],
  maxRouteS: number,
  timeLimitMs: number,
): RouteSet {
  const { instance, maxRideS, now, shouldStop } = search
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
  const solution = searchRoutes(problem, { timeLimitMs, seed: search.nextSeed++, now, shouldStop })
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
      stops: route.map((node) => stopIndexes[node - 1]),
      travelS,
      startS: startS - SBRP_UNLOAD_S - durationS,
      endS: startS,
      startPlace: instance.schools.length + stopIndexes[route[0] - 1],
      endPlace: school,
    }
  })
  return { routes, travelS: routes.reduce((sum, route) => sum + route.travelS, 0) }
}

function sameRoutes(a: RouteSet, b: RouteSet): boolean {
  const key = (set: RouteSet) =>
    set.routes
      .map((route) => route.stops.join(','))
      .sort()
      .join('|')
  return key(a) === key(b)
}

/**
 * A walk over single-school changes of the route sets that accepts ties (to cross plateaus) and now
 * and then one more bus (to leave local optima), returning the best choice seen.
 */
function walkRouteSets(search: SbrpSearch, start: Choice, endMs: number): Choice {
  const { setsBySchool, random } = search
  let current = start
  let best = start
  const choosable = setsBySchool.flatMap((sets, school) => (sets.length > 1 ? [school] : []))
  if (choosable.length === 0) return best
  while (!search.shouldStop() && search.now() < endMs) {
    const school = choosable[Math.floor(random() * choosable.length)]
    const c = Math.floor(random() * setsBySchool[school].length)
    if (c === current.picks[school]) continue
    const picks = withPick(current.picks, school, c)
    const score = scoreChoice(search, picks)
    const extraBuses = Math.floor(score / BUS_WEIGHT) - Math.floor(current.score / BUS_WEIGHT)
    if (extraBuses <= 0 || (extraBuses === 1 && random() < WORSE_ACCEPTANCE)) {
      current = { picks, score }
      if (score < best.score) best = current
    }
  }
  return best
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const shuffled = items.slice()
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]]
  }
  return shuffled
}

/** mulberry32: small, fast and good enough to steer a search. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
