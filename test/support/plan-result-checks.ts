import { expect } from 'vitest'
import type { PlanInput, PlanResult } from '../../geo/planner/plan-model.js'
import { listMorningBells, listShiftedWaves } from '../../geo/planner/school-bells.js'
import { TURNAROUND_S } from '../../geo/planner/assign-vehicles.js'

/**
 * What every plan must satisfy, for the planner's tests: each pupil rides exactly one trip each
 * way to and from its own school or is unserved with a reason, no bus carries more pupils than its
 * seats, no ride is longer than the limit, every school call is within its bell's or wave's window,
 * each bus type is used at most as often as it exists, and a bus's trips follow each other with
 * time to drive between them.
 */
export function expectValidPlan(
  input: PlanInput,
  result: PlanResult,
  driveS: (fromStopId: string, toStopId: string) => number,
): void {
  const { settings } = input
  const pupilById = new Map(input.pupils.map((p) => [p.id, p]))
  const unserved = new Map(result.unserved.map((u) => [u.pupilId, u.reason]))
  expect(unserved.size).toBe(result.unserved.length)
  const rides = new Map<string, { to: number; from: number }>()
  const tripById = new Map(result.trips.map((t) => [t.id, t]))
  const vehicleOf = new Map<string, string>()
  for (const vehicle of result.vehicles)
    for (const id of vehicle.tripIds) {
      expect(vehicleOf.has(id), `trip ${id} on two buses`).toBe(false)
      vehicleOf.set(id, vehicle.busTypeId)
    }
  expect(vehicleOf.size).toBe(result.trips.length)
  const seatsOf = new Map(input.fleet.map((t) => [t.id, t.seats]))
  for (const trip of result.trips) {
    const morning = trip.direction === 'to_school'
    let onBoard = 0
    trip.stops.forEach((stop, k) => {
      if (k > 0) expect(stop.arriveS).toBeGreaterThanOrEqual(trip.stops[k - 1]!.departS)
      expect(stop.departS).toBeGreaterThanOrEqual(stop.arriveS)
      onBoard += stop.board.length - stop.alight.length
      expect(onBoard, `trip ${trip.id} over its seats`).toBeLessThanOrEqual(
        seatsOf.get(vehicleOf.get(trip.id)!)!,
      )
      for (const id of stop.board) {
        const pupil = pupilById.get(id)!
        const count = rides.get(id) ?? { to: 0, from: 0 }
        rides.set(id, morning ? { ...count, to: count.to + 1 } : { ...count, from: count.from + 1 })
        const off = trip.stops.findIndex((later, m) => m > k && later.alight.includes(id))
        expect(off, `pupil ${id} never leaves trip ${trip.id}`).toBeGreaterThan(k)
        const rideS = trip.stops[off]!.arriveS - stop.departS
        expect(rideS, `ride of ${id} on ${trip.id}`).toBeLessThanOrEqual(settings.maxRideS)
        expect(morning ? trip.stops[off]!.stopId : stop.stopId).toBe(pupil.schoolId)
        const school = input.schools.find((s) => s.id === pupil.schoolId)!
        if (morning) {
          const bell = listMorningBells(school, settings.timeShifts).find((b) =>
            b.grades.includes(pupil.grade),
          )!
          const arriveS = trip.stops[off]!.arriveS
          expect(arriveS, `${trip.id} arrives too early`).toBeGreaterThanOrEqual(
            bell.timeS - settings.arriveBeforeBellMaxS,
          )
          expect(arriveS, `${trip.id} arrives too late`).toBeLessThanOrEqual(
            bell.timeS - settings.arriveBeforeBellMinS,
          )
        } else {
          const wave = listShiftedWaves(school, settings.timeShifts).find(
            (w) => w.waveId === pupil.dismissalWaveId,
          )!
          expect(stop.arriveS).toBeGreaterThanOrEqual(wave.timeS)
          expect(stop.departS).toBeLessThanOrEqual(wave.timeS + settings.departAfterDismissalMaxS)
        }
      }
    })
  }
  for (const pupil of input.pupils) {
    const count = rides.get(pupil.id)
    if (unserved.has(pupil.id)) expect(count, `unserved ${pupil.id} rides`).toBeUndefined()
    else expect(count, `pupil ${pupil.id}`).toEqual({ to: 1, from: 1 })
  }
  for (const type of input.fleet) {
    if (type.available === null) continue
    expect(result.vehicles.filter((v) => v.busTypeId === type.id).length).toBeLessThanOrEqual(type.available)
  }
  for (const vehicle of result.vehicles) {
    const trips = vehicle.tripIds.map((id) => tripById.get(id)!)
    trips.slice(1).forEach((next, k) => {
      const previous = trips[k]!
      const readyS =
        previous.stops.at(-1)!.departS +
        TURNAROUND_S +
        driveS(previous.stops.at(-1)!.stopId, next.stops[0]!.stopId)
      expect(readyS, `${vehicle.id}: ${previous.id} then ${next.id}`).toBeLessThanOrEqual(
        next.stops[0]!.arriveS,
      )
    })
  }
  expect(result.metrics.buses).toBe(result.vehicles.length)
}
