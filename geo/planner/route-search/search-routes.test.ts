import { describe, expect, it } from 'vitest'
import { createSeededRandom } from '../../random/seeded-random.js'
import { GeoError } from '../../geo-error.js'
import type { RouteProblem, RouteSolution } from './route-problem.js'
import { searchRoutes } from './search-routes.js'

const TOLERANCE = 1e-6

/**
 * Recomputes everything from the problem's definition, sharing no code with the search: the broken
 * rules (empty when feasible), the travel and the objective.
 */
function checkSolution(problem: RouteProblem, routes: number[][]) {
  const n = problem.nodeCount
  const t = (i: number, j: number) => problem.travel[i * n + j]
  const s = (i: number) => problem.serviceS?.[i] ?? 0
  const maxRideS = (problem.maxRideS ?? Infinity) + TOLERANCE
  const maxRouteS = (problem.maxRouteS ?? Infinity) + TOLERANCE
  const broken: string[] = []
  const seen = new Set<number>()
  let travel = 0
  routes.forEach((route, r) => {
    if (route.length === 0) broken.push(`route ${r} is empty`)
    let load = 0
    for (const c of route) {
      if (seen.has(c)) broken.push(`customer ${c} twice`)
      seen.add(c)
      load += problem.demand[c]
    }
    if (load > problem.capacity) broken.push(`route ${r} carries ${load}`)
    let driven = problem.shape === 'closed' ? t(0, route[0]) : 0
    for (let k = 1; k < route.length; k++) driven += t(route[k - 1], route[k])
    driven += t(route[route.length - 1], 0)
    travel += driven
    const services = route.reduce((sum, c) => sum + s(c), 0)
    if (driven + services > maxRouteS) broken.push(`route ${r} lasts ${driven + services}`)
    if (problem.shape === 'to_depot') {
      for (let k = 0; k < route.length; k++) {
        let ride = 0
        for (let j = k + 1; j < route.length; j++) ride += t(route[j - 1], route[j]) + s(route[j])
        ride += t(route[route.length - 1], 0)
        if (ride > maxRideS) broken.push(`customer ${route[k]} rides ${ride}`)
      }
    }
  })
  if (seen.size !== n - 1) broken.push(`${seen.size} of ${n - 1} customers served`)
  return { broken, travel, objective: travel + (problem.routeCost ?? 0) * routes.length }
}

function expectConsistent(problem: RouteProblem, solution: RouteSolution): void {
  const { broken, travel, objective } = checkSolution(problem, solution.routes)
  expect(broken).toEqual([])
  expect(solution.travel).toBeCloseTo(travel, 6)
  expect(solution.objective).toBeCloseTo(objective, 6)
}

interface RandomProblemOptions {
  customers: number
  shape: RouteProblem['shape']
  seed: number
  asymmetric?: boolean
}

/** Points on a 3 km square, travel in seconds; asymmetric adds a one-way detour to some legs. */
function createRandomProblem({ customers, shape, seed, asymmetric }: RandomProblemOptions): RouteProblem {
  const rng = createSeededRandom(seed)
  const n = customers + 1
  const x = Array.from({ length: n }, () => rng.between(0, 3000))
  const y = Array.from({ length: n }, () => rng.between(0, 3000))
  const travel = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const detour = asymmetric && i !== j && rng.chance(0.3) ? rng.between(0, 120) : 0
      travel[i * n + j] = Math.round(Math.hypot(x[i] - x[j], y[i] - y[j]) / 8 + detour)
    }
  }
  return {
    nodeCount: n,
    demand: Array.from({ length: n }, (_, i) => (i === 0 ? 0 : rng.int(1, 6))),
    capacity: 24,
    travel,
    serviceS: Array.from({ length: n }, (_, i) => (i === 0 ? 0 : rng.int(10, 40))),
    shape,
    maxRideS: shape === 'to_depot' ? 600 : undefined,
    maxRouteS: shape === 'to_depot' ? 750 : 1000,
    routeCost: rng.chance(0.5) ? 600 : 0,
  }
}

