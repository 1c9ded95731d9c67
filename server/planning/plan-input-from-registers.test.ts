import { beforeAll, describe, expect, it } from 'vitest'
import { registersFromCixiWorld } from '../../fixtures/cixi-registers.js'
import { loadCixiWorld, type CixiWorld, type Pupil } from '../../fixtures/cixi-world.js'
import { defaultPlanSettings, type PlanInput } from '../../geo/planner/plan-model.js'
import { validatePlanInput } from '../../geo/planner/validate-plan-input.js'
import type { RegisterSet } from '../core/registers/register-records.js'
import { CUSTOM_BUS_TYPE_ID, MICRO_BUS_TYPE_ID, planInputFromRegisters } from './plan-input-from-registers.js'

let world: CixiWorld
let registers: RegisterSet
beforeAll(async () => {
  world = await loadCixiWorld()
  registers = registersFromCixiWorld(world)
})

const boardings = (input: PlanInput) => {
  const count = new Map<string, number>()
  for (const trip of input.today!.trips) {
    for (const stop of trip.stops) for (const id of stop.board) count.set(id, (count.get(id) ?? 0) + 1)
  }
  return count
}

/** What a plan input comes to, as a digest to hold against the same figures counted in the world. */
function digest(input: PlanInput) {
  const demand: Record<string, number> = {}
  for (const pupil of input.pupils) demand[pupil.schoolId] = (demand[pupil.schoolId] ?? 0) + 1
  return {
    pupils: input.pupils.length,
    schools: input.schools.map((s) => s.id),
    demand,
    todayStops: input.today!.stops.length,
    todayTrips: input.today!.trips.length,
    boardings: [...boardings(input).values()].reduce((sum, n) => sum + n, 0),
  }
}

/** The same figures counted straight from the fixture world's pupils, trips and runs. */
function worldDigest(pupils: Pupil[]) {
  const ids = new Set(pupils.map((p) => p.id))
  const demand: Record<string, number> = {}
  for (const pupil of pupils) demand[pupil.schoolId] = (demand[pupil.schoolId] ?? 0) + 1
  const trips = [...world.trips, ...world.lines.flatMap((line) => line.runs)].filter((trip) =>
    trip.stops.some((stop) => stop.board.some((id) => ids.has(id))),
  )
  return {
    pupils: pupils.length,
    schools: world.schools.filter((s) => pupils.some((p) => p.schoolId === s.id)).map((s) => s.id),
    demand,
    todayStops: new Set(trips.flatMap((trip) => trip.stops.map((stop) => stop.stopId))).size,
    todayTrips: trips.length,
    boardings: trips.reduce(
      (sum, trip) =>
        sum + trip.stops.reduce((n, stop) => n + stop.board.filter((id) => ids.has(id)).length, 0),
      0,
    ),
  }
}

