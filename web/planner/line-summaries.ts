import type { PlanResult } from './planner-contract.js'

/** A line as the list shows it; `school_bus` is a custom-bus route run by the bureau's own buses. */
export type LineKind = 'micro_bus' | 'custom_bus' | 'school_bus'

export interface LineSummary {
  id: string
  name: string
  kind: LineKind
  /** The line's calls in order, each with the times its runs leave there (arrive, at the last). */
  stops: { stopId: string; timesS: number[] }[]
  buses: number
  pupils: number
}

/**
 * The plan's lines for the list: their calls with times, the buses their runs use and the pupils
 * they carry. A custom-bus route all of whose buses are the bureau's own is a school bus's route.
 */
export function summarizeLines(result: PlanResult): LineSummary[] {
  const hiredType = new Map((result.metrics.parts ?? []).map((part) => [part.busTypeId, part.hired]))
  const tripById = new Map(result.trips.map((trip) => [trip.id, trip]))
  const vehicleOf = new Map(result.vehicles.flatMap((v) => v.tripIds.map((id) => [id, v] as const)))
  return result.lines.map((line) => {
    const trips = line.tripIds
      .flatMap((id) => tripById.get(id) ?? [])
      .sort((a, b) => (a.stops[0]?.departS ?? 0) - (b.stops[0]?.departS ?? 0))
    const vehicles = new Set(trips.flatMap((trip) => vehicleOf.get(trip.id) ?? []))
    const pupils = new Set(trips.flatMap((trip) => trip.stops.flatMap((stop) => stop.board)))
    const ownBuses = vehicles.size > 0 && [...vehicles].every((v) => hiredType.get(v.busTypeId) === false)
    return {
      id: line.id,
      name: line.name,
      kind: line.kind === 'custom_bus' && ownBuses ? 'school_bus' : line.kind,
      stops: line.stopIds.map((stopId) => ({
        stopId,
        timesS: trips.flatMap((trip) => {
          const at = trip.stops.findIndex((stop) => stop.stopId === stopId)
          if (at < 0) return []
          const call = trip.stops[at]!
          return [at === trip.stops.length - 1 ? call.arriveS : call.departS]
        }),
      })),
      buses: vehicles.size,
      pupils: pupils.size,
    }
  })
}
