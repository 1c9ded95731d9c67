import type { FleetTrip } from './fleet-from-registers.js'
import type { StopCallEvent } from './simulated-report.js'

/** One scan of a pupil's card by the bus's attendant, as the attendant's phone records it. */
export interface SimulatedScan {
  busId: string
  tripId: string
  pupilId: string
  action: 'boarded' | 'alighted'
  stopId: string
  atMs: number
}

/**
 * The attendant's scans of one service day, from what really happened at the stops: the pupils
 * due to board at a call are scanned on as the bus leaves it, and everyone aboard whose stop it is
 * (or whose stop the bus went past without calling) is scanned off as it arrives; at the trip's
 * last call everyone left gets off. A pupil `leftAboard` names for a trip is never scanned off:
 * the child asleep on the back seat whom the child-left-on-bus alarm is for.
 */
export function createAttendantScans(
  trips: readonly FleetTrip[],
  options: { leftAboard?: (tripId: string) => string | undefined } = {},
) {
  const tripById = new Map(trips.map((trip) => [trip.id, trip]))
  /** Per trip, who is aboard and the index of the call they get off at. */
  const aboard = new Map<string, Map<string, number>>()

  const alightIndex = (trip: FleetTrip, pupilId: string) => {
    const index = trip.stops.findIndex((call) => call.alight.includes(pupilId))
    return index < 0 ? trip.stops.length - 1 : index
  }

  return {
    /** The scans a stop call makes, at the call's time. */
    onStopCall(event: StopCallEvent): SimulatedScan[] {
      const trip = tripById.get(event.tripId)
      const call = trip?.stops[event.stopIndex]
      if (!trip || !call) return []
      let riders = aboard.get(trip.id)
      if (!riders) aboard.set(trip.id, (riders = new Map()))
      const scan = (pupilId: string, action: SimulatedScan['action']): SimulatedScan => ({
        busId: event.busId,
        tripId: trip.id,
        pupilId,
        action,
        stopId: call.stopId,
        atMs: event.atMs,
      })
      if (event.event === 'depart') {
        for (const pupilId of call.board) riders.set(pupilId, alightIndex(trip, pupilId))
        return call.board.map((pupilId) => scan(pupilId, 'boarded'))
      }
      const last = event.stopIndex === trip.stops.length - 1
      const left = options.leftAboard?.(trip.id)
      const off: SimulatedScan[] = []
      for (const [pupilId, index] of riders) {
        if (pupilId === left || (index > event.stopIndex && !last)) continue
        riders.delete(pupilId)
        off.push(scan(pupilId, 'alighted'))
      }
      return off
    },
  }
}
