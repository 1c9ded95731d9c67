import type { PlanBusType } from './plan-model.js'

/**
 * The micro-bus is the smallest type that can always be hired. Custom-bus routes are first planned
 * with the seats of the bureau's most numerous bus; where buses that large run out, a group is
 * planned again with the next smaller seat count the fleet has, down to the largest type that can
 * always be hired, so that every chain finds a bus.
 */
export function chooseBusTypes(fleet: PlanBusType[]): { micro: PlanBusType | null; levels: PlanBusType[] } {
  const hired = fleet.filter((t) => t.available === null).sort((a, b) => a.seats - b.seats)
  const owned = fleet
    .filter((t) => t.available !== null && t.available > 0)
    .sort((a, b) => b.available! - a.available! || b.seats - a.seats)
  const largestHired = hired.at(-1)
  const first = owned[0] ?? largestHired ?? [...fleet].sort((a, b) => b.seats - a.seats)[0]!
  const floorSeats = largestHired ? Math.min(largestHired.seats, first.seats) : first.seats
  const levels = [first]
  for (const type of [...owned, ...hired].sort((a, b) => b.seats - a.seats)) {
    if (type.seats < levels.at(-1)!.seats && type.seats >= floorSeats) levels.push(type)
  }
  return { micro: hired.length > 1 ? hired[0]! : null, levels }
}
