import type { SbrpInstance } from './read-sbrp-instance.js'

/** A solution as written to and read from files: ids as in the instance, everything in driving order. */
export interface SbrpSolution {
  buses: { routes: { school: string; stops: string[] }[] }[]
}

export type SbrpViolation =
  | { kind: 'stop_missing'; stopId: string }
  | { kind: 'stop_served_twice'; stopId: string }
  | { kind: 'unknown_stop'; stopId: string; bus: number; route: number }
  | { kind: 'unknown_school'; schoolId: string; bus: number; route: number }
  | { kind: 'wrong_school'; stopId: string; schoolId: string; bus: number; route: number }
  | { kind: 'empty_route'; bus: number; route: number }
  | { kind: 'overfull'; bus: number; route: number; students: number }
  | { kind: 'ride_too_long'; bus: number; route: number; stopId: string; rideS: number; excessS: number }
  | { kind: 'chain_too_tight'; bus: number; route: number; lateS: number }
  | { kind: 'same_school_twice'; bus: number; route: number; schoolId: string }

export interface SbrpCheck {
  feasible: boolean
  violations: SbrpViolation[]
  /** Buses with at least one route. */
  buses: number
  /** Driving of all buses: yard → routes (between them too) → yard, stop and unloading times left out. */
  drivingS: number
}

/*
 * The model is restated here on purpose rather than shared with the solver, so that a mistake in
 * the solver's timing cannot hide itself.
 */
const SPEED_FT_PER_S = 29.3333333
const YARD = { x: 105600, y: 105600 }
const CAPACITY = 66
const UNLOAD_S = 154.4
const TOLERANCE_S = 1e-6

const driveS = (a: { x: number; y: number }, b: { x: number; y: number }) =>
  (Math.abs(a.x - b.x) + Math.abs(a.y - b.y)) / SPEED_FT_PER_S
const boardS = (students: number) => 19 + 2.6 * students

/** Every violation of the morning school-bus model in a solution, and its bus count and driving. */
export function checkSbrpSolution(
  instance: SbrpInstance,
  solution: SbrpSolution,
  maxRideS: number,
): SbrpCheck {
  const schoolById = new Map(instance.schools.map((school) => [school.id, school]))
  const stopById = new Map(instance.stops.map((stop) => [stop.id, stop]))
  const violations: SbrpViolation[] = []
  const served = new Set<string>()
  let drivingS = 0
  let buses = 0

  solution.buses.forEach((bus, b) => {
    if (bus.routes.length === 0) return
    buses++
    let place: { x: number; y: number } = YARD
    let previous: { schoolId: string; startS: number } | undefined
    bus.routes.forEach((route, r) => {
      const school = schoolById.get(route.school)
      if (!school) violations.push({ kind: 'unknown_school', schoolId: route.school, bus: b, route: r })
      const stops = route.stops.flatMap((stopId) => {
        const stop = stopById.get(stopId)
        if (!stop) {
          violations.push({ kind: 'unknown_stop', stopId, bus: b, route: r })
          return []
        }
        if (served.has(stopId)) violations.push({ kind: 'stop_served_twice', stopId })
        served.add(stopId)
        if (stop.schoolId !== route.school) {
          violations.push({ kind: 'wrong_school', stopId, schoolId: route.school, bus: b, route: r })
        }
        return [stop]
      })
      if (stops.length === 0) {
        violations.push({ kind: 'empty_route', bus: b, route: r })
        return
      }
      const students = stops.reduce((sum, stop) => sum + stop.students, 0)
      if (students > CAPACITY) violations.push({ kind: 'overfull', bus: b, route: r, students })
      if (!school) return

      // Walk backwards from the school: the ride of a stop's pupils is what lies after it.
      let rideS = 0
      let routeDrivingS = 0
      for (let k = stops.length - 1; k >= 0; k--) {
        const next = k === stops.length - 1 ? school : stops[k + 1]
        routeDrivingS += driveS(stops[k], next)
        rideS += driveS(stops[k], next) + (k === stops.length - 1 ? 0 : boardS(stops[k + 1].students))
        if (rideS > maxRideS + TOLERANCE_S) {
          violations.push({
            kind: 'ride_too_long',
            bus: b,
            route: r,
            stopId: stops[k].id,
            rideS,
            excessS: rideS - maxRideS,
          })
        }
      }
      const serviceS = boardS(stops[0].students) + rideS
      drivingS += driveS(place, stops[0]) + routeDrivingS

      if (previous) {
        if (previous.schoolId === school.id) {
          violations.push({ kind: 'same_school_twice', bus: b, route: r, schoolId: school.id })
        }
        const readyS = previous.startS + driveS(place, stops[0]) + serviceS + UNLOAD_S
        if (readyS > school.startS + TOLERANCE_S) {
          violations.push({ kind: 'chain_too_tight', bus: b, route: r, lateS: readyS - school.startS })
        }
      }
      previous = { schoolId: school.id, startS: school.startS }
      place = school
    })
    drivingS += driveS(place, YARD)
  })

  for (const stop of instance.stops) {
    if (!served.has(stop.id)) violations.push({ kind: 'stop_missing', stopId: stop.id })
  }
  return { feasible: violations.length === 0, violations, buses, drivingS }
}