describe('planInputFromRegisters', () => {
  it('gives for the fixture world’s registers what the world itself holds, in every scope', () => {
    const riders = world.pupils.filter((p) => p.transport.mode !== 'none')
    const lineRiders = world.pupils.filter((p) => p.transport.mode === 'line')
    const schoolIds = ['longshan-primary', 'zjnu-cixi-experimental']
    const ofSchools = world.pupils.filter((p) => schoolIds.includes(p.schoolId))
    expect(digest(planInputFromRegisters(registers, { pupilScope: { kind: 'riders' } }))).toEqual(
      worldDigest(riders),
    )
    expect(digest(planInputFromRegisters(registers, { pupilScope: { kind: 'line_riders' } }))).toEqual(
      worldDigest(lineRiders),
    )
    expect(digest(planInputFromRegisters(registers, { pupilScope: { kind: 'schools', schoolIds } }))).toEqual(
      worldDigest(ofSchools),
    )
  })

  it('places each rider as the world’s timetable does: on at its stop and off at the school, and back', () => {
    const input = planInputFromRegisters(registers, { pupilScope: { kind: 'riders' } })
    const worldTrips = new Map(
      [...world.trips, ...world.lines.flatMap((line) => line.runs)].map((trip) => [trip.id, trip]),
    )
    const sorted = (ids: string[]) => [...ids].sort()
    for (const trip of input.today!.trips) {
      const stops = worldTrips.get(trip.id)!.stops
      expect(trip.stops.map((s) => [s.stopId, sorted(s.board), sorted(s.alight)])).toEqual(
        stops.map((s) => [s.stopId, sorted(s.board), sorted(s.alight)]),
      )
    }
  })

  it('takes the riders, the hubs, the 36 buses by seats and the hired types, and reads as valid', () => {
    const input = planInputFromRegisters(registers, { pupilScope: { kind: 'riders' } })
    validatePlanInput(input)
    expect(input.pupils).toHaveLength(world.pupils.filter((p) => p.transport.mode !== 'none').length)
    expect(input.hubs.map((h) => h.name).sort()).toEqual(['乌山站', '慈溪西站外'])
    const regulation = input.fleet.filter((t) => t.available !== null)
    expect(regulation.reduce((sum, t) => sum + t.available!, 0)).toBe(36)
    expect(new Set(regulation.map((t) => t.seats)).size).toBe(regulation.length)
    expect(input.fleet.find((t) => t.id === MICRO_BUS_TYPE_ID)).toMatchObject({ seats: 24, available: null })
    expect(input.fleet.find((t) => t.id === CUSTOM_BUS_TYPE_ID)).toMatchObject({ seats: 35, available: null })
    expect(input.depots).toEqual(input.schools.map((s) => s.location))
    expect(input.settings).toEqual(defaultPlanSettings)
    const zjnu = input.schools.find((s) => s.id === 'zjnu-cixi-experimental')!
    expect(zjnu.startTimes.find((s) => s.grade === 9)!.timeS).toBe(7 * 3600 + 25 * 60)
  })

  it("describes today's service on the same pupils: each rides one trip each way", () => {
    const input = planInputFromRegisters(registers, {
      pupilScope: { kind: 'riders' },
      settings: { maxRideS: 1800 },
    })
    expect(input.settings.maxRideS).toBe(1800)
    const count = boardings(input)
    expect(count.size).toBe(input.pupils.length)
    for (const pupil of input.pupils) expect(count.get(pupil.id)).toBe(2)
    expect(new Set(input.today!.trips.filter((t) => t.vehicleId !== null).map((t) => t.vehicleId)).size).toBe(
      36,
    )
    const stopIds = new Set(input.today!.stops.map((s) => s.id))
    for (const trip of input.today!.trips)
      for (const stop of trip.stops) expect(stopIds).toContain(stop.stopId)
  })

  it('takes the line riders with only the lines’ runs today', () => {
    const input = planInputFromRegisters(registers, { pupilScope: { kind: 'line_riders' } })
    expect(input.pupils).toHaveLength(167)
    expect(input.today!.scope).toBe('line_riders')
    expect(new Set(input.today!.trips.map((t) => t.lineId))).toEqual(
      new Set(registers.lines.map((l) => l.code)),
    )
    expect(input.today!.trips.every((t) => t.vehicleId === null)).toBe(true)
  })

  it('takes every pupil of the chosen schools, riders or not, and only their schools', () => {
    const input = planInputFromRegisters(registers, {
      pupilScope: { kind: 'schools', schoolIds: ['longshan-primary'] },
    })
    expect(input.pupils).toHaveLength(world.pupils.filter((p) => p.schoolId === 'longshan-primary').length)
    expect(input.schools.map((s) => s.id)).toEqual(['longshan-primary'])
    const riders = world.pupils.filter(
      (p) => p.schoolId === 'longshan-primary' && p.transport.mode !== 'none',
    )
    expect(boardings(input).size).toBe(riders.length)
  })

  it('leaves out pupils without a home, gives a pupil without a wave its grade’s, and fills blank trip figures', () => {
    const [first, second] = registers.pupils.filter((p) => p.tripCodes.length > 0)
    const tripCode = second!.tripCodes[0]!
    const edited: RegisterSet = {
      ...registers,
      pupils: registers.pupils.map((p) =>
        p === first ? { ...p, homeLat: null, homeLon: null } : p === second ? { ...p, waveCode: null } : p,
      ),
      trips: registers.trips.map((t) =>
        t.code === tripCode ? { ...t, distanceM: null, durationS: null } : t,
      ),
    }
    const input = planInputFromRegisters(edited, { pupilScope: { kind: 'riders' } })
    expect(input.pupils.map((p) => p.id)).not.toContain(first!.id)
    const wave = registers.dismissalWaves.find((w) => w.code === second!.waveCode)!
    const given = input.pupils.find((p) => p.id === second!.id)!.dismissalWaveId
    expect(registers.dismissalWaves.find((w) => w.code === given)!.grades).toContain(second!.grade)
    expect(given === wave.code || wave.afterSchoolService !== second!.afterSchoolService).toBe(true)
    const trip = input.today!.trips.find((t) => t.id === tripCode)!
    expect(trip.distanceM).toBeGreaterThan(0)
    expect(trip.durationS).toBe(trip.stops.at(-1)!.arriveS - trip.stops[0]!.departS)
  })
})
