import { describe, expect, it } from 'vitest'
import { countChainVehicles, chainTrips, type ChainableTrip } from './chain-trips.js'
import { listCapLadder, selectRouteSets, type RouteSet, type SetRoute } from './select-route-sets.js'

/** A route of items on a line, each item a place 100 s from the school at place 0 per item number. */
interface LineRoute extends SetRoute, ChainableTrip {}

/**
 * Two groups at one school (place 0): group 0's bell at 1000 s, group 1's at 1500 s. A route takes
 * at most three items and lasts 100 s per place of its farthest item plus 50 s per item; empty
 * driving takes 10 s per place. The cap decides how many items a route takes.
 */
function lineProblem() {
  const bellS = [1000, 1500]
  const itemsByGroup = [
    [1, 2, 3, 4],
    [1, 2, 3, 4],
  ]
  const routeItems = (group: number, items: number[], maxRouteS: number): RouteSet<LineRoute> => {
    const routes: LineRoute[] = []
    let current: number[] = []
    const durationS = (route: number[]) => 100 * Math.max(...route) + 50 * route.length
    for (const item of [...items].sort((a, b) => b - a)) {
      if (current.length === 3 || (current.length > 0 && durationS([...current, item]) > maxRouteS)) {
        routes.push(toRoute(group, current))
        current = []
      }
      current.push(item)
    }
    if (current.length > 0) routes.push(toRoute(group, current))
    return { routes, travelS: routes.reduce((sum, r) => sum + r.travelS, 0) }
  }
  const toRoute = (group: number, items: number[]): LineRoute => {
    const durationS = 100 * Math.max(...items) + 50 * items.length
    return {
      items,
      travelS: durationS,
      startS: bellS[group]! - durationS,
      endS: bellS[group]!,
      startPlace: Math.max(...items),
      endPlace: 0,
    }
  }
  const deadheadS = (from: number, to: number) => 10 * Math.abs(from - to)
  return {
    itemsByGroup,
    capsByGroup: itemsByGroup.map((items) =>
      listCapLadder(100 * Math.max(...items) + 50 * items.length, 100 * Math.max(...items) + 50, [450]),
    ),
    routeItems,
    countVehicles: (routes: LineRoute[]) => countChainVehicles(routes, deadheadS),
    listLedRoutes: (routes: LineRoute[]) =>
      new Set(chainTrips(routes, deadheadS).flatMap((chain) => chain.slice(1))),
  }
}

/** A clock that moves one millisecond per reading, so that runs repeat exactly. */
function steppingClock() {
  let ms = 0
  return () => ++ms
}

describe('listCapLadder', () => {
  it('steps from the loosest cap down to the tightest and adds gap caps within them', () => {
    // 50 + 300 and 650 + 300 lie between ladder steps; 1100.5 lies next to 1100, the rest outside.
    const caps = listCapLadder(1200, 100, [50, 650, 1100.5, 5000])
    expect(caps).toHaveLength(12 + 3)
    expect(caps[0]).toBe(1200)
    expect(caps[11]).toBe(100)
    expect(caps.slice(12)).toEqual([350, 650, 950])
    expect(Math.min(...caps)).toBe(100)
  })
})

