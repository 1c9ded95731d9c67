import { describe, expect, it } from 'vitest'
import {
  measureCvrpDistances,
  readCvrplibInstance,
  readCvrplibSolution,
  toRouteProblem,
} from './read-cvrplib.js'
import { TINY_VRP } from './tiny-vrp.fixture.js'

describe('readCvrplibInstance', () => {
  it('reads the header and the sections of a .vrp', () => {
    const instance = readCvrplibInstance(TINY_VRP)
    expect(instance.name).toBe('X-tiny')
    expect(instance.dimension).toBe(5)
    expect(instance.capacity).toBe(10)
    expect(instance.depotId).toBe(1)
    expect(Array.from(instance.demand)).toEqual([0, 4, 5, 6, 3])
    expect(Array.from(instance.coordinates)).toEqual([0, 0, 3, 4, 6, 8, 0, 7, -1, -1])
  })

  it('rounds each Euclidean distance to the nearest integer', () => {
    const travel = measureCvrpDistances(readCvrplibInstance(TINY_VRP))
    expect(travel[0 * 5 + 1]).toBe(5)
    expect(travel[1 * 5 + 2]).toBe(5)
    expect(travel[0 * 5 + 4]).toBe(1) // √2 ≈ 1.41
    expect(travel[2 * 5 + 3]).toBe(6) // √(36 + 1) ≈ 6.08
    expect(travel[3 * 5 + 4]).toBe(8) // √(1 + 64) ≈ 8.06
    expect(travel[3 * 5 + 2]).toBe(travel[2 * 5 + 3])
  })

  it('numbers customers as the .vrp node ids minus 1 in the route problem', () => {
    const problem = toRouteProblem(readCvrplibInstance(TINY_VRP))
    expect(problem).toMatchObject({ nodeCount: 5, capacity: 10, shape: 'closed', demand: [0, 4, 5, 6, 3] })
  })

  it('rejects an edge weight type it cannot compute', () => {
    expect(() => readCvrplibInstance(TINY_VRP.replace('EUC_2D', 'GEO'))).toThrow(
      expect.objectContaining({ field: 'EDGE_WEIGHT_TYPE' }),
    )
  })

  it('rejects a demand section that misses a node', () => {
    expect(() => readCvrplibInstance(TINY_VRP.replace('5\t3\n', ''))).toThrow(
      expect.objectContaining({ field: 'DEMAND_SECTION' }),
    )
  })
})

describe('readCvrplibSolution', () => {
  it('reads the routes and the cost of a .sol', () => {
    const solution = readCvrplibSolution('Route #1: 1 2\nRoute #2: 4\r\nRoute #3: 3\nCost 42\n')
    expect(solution).toEqual({ routes: [[1, 2], [4], [3]], cost: 42 })
  })

  it('requires a Cost line', () => {
    expect(() => readCvrplibSolution('Route #1: 1 2\n')).toThrow(expect.objectContaining({ field: 'Cost' }))
  })
})
