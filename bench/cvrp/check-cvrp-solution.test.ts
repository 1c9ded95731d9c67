import { describe, expect, it } from 'vitest'
import { checkCvrpSolution } from './check-cvrp-solution.js'
import { readCvrplibInstance } from './read-cvrplib.js'
import { TINY_VRP } from './tiny-vrp.fixture.js'

const instance = readCvrplibInstance(TINY_VRP)

describe('checkCvrpSolution', () => {
  it('sums the rounded legs of each route, depot legs included', () => {
    // 0→(3,4) 5, →(6,8) 5, →(0,0) 10; 0→(0,7) 7, →(-1,-1) 8, →0 1
    expect(
      checkCvrpSolution(instance, [
        [1, 2],
        [3, 4],
      ]),
    ).toEqual({ feasible: true, cost: 36, problems: [] })
  })

  it('reports a route over capacity', () => {
    const check = checkCvrpSolution(instance, [[1, 2, 4], [3]])
    expect(check.feasible).toBe(false)
    expect(check.problems).toEqual(['route 1: load 12 over capacity 10'])
  })

  it('reports customers missed, repeated or unknown', () => {
    const check = checkCvrpSolution(instance, [[1, 2], [1, 4], [9]])
    expect(check.feasible).toBe(false)
    expect(check.problems).toEqual([
      'route 3: 9 is not a customer',
      'customer 1 visited 2 times',
      'customer 3 visited 0 times',
    ])
  })
})
