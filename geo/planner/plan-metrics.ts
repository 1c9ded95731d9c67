import type { RouteLeg } from '../routing/router.js'
import type {
  PlanBusType,
  PlanMetrics,
  PlannedTrip,
  PlannedVehicle,
  PlanPupil,
  ServicePart,
} from './plan-model.js'
import { findWalkLimitM, type StopSettings } from './place-stops.js'
import { findPeakLoad } from './time-trip.js'

/** A service as measured: today's or a plan's, on a set of pupils. */
export interface MeasuredService {
  pupils: PlanPupil[]
  trips: PlannedTrip[]
  vehicles: PlannedVehicle[]
  /** Walk from home to the stop, for pupils who have one. */
  walkM: Map<string, number>
}

export interface MeasureContext {
  fleet: PlanBusType[]
  settings: StopSettings
  /** Empty driving between two stops. */
  drive: (fromStopId: string, toStopId: string) => RouteLeg
  /** Driving from the nearest depot to a stop (`toDepot` false) or back. */
  driveDepot: (stopId: string, toDepot: boolean) => RouteLeg
}

/**
 * One measure for today's service and for a plan, so that the comparison is fair. Bus-km and
 * bus-hours count driving only (trips, empty runs between them, and to and from the depot); the
 * day's idle hours are in the per-day cost.
 */
export function measureService(service: MeasuredService, context: MeasureContext): PlanMetrics {
  const inScope = new Set(service.pupils.map((p) => p.id))
  const tripById = new Map(service.trips.map((t) => [t.id, t]))
  const typeById = new Map(context.fleet.map((t) => [t.id, t]))
  const served = new Set<string>()
  const ridesS: number[] = []
  for (const trip of service.trips) {
    trip.stops.forEach((stop, k) => {
      for (const pupilId of stop.board) {
        if (!inScope.has(pupilId)) continue
        served.add(pupilId)
        const off = trip.stops.findIndex((later, m) => m > k && later.alight.includes(pupilId))
        if (off >= 0) ridesS.push(trip.stops[off]!.arriveS - stop.departS)
      }
    })
  }
  const walks = service.pupils.flatMap((p) => {
    const walkM = service.walkM.get(p.id)
    return served.has(p.id) && walkM !== undefined ? [{ pupil: p, walkM }] : []
  })
  let distanceM = 0
  let durationS = 0
  let costYuan = 0
  const seatShares: number[] = []
  const parts = new Map<string, ServicePart>()
  for (const vehicle of service.vehicles) {
    const type = typeById.get(vehicle.busTypeId)
    const trips = vehicle.tripIds.map((id) => tripById.get(id)!).filter(Boolean)
    if (trips.length === 0) continue
    const legs: RouteLeg[] = [
      context.driveDepot(trips[0]!.stops[0]!.stopId, false),
      ...trips.map((t) => ({ distanceM: t.distanceM, durationS: t.durationS })),
      ...trips.slice(1).map((t, k) => context.drive(trips[k]!.stops.at(-1)!.stopId, t.stops[0]!.stopId)),
      context.driveDepot(trips.at(-1)!.stops.at(-1)!.stopId, true),
    ]
    const vehicleM = legs.reduce((sum, leg) => sum + leg.distanceM, 0)
    const vehicleS = legs.reduce((sum, leg) => sum + leg.durationS, 0)
    distanceM += vehicleM
    durationS += vehicleS
    if (type) {
      const vehicleYuan =
        type.costPerDayYuan +
        (vehicleM / 1000) * type.costPerKmYuan +
        (vehicleS / 3600) * type.costPerHourYuan
      costYuan += vehicleYuan
      for (const trip of trips) seatShares.push(findPeakLoad(trip.stops) / type.seats)
      const part = parts.get(type.id) ?? {
        busTypeId: type.id,
        seats: type.seats,
        hired: type.available === null,
        buses: 0,
        busKmPerDay: 0,
        busHoursPerDay: 0,
        costPerDayYuan: 0,
      }
      part.buses += 1
      part.busKmPerDay += vehicleM / 1000
      part.busHoursPerDay += vehicleS / 3600
      part.costPerDayYuan += vehicleYuan
      parts.set(type.id, part)
    }
  }
  const mean = (values: number[]) =>
    values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length
  const pupils = service.pupils.length
  return {
    pupils,
    pupilsServed: served.size,
    coverageWithinWalk:
      pupils === 0
        ? 0
        : walks.filter(({ pupil, walkM }) => walkM <= findWalkLimitM(pupil, context.settings)).length /
          pupils,
    meanWalkM: mean(walks.map((w) => w.walkM)),
    maxWalkM: Math.max(0, ...walks.map((w) => w.walkM)),
    meanRideS: mean(ridesS),
    maxRideS: Math.max(0, ...ridesS),
    buses: service.vehicles.length,
    busKmPerDay: distanceM / 1000,
    busHoursPerDay: durationS / 3600,
    seatUse: mean(seatShares),
    costPerDayYuan: costYuan,
    parts: [...parts.values()].sort((a, b) => Number(a.hired) - Number(b.hired) || b.seats - a.seats),
  }
}
