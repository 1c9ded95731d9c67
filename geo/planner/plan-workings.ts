import type { TravelTable } from './build-travel-table.js'
import type { RideGroup } from './custom-bus-routes.js'
import type { PlanInput, PlannedLine, PlannedStop, UnservedPupil } from './plan-model.js'
import { listPlanPlaces } from './plan-places.js'
import { listMorningBells, type WindowSettings } from './school-bells.js'
import type { DraftTrip } from './time-trip.js'

/**
 * What a plan keeps besides its result so that a what-if on the same pupils, schools, fleet and
 * roads plans again only what its time shifts touch: the stops as placed (with every pupil's walk),
 * the travel table between the plan's places, and the routes chosen for each ride group. None of
 * these depends on a bell or a wave's time except the routes, which are kept per group under a
 * signature of the times its pupils' windows hang on.
 */
export interface PlanWorkings {
  /** Every stop placed, before riders with too long a ride were taken off them. */
  stops: PlannedStop[]
  /** The pupils the placement could not serve, with the reason. */
  unserved: UnservedPupil[]
  /** Pupil id and walk on the road network to its stop, for every pupil placed at a stop. */
  walkM: [string, number][]
  /** Between the places of `listPlanPlaces` over these stops, in that order. */
  table: TravelTable
  groups: KeptRideGroup[]
  /** Signatures of the micro-bus line runs, to tell the runs a what-if timed again. */
  microRuns: string[]
  /** The workings of the line riders' plan behind the comparison, when there was one. */
  lineRiders: PlanWorkings | null
}

/** A custom-bus ride group's chosen routes: each route's customers (see listCustomers) in order. */
export interface KeptRideGroup {
  signature: string
  /** The bus type its routes were planned for (groups move to smaller types where large ones run out). */
  busTypeId: string
  routes: number[][]
}

/** What a what-if re-uses of its base plan: the workings, and the drawn lines whose calls stay. */
export interface PlanBase {
  workings: PlanWorkings
  lines: PlannedLine[]
}

/**
 * What a group's routes hang on besides the pupils (the same whenever the plan's input is): its
 * key, direction and time, and in the morning every grade's own bell after the shifts, because a
 * merged bell keeps its time when a later grade moves within it but that grade's window does not.
 */
export function signRideGroup(group: RideGroup, settings: WindowSettings): string {
  const pupils = [...group.pupilsByStop.values()].reduce((sum, ids) => sum + ids.length, 0)
  const head = `${group.key}|${group.direction}|${group.timeS}|${pupils}`
  if (!('grades' in group.anchor)) return head
  const bells = listMorningBells(group.school, settings.timeShifts)
  const gradeBells = group.anchor.grades.map(
    (grade) => `${grade}@${bells.find((bell) => bell.grades.includes(grade))?.timeS ?? '-'}`,
  )
  return `${head}|${gradeBells.join(',')}`
}

/** A micro-bus run as a what-if compares it with the base's: its line, number, times and riders. */
export function signMicroRun(draft: DraftTrip): string {
  const { trip } = draft
  const pupils = trip.stops.reduce((sum, stop) => sum + stop.board.length, 0)
  return `${trip.id}|${trip.stops[0]!.arriveS}|${draft.slack.earlierS}|${draft.slack.laterS}|${pupils}`
}

/**
 * Whether stored workings can stand for this input's stops and table: every pupil placed at one
 * stop or unserved once, and the table as large as the places they make. The caller has already
 * made sure the input is the base's but for the times; this guards against workings of another.
 */
export function fitsWorkings(workings: PlanWorkings, input: PlanInput): boolean {
  const seen = new Set<string>()
  const ids = [...workings.stops.flatMap((stop) => stop.pupilIds), ...workings.unserved.map((u) => u.pupilId)]
  for (const id of ids) {
    if (seen.has(id)) return false
    seen.add(id)
  }
  if (seen.size !== input.pupils.length || input.pupils.some((pupil) => !seen.has(pupil.id))) return false
  const { count, durationS, distanceM } = workings.table
  const places = listPlanPlaces(input, workings.stops).points.length
  return count === places && durationS.length === count * count && distanceM.length === count * count
}
