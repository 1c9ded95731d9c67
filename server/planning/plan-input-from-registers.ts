import { parseClockTime } from '../../geo/clock-time.js'
import type { LatLon } from '../../geo/lat-lon.js'
import {
  defaultPlanSettings,
  type PlanBusType,
  type PlanInput,
  type PlannedTripStop,
  type PlanPupil,
  type PlanSettings,
  type TodayService,
  type TodayTrip,
} from '../../geo/planner/plan-model.js'
import { measureDistanceM } from '../../geo/routing/earth-distance.js'
import {
  registerNames,
  type LineKind,
  type PupilRecord,
  type RegisterName,
  type RegisterSet,
  type TripRecord,
} from '../core/registers/register-records.js'
import { groupTripCalls, groupTripRiders, placeTripRiders, pupilIdOf } from '../core/registers/trip-riders.js'

export type PupilScope =
  { kind: 'riders' } | { kind: 'line_riders' } | { kind: 'schools'; schoolIds: string[] }

/** What a plan reads of the registers: all but the guardians and the staff, personal data it needs none of. */
export type PlanRegisters = Omit<RegisterSet, 'guardians' | 'staff'>

/** The registers a plan reads, for reading no more of the store than that. */
export const plannedRegisters: readonly RegisterName[] = registerNames.filter(
  (name) => name !== 'guardians' && name !== 'staff',
)

export function planRegisters(registers: RegisterSet): PlanRegisters {
  const { guardians: _guardians, staff: _staff, ...rest } = registers
  return rest
}

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

const siteOf = (record: { lat: number | null; lon: number | null }): LatLon | null =>
  record.lat === null || record.lon === null ? null : { lat: record.lat, lon: record.lon }

function selectPupils(
  registers: PlanRegisters,
  scope: PupilScope,
  tripByCode: Map<string, TripRecord>,
): PupilRecord[] {
  switch (scope.kind) {
    case 'riders':
      return registers.pupils.filter((p) => p.tripCodes.length > 0)
    case 'line_riders':
      return registers.pupils.filter((p) =>
        p.tripCodes.some((code) => (tripByCode.get(code)?.lineCode ?? null) !== null),
      )
    case 'schools': {
      const schoolCodes = new Set(scope.schoolIds)
      return registers.pupils.filter((p) => schoolCodes.has(p.schoolCode))
    }
  }
}

/**
 * The planner's input for a scope of the registers' pupils: `riders` are the pupils on a school
 * bus's trip or a line's run today, `line_riders` those on a line's run, `schools` every pupil of
 * the schools (riders or not: a plan may offer them a bus). A pupil without a home in the register
 * cannot be planned for and is left out; one without a dismissal wave goes home with the wave of
 * its school that takes its grade. Depots are the schools' own sites: each regulation bus is
 * contracted by a school and parks there, so a bus's day starts and ends at a school. `today`
 * holds the trips and runs that carry these pupils now, for the comparison, with each pupil
 * boarding and alighting as the registers say: in the morning on at its stop and off at the last
 * call, in the afternoon on at the first call and off at its stop.
 */
export function planInputFromRegisters(
  registers: PlanRegisters,
  options: { pupilScope: PupilScope; settings?: Partial<PlanSettings> },
): PlanInput {
  const tripByCode = new Map(registers.trips.map((trip) => [trip.code, trip]))
  const wavesOf = groupBy(registers.dismissalWaves, (wave) => wave.schoolCode)
  const waveOf = (pupil: PupilRecord): string | undefined => {
    if (pupil.waveCode !== null) return pupil.waveCode
    const waves = (wavesOf.get(pupil.schoolCode) ?? []).filter((wave) => wave.grades.includes(pupil.grade))
    return (waves.find((wave) => wave.afterSchoolService === pupil.afterSchoolService) ?? waves[0])?.code
  }
  const planned: { record: PupilRecord; pupil: PlanPupil }[] = []
  for (const record of selectPupils(registers, options.pupilScope, tripByCode)) {
    const home = siteOf({ lat: record.homeLat, lon: record.homeLon })
    const dismissalWaveId = waveOf(record)
    if (!home || dismissalWaveId === undefined) continue
    planned.push({
      record,
      pupil: {
        id: pupilIdOf(record),
        home,
        grade: record.grade,
        schoolId: record.schoolCode,
        dismissalWaveId,
      },
    })
  }

  const schoolCodes = new Set(planned.map((p) => p.record.schoolCode))
  const schools = registers.schools
    .filter((school) => schoolCodes.has(school.code))
    .map((school) => {
      const location = siteOf(school)
      if (!location)
        throw new Error(`the schools register gives no site for ${school.code}: it cannot be planned`)
      return { school, location }
    })
  const bellsOf = groupBy(registers.bellTimes, (bell) => bell.schoolCode)

  const seatCounts = new Map<number, number>()
  for (const bus of registers.buses.filter((b) => b.kind === 'school_bus')) {
    seatCounts.set(bus.seats, (seatCounts.get(bus.seats) ?? 0) + 1)
  }
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
    pupils: planned.map((p) => p.pupil),
    schools: schools.map(({ school, location }) => ({
      id: school.code,
      name: school.nameZh,
      location,
      startTimes: (bellsOf.get(school.code) ?? []).map((bell) => ({
        grade: bell.grade,
        timeS: parseClockTime(bell.startTime),
      })),
      dismissalWaves: (wavesOf.get(school.code) ?? []).map((wave) => ({
        id: wave.code,
        name: wave.name,
        timeS: parseClockTime(wave.time),
        grades: wave.grades,
      })),
    })),
    hubs: registers.stops.flatMap((stop) => {
      const location = siteOf(stop)
      return stop.kind === 'hub' && location ? [{ id: stop.code, name: stop.nameZh, location }] : []
    }),
    fleet: [...regulation, MICRO_BUS, CUSTOM_BUS],
    depots: schools.map((s) => s.location),
    settings: { ...defaultPlanSettings, ...options.settings },
    today: describeToday(
      registers,
      planned.map((p) => p.record),
      options.pupilScope.kind,
    ),
  }
}

