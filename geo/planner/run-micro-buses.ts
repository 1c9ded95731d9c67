import type { TravelTable } from './build-travel-table.js'
import { designMicroBusLines, runMicroBusLine } from './micro-bus-lines.js'
import type { PlanBusType, PlanInput, PlannedLine, PlannedStop, PlanPupil } from './plan-model.js'
import type { PupilWindows } from './school-bells.js'
import type { DraftTrip } from './time-trip.js'

/** What the micro-bus lines need besides the riders and their stops. */
export interface MicroBusContext {
  table: TravelTable
  placeOf: (id: string) => number
  riderById: Map<string, PlanPupil>
  stopOf: Map<string, string>
  windowOf: PupilWindows
}

/**
 * Designs the micro-bus lines and times their runs. Without a micro-bus type there are none, and
 * every rider goes on a custom-bus route.
 */
export function runMicroBuses(
  micro: PlanBusType | null,
  riders: PlanPupil[],
  stops: PlannedStop[],
  input: PlanInput,
  context: MicroBusContext,
): { lines: Omit<PlannedLine, 'geometry'>[]; microTrips: DraftTrip[]; onMicro: Set<string> } {
  const { table, placeOf, riderById, stopOf, windowOf } = context
  const { settings } = input
  const lines: Omit<PlannedLine, 'geometry'>[] = []
  const microTrips: DraftTrip[] = []
  const onMicro = new Set<string>()
  if (micro) {
    const designs = designMicroBusLines(riders, stops, input, { table, placeOf })
    for (const design of designs) {
      const { line, trips } = runMicroBusLine(design, {
        table,
        placeOf,
        pupilById: riderById,
        stopOf,
        schools: input.schools,
        settings,
        seats: micro.seats,
        busTypeId: micro.id,
        windowOf,
      })
      lines.push(line)
      microTrips.push(...trips)
      for (const id of design.pupilIds) onMicro.add(id)
    }
  }
  return { lines, microTrips, onMicro }
}
