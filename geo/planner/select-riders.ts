import type { PlannedStop, PlanPupil, UnservedPupil } from './plan-model.js'
import type { StopPlacement } from './place-stops.js'

/** The placed pupils who ride, and the stops as those riders use them. */
export interface SelectedRiders {
  /** Pupil id → stop id, for every pupil placed at a stop (riders or not). */
  stopOf: Map<string, string>
  /** The placement's unserved pupils and those whose ride would be too long. */
  unserved: UnservedPupil[]
  riders: PlanPupil[]
  riderById: Map<string, PlanPupil>
  /** The placed stops with only their riders, the schools those riders go to and their longest walk. */
  stops: PlannedStop[]
}

/**
 * Takes off the stops the pupils whose drive between stop and school, either way, is longer than
 * the longest ride allowed: no bus could carry them within it.
 */
export function selectRiders(
  pupils: PlanPupil[],
  placement: StopPlacement,
  maxRideS: number,
  driveS: (from: string, to: string) => number,
): SelectedRiders {
  const stopOf = new Map(placement.stops.flatMap((stop) => stop.pupilIds.map((id) => [id, stop.id] as const)))
  const unserved: UnservedPupil[] = [...placement.unserved]
  const riders: PlanPupil[] = []
  for (const pupil of pupils) {
    const stopId = stopOf.get(pupil.id)
    if (stopId === undefined) continue
    const tooLong = driveS(stopId, pupil.schoolId) > maxRideS || driveS(pupil.schoolId, stopId) > maxRideS
    if (tooLong) unserved.push({ pupilId: pupil.id, reason: 'ride_too_long' })
    else riders.push(pupil)
  }
  const riderById = new Map(riders.map((p) => [p.id, p]))
  const stops = placement.stops.map((stop) => {
    const pupilIds = stop.pupilIds.filter((id) => riderById.has(id))
    return {
      ...stop,
      pupilIds,
      schoolIds: [...new Set(pupilIds.map((id) => riderById.get(id)!.schoolId))].sort(),
      maxWalkM: Math.max(0, ...pupilIds.map((id) => placement.walkM.get(id)!)),
    }
  })
  return { stopOf, unserved, riders, riderById, stops }
}
