import type { CixiWorld, Line, Pupil, TripStop } from '../../fixtures/cixi-world.js'
import { parseClockTime } from '../../fixtures/clock-time.js'
import {
  defaultPlanSettings,
  type PlanBusType,
  type PlanInput,
  type PlannedTripStop,
  type PlanSettings,
  type TodayService,
  type TodayTrip,
} from '../../geo/planner/plan-model.js'

export type PupilScope =
  { kind: 'riders' } | { kind: 'line_riders' } | { kind: 'schools'; schoolIds: string[] }

/** The lines named in the bureau's reply: 微1, 微2, 微3 and the 界牌 custom-bus pilot. */
const TODAY_LINE_IDS = new Set(['w1', 'w2', 'w3', 'jiepai-custom'])

export const MICRO_BUS_TYPE_ID = 'micro-bus'
export const CUSTOM_BUS_TYPE_ID = 'custom-bus'

/**
 * Unit costs are assumptions for the bureau to set, not figures from its reply. An own regulation
 * bus costs its driver and attendant, insurance and depreciation per school day; hired micro-buses
 * and custom buses are paid per day with the operator's driver, so their hour costs more.
 */
const REGULATION_COSTS = { costPerDayYuan: 600, costPerKmYuan: 2.5, costPerHourYuan: 20 }
const MICRO_BUS: PlanBusType = {
  id: MICRO_BUS_TYPE_ID,
  name: '微公交 24座',
  seats: 24,
  available: null,
  costPerDayYuan: 380,
  costPerKmYuan: 1.6,
  costPerHourYuan: 35,
}
const CUSTOM_BUS: PlanBusType = {
  id: CUSTOM_BUS_TYPE_ID,
  name: '定制公交 35座',
  seats: 35,
  available: null,
  costPerDayYuan: 520,
  costPerKmYuan: 2.2,
  costPerHourYuan: 40,
}

function regulationTypeId(seats: number): string {
  return `regulation-${seats}`
}

function selectPupils(world: CixiWorld, scope: PupilScope): Pupil[] {
  switch (scope.kind) {
    case 'riders':
      return world.pupils.filter((p) => p.transport.mode !== 'none')
    case 'line_riders':
      return world.pupils.filter((p) => p.transport.mode === 'line' && TODAY_LINE_IDS.has(p.transport.lineId))
    case 'schools': {
      const schoolIds = new Set(scope.schoolIds)
      return world.pupils.filter((p) => schoolIds.has(p.schoolId))
    }
  }
}

/**
 * The planner's input for a scope of the Cixi world's pupils: `riders` are the pupils with a
 * school bus or a line today, `line_riders` those of 微1/微2/微3/界牌, `schools` every pupil of
 * the schools (riders or not: a plan may offer them a bus). Depots are the schools' own
 * locations: each regulation bus is contracted by a school and parks there, so a bus's day starts
 * and ends at a school, not at a town centre. `today` holds the trips and runs that carry these
 * pupils now, for the comparison.
 */
export function planInputFromWorld(
  world: CixiWorld,
  options: { pupilScope: PupilScope; settings?: Partial<PlanSettings> },
): PlanInput {
  const pupils = selectPupils(world, options.pupilScope)
  const schoolIds = new Set(pupils.map((p) => p.schoolId))
  const schools = world.schools.filter((s) => schoolIds.has(s.id))
  const seatCounts = new Map<number, number>()
  for (const bus of world.buses) seatCounts.set(bus.seats, (seatCounts.get(bus.seats) ?? 0) + 1)
  const regulation = [...seatCounts]
    .sort(([a], [b]) => a - b)
    .map(([seats, count]): PlanBusType => ({
      id: regulationTypeId(seats),
      name: `校车 ${seats}座`,
      seats,
      available: count,
      ...REGULATION_COSTS,
    }))
  return {
    pupils: pupils.map((p) => ({
      id: p.id,
      home: p.home,
      grade: p.grade,
      schoolId: p.schoolId,
      dismissalWaveId: p.dismissalWaveId,
    })),
    schools: schools.map((s) => ({
      id: s.id,
      name: s.name,
      location: s.location,
      startTimes: s.grades.map((g) => ({ grade: g.grade, timeS: parseClockTime(g.startTime) })),
      dismissalWaves: s.dismissalWaves.map((w) => ({
        id: w.id,
        name: w.name,
        timeS: parseClockTime(w.time),
        grades: w.grades,
      })),
    })),
    hubs: world.stops
      .filter((s) => s.kind === 'hub')
      .map((s) => ({ id: s.id, name: s.name, location: s.location })),
    fleet: [...regulation, MICRO_BUS, CUSTOM_BUS],
    depots: schools.map((s) => s.location),
    settings: { ...defaultPlanSettings, ...options.settings },
    today: describeToday(world, pupils, options.pupilScope.kind),
  }
}

function toTripStops(stops: TripStop[], inScope: Set<string>): PlannedTripStop[] {
  return stops.map((stop) => ({
    stopId: stop.stopId,
    arriveS: parseClockTime(stop.arrive),
    departS: parseClockTime(stop.depart),
    board: stop.board.filter((id) => inScope.has(id)),
    alight: stop.alight.filter((id) => inScope.has(id)),
  }))
}

function lineTypeId(line: Line): string {
  return line.kind === 'micro_bus' ? MICRO_BUS_TYPE_ID : CUSTOM_BUS_TYPE_ID
}

/** Today's trips and runs that carry any pupil in scope, with only those pupils on board. */
function describeToday(world: CixiWorld, pupils: Pupil[], scope: string): TodayService {
  const inScope = new Set(pupils.map((p) => p.id))
  const carries = (stops: TripStop[]) => stops.some((s) => s.board.some((id) => inScope.has(id)))
  const busById = new Map(world.buses.map((b) => [b.id, b]))
  const trips: TodayTrip[] = [
    ...world.trips
      .filter((t) => carries(t.stops))
      .map((trip): TodayTrip => ({
        id: trip.id,
        lineId: trip.busId,
        direction: trip.direction,
        schoolIds: [trip.schoolId],
        waveId: trip.waveId,
        stops: toTripStops(trip.stops, inScope),
        distanceM: trip.distanceM,
        durationS: trip.durationS,
        kind: 'school_bus',
        busTypeId: regulationTypeId(busById.get(trip.busId)!.seats),
        vehicleId: trip.busId,
      })),
    ...world.lines.flatMap((line) =>
      line.runs
        .filter((run) => carries(run.stops))
        .map((run): TodayTrip => ({
          id: run.id,
          lineId: line.id,
          direction: run.direction,
          schoolIds: [run.schoolId],
          waveId: run.waveId,
          stops: toTripStops(run.stops, inScope),
          distanceM: run.distanceM,
          durationS: run.durationS,
          kind: line.kind,
          busTypeId: lineTypeId(line),
          vehicleId: null,
        })),
    ),
  ]
  const used = new Set(trips.flatMap((t) => t.stops.map((s) => s.stopId)))
  return {
    scope,
    stops: world.stops
      .filter((s) => used.has(s.id))
      .map((s) => ({ id: s.id, name: s.name, location: s.location })),
    trips,
  }
}
