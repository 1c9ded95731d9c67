import { searchRoutes } from './route-search/search-routes.js'
import type { RouteProblem, RouteSearchOptions } from './route-search/route-problem.js'
import type { PlannedLine, PlanSchool, PlanSettings } from './plan-model.js'
import type { TravelTable } from './build-travel-table.js'
import {
  draftTrip,
  findDwellS,
  timeTrip,
  type DraftTrip,
  type TripAnchor,
  type TripCall,
} from './time-trip.js'
import { formatDayTime } from './format-day-time.js'
import type { PupilWindows } from './school-bells.js'

/** The pupils of one school who travel at one time in one direction: one routing problem. */
export interface RideGroup {
  key: string
  school: PlanSchool
  direction: 'to_school' | 'from_school'
  /** The bell (morning) or the wave's release (afternoon), after the time shifts. */
  timeS: number
  waveId: string | null
  anchor: TripAnchor
  /** Stop id → the pupils who get on (morning) or off (afternoon) there. */
  pupilsByStop: Map<string, string[]>
}

/**
 * Added to the objective per route: an hour of driving, so that the search gives up up to an hour
 * of driving to save a bus trip (each trip is a bus and a driver at the busiest time of the day).
 */
export const ROUTE_COST_S = 3600

export interface RoutedGroup {
  lines: Omit<PlannedLine, 'geometry'>[]
  trips: DraftTrip[]
}

/**
 * Routes one group as a `to_depot` problem with the school as depot; an afternoon group on the
 * transposed table, so that a route read backwards leaves the school. A stop with more pupils than
 * seats becomes several customers at the same place.
 */
export function routeRideGroup(
  group: RideGroup,
  context: {
    table: TravelTable
    placeOf: (id: string) => number
    settings: PlanSettings
    capacity: number
    busTypeId: string
    search: RouteSearchOptions
    windowOf: PupilWindows
  },
): RoutedGroup {
  const { table, placeOf, settings, capacity } = context
  const customers: { stopId: string; pupils: string[] }[] = []
  for (const [stopId, pupils] of [...group.pupilsByStop].sort(([a], [b]) => a.localeCompare(b))) {
    for (let start = 0; start < pupils.length; start += capacity) {
      customers.push({ stopId, pupils: pupils.slice(start, start + capacity) })
    }
  }
  const schoolPlace = placeOf(group.school.id)
  const nodePlaces = [schoolPlace, ...customers.map((c) => placeOf(c.stopId))]
  const nodeCount = nodePlaces.length
  const travel = new Float64Array(nodeCount * nodeCount)
  const morning = group.direction === 'to_school'
  for (let i = 0; i < nodeCount; i++) {
    for (let j = 0; j < nodeCount; j++) {
      const [from, to] = morning ? [nodePlaces[i]!, nodePlaces[j]!] : [nodePlaces[j]!, nodePlaces[i]!]
      travel[i * nodeCount + j] = table.durationS[from * table.count + to]!
    }
  }
  const demand = [0, ...customers.map((c) => c.pupils.length)]
  const problem: RouteProblem = {
    nodeCount,
    demand,
    capacity,
    travel,
    serviceS: demand.map((pupils, node) => (node === 0 ? 0 : findDwellS(pupils))),
    shape: 'to_depot',
    maxRideS: settings.maxRideS,
    routeCost: ROUTE_COST_S,
  }
  const solution = searchRoutes(problem, context.search)
  const lines: Omit<PlannedLine, 'geometry'>[] = []
  const trips: DraftTrip[] = []
  solution.routes.forEach((route, r) => {
    const riders = route.flatMap((node) => customers[node - 1]!.pupils)
    const stopCalls: TripCall[] = route.map((node) => {
      const { stopId, pupils } = customers[node - 1]!
      return { place: nodePlaces[node]!, stopId, board: morning ? pupils : [], alight: morning ? [] : pupils }
    })
    const schoolCall: TripCall = {
      place: schoolPlace,
      stopId: group.school.id,
      board: morning ? [] : riders,
      alight: morning ? riders : [],
    }
    const calls = morning ? [...stopCalls, schoolCall] : [schoolCall, ...stopCalls.reverse()]
    const anchor = morning
      ? { call: 'last' as const, arriveS: group.timeS - settings.arriveBeforeBellMinS }
      : { call: 'first' as const, arriveS: group.timeS }
    const timed = timeTrip(calls, table, anchor)
    const lineId = `cb-${group.key}-${r + 1}`
    const when = morning
      ? `早 ${formatDayTime(group.timeS).slice(0, 5)}`
      : `放学 ${formatDayTime(group.timeS).slice(0, 5)}`
    lines.push({
      id: lineId,
      name: `${group.school.name} 定制公交 ${when} ${r + 1}号`,
      kind: 'custom_bus',
      busTypeId: context.busTypeId,
      stopIds: timed.stops.map((stop) => stop.stopId),
      schoolIds: [group.school.id],
      tripIds: [`${lineId}-t1`],
    })
    const trip = {
      id: `${lineId}-t1`,
      lineId,
      direction: group.direction,
      schoolIds: [group.school.id],
      waveId: group.waveId,
      ...timed,
    }
    trips.push(
      draftTrip(
        trip,
        calls.map((call) => call.place),
        [group.anchor],
        context.windowOf,
      ),
    )
  })
  return { lines, trips }
}
