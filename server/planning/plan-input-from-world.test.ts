import { beforeAll, describe, expect, it } from 'vitest'
import { loadCixiWorld, type CixiWorld } from '../../fixtures/cixi-world.js'
import { defaultPlanSettings } from '../../geo/planner/plan-model.js'
import { validatePlanInput } from '../../geo/planner/validate-plan-input.js'
import { CUSTOM_BUS_TYPE_ID, MICRO_BUS_TYPE_ID, planInputFromWorld } from './plan-input-from-world.js'

let world: CixiWorld
beforeAll(async () => {
  world = await loadCixiWorld()
})

const boardings = (input: ReturnType<typeof planInputFromWorld>) => {
  const count = new Map<string, number>()
  for (const trip of input.today!.trips) {
    for (const stop of trip.stops) for (const id of stop.board) count.set(id, (count.get(id) ?? 0) + 1)
  }
  return count
}

describe('planInputFromWorld', () => {
  it('takes the riders, the hubs, the 36 buses by seats and the hired types, and reads as valid', () => {
    const input = planInputFromWorld(world, { pupilScope: { kind: 'riders' } })
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
    const input = planInputFromWorld(world, { pupilScope: { kind: 'riders' }, settings: { maxRideS: 1800 } })
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

  it('takes the line riders with only their lines today', () => {
    const input = planInputFromWorld(world, { pupilScope: { kind: 'line_riders' } })
    expect(input.pupils).toHaveLength(167)
    expect(input.today!.scope).toBe('line_riders')
    expect(new Set(input.today!.trips.map((t) => t.lineId))).toEqual(
      new Set(['w1', 'w2', 'w3', 'jiepai-custom']),
    )
    expect(input.today!.trips.every((t) => t.vehicleId === null)).toBe(true)
  })

  it('takes every pupil of the chosen schools, riders or not, and only their schools', () => {
    const input = planInputFromWorld(world, {
      pupilScope: { kind: 'schools', schoolIds: ['longshan-primary'] },
    })
    expect(input.pupils).toHaveLength(world.pupils.filter((p) => p.schoolId === 'longshan-primary').length)
    expect(input.schools.map((s) => s.id)).toEqual(['longshan-primary'])
    const riders = world.pupils.filter(
      (p) => p.schoolId === 'longshan-primary' && p.transport.mode !== 'none',
    )
    expect(boardings(input).size).toBe(riders.length)
  })
})
