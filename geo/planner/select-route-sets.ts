import { createSeededRandom } from '../random/seeded-random.js'

/** A route of one group: the items it serves (a group's stops or customers, each once) and its driving. */
export interface SetRoute {
  items: number[]
  travelS: number
}

/** One way of routing a group's items. */
export interface RouteSet<R extends SetRoute> {
  routes: R[]
  travelS: number
}

/**
 * Groups (a school, a bell, a wave) whose routes all share the vehicles: each group is routed several
 * times under caps on route duration, and one routing per group is chosen so that the routes of all
 * groups chain onto the fewest vehicles.
 */
export interface RouteSetProblem<R extends SetRoute> {
  /** The items each group's routes must serve; a group without items takes no routes. */
  itemsByGroup: number[][]
  /** The caps worth routing each group under, loosest first (see `listCapLadder`). */
  capsByGroup: number[][]
  /** Routes some of a group's items with no route longer than `maxRouteS`. */
  routeItems: (
    group: number,
    items: number[],
    maxRouteS: number,
    search: { timeLimitMs: number; seed: number },
  ) => RouteSet<R>
  /** Fewest vehicles that drive all these routes (with whatever else shares the vehicles). */
  countVehicles: (routes: R[]) => number
  /** Indexes into `routes` of the routes that follow another trip on their vehicle when chained. */
  listLedRoutes: (routes: R[]) => Set<number>
  /**
   * Seconds of empty driving between trips when these routes are chained onto the fewest vehicles:
   * of the best choices the search passes through, the one of least driving with it is returned.
   */
  measureDeadheadS?: (routes: R[]) => number
}

export interface SelectRouteSetsOptions<R extends SetRoute> {
  timeLimitMs: number
  seed: number
  /** Milliseconds. */
  now: () => number
  /** Polled between steps: true returns the best choice so far (every group keeps its loosest routing). */
  shouldStop: () => boolean
  /** Time to route the items a mixed set does not keep: enough for a group's few leftover items. */
  mixSearchMs?: number
  /** Time the walk over choices gets between two rounds of mixing. */
  walkSliceMs?: number
  /** Routings already known per group (none: route the group under its caps). */
  knownSets?: RouteSet<R>[][]
  /** The known routing to start from per group (-1: the one of fewest routes). */
  knownPicks?: number[]
  /**
   * Groups that keep their known pick as it is: neither routed, mixed nor chosen again (a what-if's
   * groups whose times did not move keep their base plan's routes).
   */
  frozenGroups?: boolean[]
  /** Called now and then with the share of the time limit used, 0..1. */
  onProgress?: (fraction: number) => void
}

/** What `selectRouteSets` found: every group's routings and the one chosen (-1 for a group without items). */
export interface RouteSetChoice<R extends SetRoute> {
  setsByGroup: RouteSet<R>[][]
  picks: number[]
  routesByGroup: R[][]
}

/** Share of the time limit spent routing groups under each cap; the rest chooses among them. */
const ROUTING_SHARE = 0.4
/** Caps evenly spread from the loosest down to the tightest. */
const LADDER_STEPS = 12
const GAP_CAP_SLACK_S = 300
/** Caps closer than this share of each other give about the same routes. */
const CAP_CLOSENESS = 0.01
/** Scores count vehicles in this unit and route driving in seconds below it. */
const VEHICLE_WEIGHT = 1e9
/** Chance of taking a change that costs one vehicle, so that the walk leaves a local optimum. */
const WORSE_ACCEPTANCE = 0.02

/**
 * Caps on route duration worth routing a group under, loosest first: a ladder from `loosestS` down
 * to `tightestS` (the longest single-item route: no tighter cap is feasible), then each gap cap (the
 * longest route that still lets a vehicle chain with another group) and a little more, where it lies
 * within the ladder and not next to a known cap.
 */