function hiredTypeId(kind: LineKind): string {
  return kind === 'custom_bus' ? CUSTOM_BUS_TYPE_ID : MICRO_BUS_TYPE_ID
}

/** Today's trips and runs that carry any pupil in scope, with only those pupils on board. */
function describeToday(registers: PlanRegisters, pupils: PupilRecord[], scope: string): TodayService {
  const busByPlate = new Map(registers.buses.map((bus) => [bus.plate, bus]))
  const lineByCode = new Map(registers.lines.map((line) => [line.code, line]))
  const stopByCode = new Map(registers.stops.map((stop) => [stop.code, stop]))
  const callsOf = groupTripCalls(registers.tripCalls)
  const ridersOf = groupTripRiders(pupils)
  const locationOf = (code: string): LatLon => {
    const stop = stopByCode.get(code)
    const location = stop && siteOf(stop)
    if (!location) throw new Error(`the stops register gives no site for ${code}, where a trip calls`)
    return location
  }

  const trips: TodayTrip[] = []
  for (const trip of registers.trips) {
    const calls = callsOf.get(trip.code) ?? []
    const riders = ridersOf.get(trip.code) ?? []
    if (calls.length < 2 || riders.length === 0) continue
    const placed = placeTripRiders(trip, calls, riders)
    const stops = calls.map((call, i): PlannedTripStop => ({
      stopId: call.stopCode,
      arriveS: parseClockTime(call.arrive),
      departS: parseClockTime(call.depart),
      ...placed[i]!,
    }))
    if (!stops.some((stop) => stop.board.length > 0)) continue
    const first = calls[0]!
    const last = calls[calls.length - 1]!
    const common = {
      id: trip.code,
      direction: trip.direction,
      schoolIds: [trip.schoolCode],
      waveId: trip.waveCode,
      stops,
      // When the register leaves them blank: the calls' distance as the crow flies, the timetable's time.
      distanceM:
        trip.distanceM ??
        calls.slice(1).reduce((sum, call, i) => {
          return sum + measureDistanceM(locationOf(calls[i]!.stopCode), locationOf(call.stopCode))
        }, 0),
      durationS: trip.durationS ?? parseClockTime(last.arrive) - parseClockTime(first.depart),
    }
    const bus = trip.busPlate === null ? undefined : busByPlate.get(trip.busPlate)
    if (bus) {
      // A registered micro-bus or custom bus with trips of its own counts as one of its hired type.
      trips.push({
        ...common,
        lineId: bus.code,
        kind: bus.kind,
        busTypeId: bus.kind === 'school_bus' ? regulationTypeId(bus.seats) : hiredTypeId(bus.kind),
        vehicleId: bus.code,
      })
    } else if (trip.lineCode !== null) {
      const line = lineByCode.get(trip.lineCode)
      trips.push({
        ...common,
        lineId: trip.lineCode,
        kind: line?.kind ?? 'micro_bus',
        busTypeId: hiredTypeId(line?.kind ?? 'micro_bus'),
        vehicleId: null,
      })
    }
  }
  const used = new Set(trips.flatMap((t) => t.stops.map((s) => s.stopId)))
  return {
    scope,
    stops: registers.stops
      .filter((stop) => used.has(stop.code))
      .map((stop) => ({ id: stop.code, name: stop.nameZh, location: locationOf(stop.code) })),
    trips,
  }
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const group = groups.get(keyOf(item))
    if (group) group.push(item)
    else groups.set(keyOf(item), [item])
  }
  return groups
}
