import { measureDistanceM } from '../routing/earth-distance.js'
import type { PlannedVehicle, PlanPupil, TodayService, TodayTrip } from './plan-model.js'
import type { MeasuredService } from './plan-metrics.js'

/**
 * Today's service as a measured service on `pupils`: the trips that carry any of them (with only
 * them on board), a regulation bus's trips on that bus, and each line's runs chained onto the
 * fewest buses by `chainRuns`, a line keeping its own buses. Walks are straight lines from home to
 * the stop, as today's stops were not placed on the walking network.
 */
export function describeTodayService(
  today: TodayService,
  pupils: PlanPupil[],
  chainRuns: (runs: TodayTrip[]) => number[][],
): MeasuredService {
  const inScope = new Set(pupils.map((p) => p.id))
  const trips = today.trips
    .map((trip) => ({
      ...trip,
      stops: trip.stops.map((stop) => ({
        ...stop,
        board: stop.board.filter((id) => inScope.has(id)),
        alight: stop.alight.filter((id) => inScope.has(id)),
      })),
    }))
    .filter((trip) => trip.stops.some((stop) => stop.board.length > 0))
  const vehicles: PlannedVehicle[] = []
  const byVehicle = new Map<string, TodayTrip[]>()
  const byLine = new Map<string, TodayTrip[]>()
  for (const trip of trips) {
    const key = trip.vehicleId ?? trip.lineId
    const groups = trip.vehicleId === null ? byLine : byVehicle
    groups.set(key, [...(groups.get(key) ?? []), trip])
  }
  for (const [vehicleId, own] of byVehicle) {
    own.sort((a, b) => a.stops[0]!.arriveS - b.stops[0]!.arriveS)
    vehicles.push({ id: vehicleId, busTypeId: own[0]!.busTypeId, tripIds: own.map((t) => t.id) })
  }
  for (const [lineId, runs] of byLine) {
    chainRuns(runs).forEach((chain, k) =>
      vehicles.push({
        id: `${lineId}-bus-${k + 1}`,
        busTypeId: runs[0]!.busTypeId,
        tripIds: chain.map((i) => runs[i]!.id),
      }),
    )
  }
  const stopById = new Map(today.stops.map((s) => [s.id, s]))
  const pupilById = new Map(pupils.map((p) => [p.id, p]))
  const walkM = new Map<string, number>()
  for (const trip of trips) {
    if (trip.direction !== 'to_school') continue
    for (const stop of trip.stops) {
      for (const id of stop.board)
        walkM.set(id, measureDistanceM(pupilById.get(id)!.home, stopById.get(stop.stopId)!.location))
    }
  }
  return { pupils, trips, vehicles, walkM }
}

/** The pupils who ride a micro-bus or custom-bus line today. */
export function listLineRiders(today: TodayService): Set<string> {
  return new Set(
    today.trips.filter((t) => t.kind !== 'school_bus').flatMap((t) => t.stops.flatMap((s) => s.board)),
  )
}
