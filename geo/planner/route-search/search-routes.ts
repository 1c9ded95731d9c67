import { createSeededRandom } from '../../random/seeded-random.js'
import { AbsentCustomers } from './absent-customers.js'
import { annealTemperature, scaleTemperatures } from './anneal-temperature.js'
import { buildInitialRoutes } from './build-initial-routes.js'
import { createInsertionBuffers, insertCustomers } from './insert-customers.js'
import { prepareRouteInstance } from './prepare-route-instance.js'
import { rankNeighbours } from './rank-neighbours.js'
import { removeSmallestRoute } from './remove-route.js'
import { createRemovalBuffers, removeStrings, SISR_REMOVAL } from './remove-strings.js'
import type { RouteProblem, RouteSearchOptions, RouteSolution } from './route-problem.js'
import { RouteState } from './route-state.js'

/** Iterations when the caller sets neither a time nor an iteration limit. */
export const DEFAULT_MAX_ITERATIONS = 10_000
const BLINK_RATE = 0.01
/** Share of iterations that also try to empty the smallest route, when routes have a cost. */
const ROUTE_REMOVAL_RATE = 0.5

function describeSolution(state: RouteState, iterations: number): RouteSolution {
  const travel = state.totalTravel()
  return { routes: state.toRoutes(), travel, objective: state.objective(), iterations }
}

/**
 * Ruin-and-recreate after Christiaens & Vanden Berghe's SISR: adjacent string removal, greedy
 * insertion with blinks, and simulated annealing whose temperature falls over the iteration or time
 * budget (whichever runs out first). With a route cost, half the ruins also empty the smallest route.
 * Deterministic for a seed and maxIterations without a time limit. Throws GeoError for bad input and
 * for a customer that cannot be served even alone (capacity, maxRideS or maxRouteS).
 */
export function searchRoutes(problem: RouteProblem, options: RouteSearchOptions = {}): RouteSolution {
  const instance = prepareRouteInstance(problem)
  const now = options.now ?? Date.now
  const startMs = now()
  const timeLimitMs = options.timeLimitMs ?? Infinity
  const maxIterations =
    options.maxIterations ?? (options.timeLimitMs === undefined ? DEFAULT_MAX_ITERATIONS : Infinity)
  const rng = createSeededRandom(options.seed ?? 1)
  const insertion = createInsertionBuffers(instance.nodeCount)
  const current = new RouteState(instance)
  buildInitialRoutes(instance, current, insertion, rng, options.initialRoutes)
  const best = new RouteState(instance)
  best.copyFrom(current)
  let bestObjective = best.objective()
  options.onImprovement?.(describeSolution(best, 0))
  if (instance.nodeCount <= 2) return describeSolution(best, 0)

  const neighbours = rankNeighbours(instance)
  const removal = createRemovalBuffers(instance.nodeCount)
  const absent = new AbsentCustomers(instance.nodeCount)
  const temperatures = scaleTemperatures(instance)
  let candidate = new RouteState(instance)
  let working = current
  let workingObjective = bestObjective
  const customerCount = instance.nodeCount - 1
  let iterations = 0
  while (iterations < maxIterations) {
    const elapsedMs = now() - startMs
    if (elapsedMs >= timeLimitMs || options.shouldStop?.()) break
    const progress = Math.max(iterations / maxIterations, elapsedMs / timeLimitMs)
    const temperature = annealTemperature(temperatures, progress)
    candidate.copyFrom(working)
    const seed =
      instance.routeCost > 0 && candidate.activeCount > 1 && rng.next() < ROUTE_REMOVAL_RATE
        ? removeSmallestRoute(candidate, absent, rng)
        : 1 + Math.floor(rng.next() * customerCount)
    removeStrings(candidate, absent, neighbours, removal, rng, seed, SISR_REMOVAL)
    insertCustomers(instance, candidate, absent, insertion, rng, BLINK_RATE)
    iterations++
    const objective = candidate.objective()
    if (objective < workingObjective - temperature * Math.log(rng.next())) {
      const previous = working
      working = candidate
      candidate = previous
      workingObjective = objective
      if (objective < bestObjective) {
        best.copyFrom(working)
        bestObjective = objective
        options.onImprovement?.(describeSolution(best, iterations))
      }
    }
  }
  return describeSolution(best, iterations)
}
