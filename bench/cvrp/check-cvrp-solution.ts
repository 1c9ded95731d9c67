import type { CvrpInstance } from './read-cvrplib.js'

export interface CvrpCheck {
  feasible: boolean
  /** Sum of the rounded Euclidean lengths of the routes, depot legs included. */
  cost: number
  /** Why the routes are infeasible; empty when feasible. */
  problems: string[]
}

/**
 * Recomputes a solution's cost straight from the instance's coordinates, independently of the route
 * search: every customer exactly once, no route over capacity, each leg rounded to the nearest
 * integer. Routes are numbered as in CVRPLIB .sol files (customer c is the c-th non-depot node).
 */
export function checkCvrpSolution(instance: CvrpInstance, routes: number[][]): CvrpCheck {
  const problems: string[] = []
  const nodeIds = [instance.depotId]
  for (let id = 1; id <= instance.dimension; id++) if (id !== instance.depotId) nodeIds.push(id)
  const customerCount = instance.dimension - 1
  const visits = new Array<number>(customerCount + 1).fill(0)
  const point = (id: number) => [instance.coordinates[(id - 1) * 2], instance.coordinates[(id - 1) * 2 + 1]]
  const distance = (a: number, b: number) => {
    const [ax, ay] = point(a)
    const [bx, by] = point(b)
    return Math.floor(Math.sqrt((ax - bx) ** 2 + (ay - by) ** 2) + 0.5)
  }
  let cost = 0
  routes.forEach((route, r) => {
    let load = 0
    let previous = instance.depotId
    for (const customer of route) {
      if (!Number.isInteger(customer) || customer < 1 || customer > customerCount) {
        problems.push(`route ${r + 1}: ${customer} is not a customer`)
        continue
      }
      visits[customer]++
      const id = nodeIds[customer]
      load += instance.demand[id - 1]
      cost += distance(previous, id)
      previous = id
    }
    cost += distance(previous, instance.depotId)
    if (load > instance.capacity)
      problems.push(`route ${r + 1}: load ${load} over capacity ${instance.capacity}`)
  })
  for (let c = 1; c <= customerCount; c++) {
    if (visits[c] !== 1) problems.push(`customer ${c} visited ${visits[c]} times`)
  }
  return { feasible: problems.length === 0, cost, problems }
}
