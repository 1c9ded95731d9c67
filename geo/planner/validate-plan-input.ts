import { GeoError } from '../geo-error.js'
import type { PlanInput } from './plan-model.js'

/** Refuses an input the planner cannot read, naming the field. */
export function validatePlanInput(input: PlanInput): void {
  const fail = (field: string, message: string): never => {
    throw new GeoError('invalid_input', `${field}: ${message}`, { field })
  }
  const schools = new Map(input.schools.map((school) => [school.id, school]))
  if (schools.size !== input.schools.length) fail('schools', 'a school id is listed twice')
  if (input.fleet.length === 0) fail('fleet', 'no bus type')
  if (new Set(input.fleet.map((type) => type.id)).size !== input.fleet.length)
    fail('fleet', 'a bus type id is listed twice')
  input.fleet.forEach((type, i) => {
    if (!(Number.isInteger(type.seats) && type.seats >= 1))
      fail(`fleet[${i}].seats`, 'expected a positive whole number')
    if (type.available !== null && !(Number.isInteger(type.available) && type.available >= 0))
      fail(`fleet[${i}].available`, 'expected a whole number or null')
  })
  input.pupils.forEach((pupil, i) => {
    const school = schools.get(pupil.schoolId)
    if (!school) return fail(`pupils[${i}].schoolId`, `unknown school ${pupil.schoolId}`)
    if (!school.startTimes.some((start) => start.grade === pupil.grade))
      fail(`pupils[${i}].grade`, `${school.id} has no start time for grade ${pupil.grade}`)
    if (!school.dismissalWaves.some((wave) => wave.id === pupil.dismissalWaveId))
      fail(`pupils[${i}].dismissalWaveId`, `${school.id} has no wave ${pupil.dismissalWaveId}`)
  })
  const { settings } = input
  if (!(settings.maxRideS > 0)) fail('settings.maxRideS', 'expected a positive duration')
  if (!(settings.arriveBeforeBellMinS >= 0 && settings.arriveBeforeBellMinS <= settings.arriveBeforeBellMaxS))
    fail('settings.arriveBeforeBellMinS', 'expected 0 ≤ arriveBeforeBellMinS ≤ arriveBeforeBellMaxS')
  settings.shiftWindows.forEach((window, i) => {
    if (!(window.earliestMin <= window.latestMin))
      fail(`settings.shiftWindows[${i}]`, 'earliestMin after latestMin')
  })
}
