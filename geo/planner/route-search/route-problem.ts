/**
 * The routing problem every planner in this folder reduces to: serve each customer once from one
 * depot with vehicles of one capacity. A school's morning routes, its afternoon routes (on the
 * transposed matrix), a line's runs and a classic CVRP instance are all this problem.
 */
export interface RouteProblem {
  /** Node 0 is the depot; customers are 1..nodeCount-1. */
  nodeCount: number
  /** Load of each node (demand[0] is 0). */
  demand: ArrayLike<number>
  capacity: number
  /** travel[i * nodeCount + j]: cost of driving from i to j (seconds, or distance for CVRP). */
  travel: ArrayLike<number>
  /** Time spent at each node (stop dwell); 0 when omitted. */
  serviceS?: ArrayLike<number>
  /**
   * `closed`: depot → customers → depot (CVRP).
   * `to_depot`: the route starts at its first customer and ends at the depot (a morning school
   * route: the bus arrives empty at its first stop and unloads at the school).
   */
  shape: 'closed' | 'to_depot'
  /**
   * Longest ride of any customer on a `to_depot` route: from leaving its node to reaching the
   * depot, counting the travel and the service of every later node (not its own service).
   */
  maxRideS?: number
  /**
   * Longest route: for `to_depot`, from arriving at the first customer (its service included) to
   * reaching the depot; for `closed`, from leaving the depot to returning.
   */
  maxRouteS?: number
  /** Added to the objective once per route, so that fewer routes win over shorter driving. */
  routeCost?: number
}

export interface RouteSearchOptions {
  /** Stop after this long by `now`. */
  timeLimitMs?: number
  /** Stop after this many ruin-and-recreate iterations (deterministic runs in tests). */
  maxIterations?: number
  seed?: number
  /** Milliseconds; Date.now when omitted. */
  now?: () => number
  /** Polled between iterations: true cancels the search, which returns the best so far. */
  shouldStop?: () => boolean
  /** Called with each new best solution. */
  onImprovement?: (best: RouteSolution) => void
  /** Routes to start from instead of the construction heuristic (must be feasible). */
  initialRoutes?: number[][]
}

export interface RouteSolution {
  /** Customer node numbers of each route in driving order, depot left out. */
  routes: number[][]
  /** Sum of travel over all routes (the depot legs the shape has included). */
  travel: number
  /** travel + routeCost × routes. */
  objective: number
  iterations: number
}