/** Every ordered partition of the customers, for the exact optimum of tiny problems. */
function solveByBruteForce(problem: RouteProblem): number {
  const customers = Array.from({ length: problem.nodeCount - 1 }, (_, i) => i + 1)
  let best = Infinity
  const permute = (rest: number[], order: number[]) => {
    if (rest.length === 0) {
      for (let cuts = 0; cuts < 1 << (order.length - 1); cuts++) {
        const routes: number[][] = [[order[0]]]
        for (let k = 1; k < order.length; k++) {
          if (cuts & (1 << (k - 1))) routes.push([])
          routes[routes.length - 1].push(order[k])
        }
        const objective = evaluateIfFeasible(problem, routes)
        if (objective < best) best = objective
      }
      return
    }
    rest.forEach((c, i) => permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...order, c]))
  }
  permute(customers, [])
  return best
}

function evaluateIfFeasible(problem: RouteProblem, routes: number[][]): number {
  const { broken, objective } = checkSolution(problem, routes)
  return broken.length === 0 ? objective : Infinity
}

describe('searchRoutes', () => {
  it.each([
    ['closed', false],
    ['to_depot', false],
    ['closed', true],
    ['to_depot', true],
  ] as const)(
    'respects capacity and time limits on random %s problems (asymmetric %s)',
    (shape, asymmetric) => {
      for (let seed = 1; seed <= 6; seed++) {
        const problem = createRandomProblem({ customers: 30, shape, seed, asymmetric })
        const solution = searchRoutes(problem, { maxIterations: 400, seed })
        expectConsistent(problem, solution)
        expect(solution.iterations).toBe(400)
      }
    },
  )

  it.each(['closed', 'to_depot'] as const)('finds the brute-force optimum of tiny %s problems', (shape) => {
    for (let seed = 1; seed <= 8; seed++) {
      const problem = createRandomProblem({
        customers: 4 + (seed % 4),
        shape,
        seed,
        asymmetric: seed % 2 === 0,
      })
      const solution = searchRoutes(problem, { maxIterations: 1500, seed })
      expectConsistent(problem, solution)
      expect(solution.objective).toBeCloseTo(solveByBruteForce(problem), 6)
    }
  })

  it('gives the same routes for the same seed', () => {
    const problem = createRandomProblem({ customers: 40, shape: 'to_depot', seed: 3 })
    const first = searchRoutes(problem, { maxIterations: 300, seed: 42 })
    const second = searchRoutes(problem, { maxIterations: 300, seed: 42 })
    expect(second).toEqual(first)
  })

  it('counts a to_depot ride from leaving a stop to reaching the depot, without its own service', () => {
    // 1 → 2 → depot: customer 1 rides travel(1,2) 10 + service(2) 5 + travel(2,0) 10 = 25; the
    // route lasts service(1) 5 + 25 = 30. Serving them apart drives 15 + 10 = 25.
    const travel = [0, 99, 99, 15, 0, 10, 10, 10, 0]
    const problem: RouteProblem = {
      nodeCount: 3,
      demand: [0, 1, 1],
      capacity: 2,
      travel,
      serviceS: [0, 5, 5],
      shape: 'to_depot',
      routeCost: 100,
    }
    const run = (limits: Partial<RouteProblem>) =>
      searchRoutes({ ...problem, ...limits }, { maxIterations: 50 })
    expect(run({ maxRideS: 25, maxRouteS: 30 }).routes).toEqual([[1, 2]])
    expect(run({ maxRideS: 25, maxRouteS: 30 }).travel).toBe(20)
    expect(run({ maxRideS: 24 }).routes).toHaveLength(2)
    expect(run({ maxRideS: 25, maxRouteS: 29 }).routes).toHaveLength(2)
    expect(run({ maxRideS: 24 }).objective).toBe(225)
  })

  it('stops when shouldStop says so and returns the best found so far', () => {
    const problem = createRandomProblem({ customers: 40, shape: 'closed', seed: 5 })
    let polls = 0
    const improvements: number[] = []
    const solution = searchRoutes(problem, {
      maxIterations: 100_000,
      shouldStop: () => ++polls > 25,
      onImprovement: (best) => improvements.push(best.objective),
    })
    expect(solution.iterations).toBe(25)
    expectConsistent(problem, solution)
    expect(solution.objective).toBe(improvements[improvements.length - 1])
    expect(improvements).toEqual([...improvements].sort((a, b) => b - a))
  })

  it('stops at the time limit by the injected clock', () => {
    const problem = createRandomProblem({ customers: 20, shape: 'closed', seed: 9 })
    let clockMs = 0
    const solution = searchRoutes(problem, { timeLimitMs: 100, now: () => (clockMs += 1) })
    expect(solution.iterations).toBeGreaterThan(90)
    expect(solution.iterations).toBeLessThan(100)
  })

  it('starts from initialRoutes and inserts the customers they leave out', () => {
    const problem = createRandomProblem({ customers: 8, shape: 'closed', seed: 2 })
    const initialRoutes = [[3, 1], [2], [4, 5]]
    const kept = searchRoutes({ ...problem, maxRouteS: undefined }, { maxIterations: 0, initialRoutes })
    const keptOrder = kept.routes
      .slice(0, 3)
      .map((route, r) => route.filter((c) => initialRoutes[r].includes(c)))
    expect(keptOrder).toEqual(initialRoutes)
    expectConsistent({ ...problem, maxRouteS: undefined }, kept)
    const full = [
      [3, 1, 6],
      [2, 8],
      [4, 5, 7],
    ]
    expect(
      searchRoutes({ ...problem, maxRouteS: undefined }, { maxIterations: 0, initialRoutes: full }).routes,
    ).toEqual(full)
  })

  it('rejects initialRoutes that repeat a customer or break a limit', () => {
    const problem = createRandomProblem({ customers: 8, shape: 'closed', seed: 2 })
    expect(() => searchRoutes(problem, { initialRoutes: [[1, 2], [2]] })).toThrow(
      expect.objectContaining({ field: 'initialRoutes[1][0]' }),
    )
    expect(() => searchRoutes(problem, { initialRoutes: [[1, 2, 3, 4, 5, 6, 7, 8]] })).toThrow(GeoError)
  })

  it.each([
    ['travel', { travel: [0, 1, 1, 0] }],
    ['travel[4]', { travel: [0, 1, 1, 1, NaN, 1, 1, 1, 0] }],
    ['demand[2]', { demand: [0, 1, 9] }],
    ['demand[1]', { demand: [0, NaN, 1] }],
    ['maxRideS', { maxRideS: NaN }],
    ['maxRideS', { maxRideS: 0.5 }],
    ['capacity', { capacity: -1 }],
    ['serviceS', { serviceS: [0, 1] }],
  ])('rejects bad input naming the field %s', (field, change) => {
    const problem: RouteProblem = {
      nodeCount: 3,
      demand: [0, 1, 1],
      capacity: 4,
      travel: [0, 1, 1, 1, 0, 1, 1, 1, 0],
      shape: 'to_depot',
      ...change,
    }
    expect(() => searchRoutes(problem, { maxIterations: 10 })).toThrow(
      expect.objectContaining({ name: 'GeoError', code: 'invalid_input', field }),
    )
  })

  it('handles a depot without customers', () => {
    const solution = searchRoutes({ nodeCount: 1, demand: [0], capacity: 1, travel: [0], shape: 'closed' })
    expect(solution).toEqual({ routes: [], travel: 0, objective: 0, iterations: 0 })
  })
})
