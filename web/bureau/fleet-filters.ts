import { busStateOrder, busStates, type BusState } from '../../server/core/fleet/bus-state.js'
import type { FleetBus } from './bureau-contract.js'

/** What the bus list is narrowed to; null: any. */
export interface FleetFilter {
  townId: string | null
  schoolId: string | null
  state: BusState | null
}

export const noFleetFilter: FleetFilter = { townId: null, schoolId: null, state: null }

export function busMatches(filter: FleetFilter, bus: FleetBus): boolean {
  return (
    (filter.townId === null || bus.townId === filter.townId) &&
    (filter.schoolId === null || bus.schoolIds.includes(filter.schoolId)) &&
    (filter.state === null || bus.state === filter.state)
  )
}

/**
 * The buses the list shows, those to look at first on top (off route, silent, late, then the rest),
 * then by plate; the counts are by state among the buses the town and school leave, so that
 * choosing a state does not make the other states' counts fall to nothing.
 */
export function filterFleet(buses: readonly FleetBus[], filter: FleetFilter) {
  const inPlace = buses.filter((bus) => busMatches({ ...filter, state: null }, bus))
  const counts = Object.fromEntries(busStates.map((state) => [state, 0])) as Record<BusState, number>
  for (const bus of inPlace) counts[bus.state]++
  const shown = inPlace
    .filter((bus) => filter.state === null || bus.state === filter.state)
    .sort((a, b) => busStateOrder[a.state] - busStateOrder[b.state] || a.plate.localeCompare(b.plate))
  return { shown, counts, total: inPlace.length }
}