export function listCapLadder(loosestS: number, tightestS: number, gapCapsS: number[]): number[] {
  // Rounding must not take the last step below the tightest feasible cap.
  const caps = Array.from({ length: LADDER_STEPS }, (_, i) =>
    Math.max(tightestS, loosestS - ((loosestS - tightestS) * i) / (LADDER_STEPS - 1)),
  )
  for (const gapS of gapCapsS) {
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

/** A route set per group (index into its list, -1 for a group without items) and its score. */
interface Choice {
  picks: number[]
  score: number
}

interface Search<R extends SetRoute> {
  problem: RouteSetProblem<R>
  setsByGroup: RouteSet<R>[][]
  now: () => number
  shouldStop: () => boolean
  random: () => number
  nextSeed: number
  mixSearchMs: number
  frozen: (group: number) => boolean
}

/**
 * Routes each group under each of its caps, then picks one routing per group so that chaining needs
 * the fewest vehicles (then the least driving): a walk over single-group changes, alternating with
 * rounds that mix short and long routes within a group where only some of its routes can follow
 * another group's.
 */
export function selectRouteSets<R extends SetRoute>(
  problem: RouteSetProblem<R>,
  options: SelectRouteSetsOptions<R>,
): RouteSetChoice<R> {
  const { now, shouldStop } = options
  const startedMs = now()
  const search: Search<R> = {
    problem,
    setsByGroup: problem.itemsByGroup.map((_, g) => [...(options.knownSets?.[g] ?? [])]),
    now,
    shouldStop,
    random: createSeededRandom(options.seed).next,
    nextSeed: options.seed,
    mixSearchMs: options.mixSearchMs ?? 40,
    frozen: (group) => options.frozenGroups?.[group] ?? false,
  }
  const reportProgress = () => options.onProgress?.(Math.min(1, (now() - startedMs) / options.timeLimitMs))
  routeUnderCaps(search, startedMs + options.timeLimitMs * ROUTING_SHARE, reportProgress)

  const endMs = startedMs + options.timeLimitMs
  // Start from the known picks, else from the fewest routes per group.
  const picks = search.setsByGroup.map((sets, g) =>
    sets.length === 0
      ? -1
      : (options.knownPicks?.[g] ?? -1) >= 0
        ? options.knownPicks![g]!
        : sets.reduce((best, set, c) => (set.routes.length < sets[best]!.routes.length ? c : best), 0),
  )
  let choice: Choice = { picks, score: scoreChoice(search, picks) }
  // The walk weighs route driving alone, deadhead being dearer to measure; it is measured only for
  // the choices the walk and the mixing return.
  let kept = measureDriving(search, choice)
  while (!shouldStop() && now() < endMs) {
    choice = walkRouteSets(search, choice, Math.min(endMs, now() + (options.walkSliceMs ?? 1000)))
    kept = keepLessDriving(search, kept, choice)
    choice = mixRouteSets(search, choice, endMs)
    kept = keepLessDriving(search, kept, choice)
    reportProgress()
  }
  return {
    setsByGroup: search.setsByGroup,
    picks: kept.picks,
    routesByGroup: kept.picks.map((c, g) => (c < 0 ? [] : search.setsByGroup[g]![c]!.routes)),
  }
}

/** A choice with its vehicles and its driving: the routes' and the deadhead between them. */
interface DrivenChoice {
  picks: number[]
  vehicles: number
  drivingS: number
}

function measureDriving<R extends SetRoute>(search: Search<R>, choice: Choice): DrivenChoice {
  const vehicles = Math.floor(choice.score / VEHICLE_WEIGHT)
  const deadheadS = search.problem.measureDeadheadS?.(routesOf(search, choice.picks)) ?? 0
  return { picks: choice.picks, vehicles, drivingS: choice.score - vehicles * VEHICLE_WEIGHT + deadheadS }
}

/** Fewest vehicles, then least driving with the deadhead. */
function keepLessDriving<R extends SetRoute>(
  search: Search<R>,
  kept: DrivenChoice,
  choice: Choice,
): DrivenChoice {
  if (
    Math.floor(choice.score / VEHICLE_WEIGHT) > kept.vehicles ||
    choice.picks.join() === kept.picks.join()
  ) {
    return kept
  }
  const driven = measureDriving(search, choice)
  return driven.vehicles < kept.vehicles || driven.drivingS < kept.drivingS ? driven : kept
}

/** Fills `setsByGroup` with the distinct routings of each group not yet routed, under each of its caps. */
function routeUnderCaps<R extends SetRoute>(
  search: Search<R>,
  endMs: number,
  reportProgress: () => void,
): void {
  const { problem, now, shouldStop } = search
  const jobs = problem.itemsByGroup
    .flatMap((items, group) =>
      items.length === 0 || search.setsByGroup[group]!.length > 0
        ? []
        : problem.capsByGroup[group]!.map((capS, rank) => ({ group, capS, rank })),
    )
    .sort((a, b) => a.rank - b.rank)
  jobs.forEach((job, j) => {
    // The loosest cap runs for every group even when stopped: a plan needs them all.
    if (job.rank > 0 && (shouldStop() || now() >= endMs)) return
    const timeLimitMs = Math.max(1, (endMs - now()) / (jobs.length - j))
    const set = problem.routeItems(job.group, problem.itemsByGroup[job.group]!, job.capS, {
      timeLimitMs,
      seed: search.nextSeed++,
    })
    const sets = search.setsByGroup[job.group]!
    if (!sets.some((known) => sameRoutes(known, set))) sets.push(set)
    reportProgress()
  })
}

function routesOf<R extends SetRoute>(search: Search<R>, picks: number[]): R[] {
  return picks.flatMap((c, group) => (c < 0 ? [] : search.setsByGroup[group]![c]!.routes))
}

/** Vehicles in units of VEHICLE_WEIGHT, then route driving in seconds. */
function scoreChoice<R extends SetRoute>(search: Search<R>, picks: number[]): number {
  const travelS = picks.reduce(
    (sum, c, group) => sum + (c < 0 ? 0 : search.setsByGroup[group]![c]!.travelS),
    0,
  )
  return search.problem.countVehicles(routesOf(search, picks)) * VEHICLE_WEIGHT + travelS
}

/**
 * One round of mixing over the groups in random order: for each set of a group, keep the routes
 * that another trip leads into when that set is chosen, and serve the group's other items with
 * routes under its loosest cap, which are fewer. Each new mix joins the group's sets and is chosen
 * when it improves the score.
 */
function mixRouteSets<R extends SetRoute>(search: Search<R>, start: Choice, endMs: number): Choice {
  const { problem, setsByGroup, now, shouldStop } = search
  let choice = start
  const groupsWithItems = problem.itemsByGroup.flatMap((items, group) =>
    items.length > 0 && !search.frozen(group) ? [group] : [],
  )
  for (const group of shuffle(groupsWithItems, search.random)) {
    const sets = setsByGroup[group]!
    for (let c = 0; c < sets.length && !shouldStop() && now() < endMs; c++) {
      const routes = routesOf(search, withPick(choice.picks, group, c))
      const led = problem.listLedRoutes(routes)
      const kept = sets[c]!.routes.filter((route) => led.has(routes.indexOf(route)))
      if (kept.length === 0 || kept.length === sets[c]!.routes.length) continue
      const keptItems = new Set(kept.flatMap((route) => route.items))
      const restItems = problem.itemsByGroup[group]!.filter((item) => !keptItems.has(item))
      const rest = problem.routeItems(group, restItems, problem.capsByGroup[group]![0]!, {
        timeLimitMs: search.mixSearchMs,
        seed: search.nextSeed++,
      })
      const mixed = {
        routes: [...kept, ...rest.routes],
        travelS: kept.reduce((sum, r) => sum + r.travelS, rest.travelS),
      }
      if (sets.some((known) => sameRoutes(known, mixed))) continue
      sets.push(mixed)
      const picks = withPick(choice.picks, group, sets.length - 1)
      const score = scoreChoice(search, picks)
      if (score < choice.score) choice = { picks, score }
    }
  }
  return choice
}

function withPick(picks: number[], group: number, c: number): number[] {
  return picks.map((chosen, k) => (k === group ? c : chosen))
}

function sameRoutes(a: RouteSet<SetRoute>, b: RouteSet<SetRoute>): boolean {
  const key = (set: RouteSet<SetRoute>) =>
    set.routes
      .map((route) => route.items.join(','))
      .sort()
      .join('|')
  return key(a) === key(b)
}

/**
 * A walk over single-group changes of the route sets that accepts ties (to cross plateaus) and now
 * and then one more vehicle (to leave local optima), returning the best choice seen.
 */
function walkRouteSets<R extends SetRoute>(search: Search<R>, start: Choice, endMs: number): Choice {
  const { setsByGroup, random } = search
  let current = start
  let best = start
  const choosable = setsByGroup.flatMap((sets, group) =>
    sets.length > 1 && !search.frozen(group) ? [group] : [],
  )
  if (choosable.length === 0) return best
  while (!search.shouldStop() && search.now() < endMs) {
    const group = choosable[Math.floor(random() * choosable.length)]!
    const c = Math.floor(random() * setsByGroup[group]!.length)
    if (c === current.picks[group]) continue
    const picks = withPick(current.picks, group, c)
    const score = scoreChoice(search, picks)
    const extra = Math.floor(score / VEHICLE_WEIGHT) - Math.floor(current.score / VEHICLE_WEIGHT)
    if (extra <= 0 || (extra === 1 && random() < WORSE_ACCEPTANCE)) {
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
    ;[shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!]
  }
  return shuffled
}