describe('selectRouteSets', () => {
  it('serves every item of every group once and chooses routes that chain onto fewer vehicles', () => {
    const problem = lineProblem()
    const { routesByGroup, setsByGroup } = selectRouteSets(problem, {
      timeLimitMs: 400,
      seed: 1,
      now: steppingClock(),
      shouldStop: () => false,
    })
    routesByGroup.forEach((routes, g) => {
      expect(routes.flatMap((r) => r.items).sort()).toEqual(problem.itemsByGroup[g])
    })
    expect(setsByGroup.every((sets) => sets.length > 1)).toBe(true)
    const chosen = routesByGroup.flat()
    // Loosest, group 1's long route starts too early to follow group 0's: three buses. Under the
    // tightest cap both of group 1's routes follow one of group 0's: two.
    const loosest = setsByGroup.flatMap((sets) => sets[0]!.routes)
    expect(problem.countVehicles(loosest)).toBe(3)
    expect(problem.countVehicles(chosen)).toBe(2)
  })

  it('keeps known routings and starts from the known picks', () => {
    const problem = lineProblem()
    const first = selectRouteSets(problem, {
      timeLimitMs: 300,
      seed: 2,
      now: steppingClock(),
      shouldStop: () => false,
    })
    const again = selectRouteSets(problem, {
      timeLimitMs: 300,
      seed: 2,
      now: steppingClock(),
      shouldStop: () => true,
      knownSets: first.setsByGroup,
      knownPicks: first.picks,
    })
    expect(again.picks).toEqual(first.picks)
    expect(again.setsByGroup.map((sets) => sets.length)).toEqual(first.setsByGroup.map((sets) => sets.length))
  })

  it('keeps a frozen group’s known pick as it is and chooses only the others’', () => {
    const problem = lineProblem()
    // Group 1 (the later bell) known under its loosest cap, picked, and under its tightest: with the
    // loosest its long route cannot follow group 0's, so the tightest saves a bus.
    const caps = problem.capsByGroup[1]!
    const loosest = problem.routeItems(1, problem.itemsByGroup[1]!, caps[0]!)
    const tightest = problem.routeItems(1, problem.itemsByGroup[1]!, Math.min(...caps))
    const routed: number[] = []
    const select = (frozenGroups?: boolean[]) =>
      selectRouteSets(
        {
          ...problem,
          routeItems: (group, items, maxRouteS) => {
            routed.push(group)
            return problem.routeItems(group, items, maxRouteS)
          },
        },
        {
          timeLimitMs: 400,
          seed: 1,
          now: steppingClock(),
          shouldStop: () => false,
          knownSets: [[], [loosest, tightest]],
          knownPicks: [-1, 0],
          frozenGroups,
        },
      )
    const frozen = select([false, true])
    expect(new Set(routed)).toEqual(new Set([0]))
    expect(frozen.setsByGroup[1]).toEqual([loosest, tightest])
    expect(frozen.picks[1]).toBe(0)
    expect(frozen.routesByGroup[1]).toEqual(loosest.routes)
    expect(frozen.routesByGroup[0]!.flatMap((r) => r.items).sort()).toEqual(problem.itemsByGroup[0])
    // Not frozen, the same group is chosen again, for a bus fewer: what freezing keeps it from.
    const free = select()
    expect(free.picks[1]).not.toBe(0)
    expect(problem.countVehicles(free.routesByGroup.flat())).toBeLessThan(
      problem.countVehicles(frozen.routesByGroup.flat()),
    )
  })

  it('routes every group under its loosest cap even when stopped at once', () => {
    const { routesByGroup, setsByGroup } = selectRouteSets(lineProblem(), {
      timeLimitMs: 60000,
      seed: 1,
      now: steppingClock(),
      shouldStop: () => true,
    })
    expect(setsByGroup.map((sets) => sets.length)).toEqual([1, 1])
    expect(routesByGroup.map((routes) => routes.map((r) => r.items))).toEqual([
      [[4, 3, 2], [1]],
      [[4, 3, 2], [1]],
    ])
  })

  it('of the choices of fewest vehicles returns the least driving with the deadhead between routes', () => {
    const deadheadS = (from: number, to: number) => 10 * Math.abs(from - to)
    const route = (place: number, startS: number, travelS: number): LineRoute => ({
      items: [1],
      travelS,
      startS,
      endS: startS + travelS,
      startPlace: place,
      endPlace: 0,
    })
    // One bus either way: group 1's shorter route starts far from where group 0's ends.
    const sets = [
      [{ routes: [route(1, 900, 100)], travelS: 100 }],
      [
        { routes: [route(1, 1200, 120)], travelS: 120 },
        { routes: [route(9, 1200, 110)], travelS: 110 },
      ],
    ]
    const problem = {
      itemsByGroup: [[1], [1]],
      capsByGroup: [[1000], [1000]],
      routeItems: (): RouteSet<LineRoute> => {
        throw new Error('known routings need no routing')
      },
      countVehicles: (routes: LineRoute[]) => countChainVehicles(routes, deadheadS),
      listLedRoutes: (routes: LineRoute[]) =>
        new Set(chainTrips(routes, deadheadS).flatMap((chain) => chain.slice(1))),
    }
    const measureDeadheadS = (routes: LineRoute[]) =>
      chainTrips(routes, deadheadS)
        .flatMap((chain) =>
          chain.slice(1).map((t, k) => deadheadS(routes[chain[k]!]!.endPlace, routes[t]!.startPlace)),
        )
        .reduce((a, b) => a + b, 0)
    const select = (withDeadhead: boolean) =>
      selectRouteSets(withDeadhead ? { ...problem, measureDeadheadS } : problem, {
        timeLimitMs: 200,
        seed: 3,
        now: steppingClock(),
        shouldStop: () => false,
        knownSets: sets,
        knownPicks: [0, 0],
      }).picks
    expect(select(false)).toEqual([0, 1])
    expect(select(true)).toEqual([0, 0])
  })
})
