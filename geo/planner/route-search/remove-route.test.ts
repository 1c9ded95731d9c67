import { describe, expect, it } from 'vitest'
import { createSeededRandom } from '../../random/seeded-random.js'
import { AbsentCustomers } from './absent-customers.js'
import { prepareRouteInstance } from './prepare-route-instance.js'
import { removeSmallestRoute } from './remove-route.js'
import { RouteState } from './route-state.js'

const NODE_COUNT = 7
const instance = prepareRouteInstance({
  nodeCount: NODE_COUNT,
  demand: [0, 1, 1, 1, 1, 1, 1],
  capacity: 6,
  travel: Array.from({ length: NODE_COUNT * NODE_COUNT }, (_, k) => (k % (NODE_COUNT + 1) === 0 ? 0 : 10)),
  shape: 'closed',
})

function loadState(routes: number[][]): RouteState {
  const state = new RouteState(instance)
  for (const route of routes) {
    const slot = state.openRoute()
    route.forEach((c, k) => state.insertCustomer(c, slot, k))
  }
  return state
}

describe('removeSmallestRoute', () => {
  it('empties the route with the fewest customers and returns one of them', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const state = loadState([[1, 2, 3], [4, 5], [6]])
      const absent = new AbsentCustomers(NODE_COUNT)
      expect(removeSmallestRoute(state, absent, createSeededRandom(seed))).toBe(6)
      expect(Array.from(absent.items.subarray(0, absent.count))).toEqual([6])
      expect(state.toRoutes()).toEqual([
        [1, 2, 3],
        [4, 5],
      ])
    }
  })

  it('breaks ties at random and removes the whole route', () => {
    const emptied = new Set<string>()
    for (let seed = 1; seed <= 20; seed++) {
      const state = loadState([
        [1, 2],
        [3, 4],
        [5, 6],
      ])
      const absent = new AbsentCustomers(NODE_COUNT)
      const centre = removeSmallestRoute(state, absent, createSeededRandom(seed))
      const removed = Array.from(absent.items.subarray(0, absent.count)).sort()
      expect(removed).toHaveLength(2)
      expect(removed).toContain(centre)
      expect(state.activeCount).toBe(2)
      expect(state.toRoutes().flat()).not.toContain(centre)
      emptied.add(removed.join(','))
    }
    expect(emptied.size).toBeGreaterThan(1)
  })
})
