import { beforeAll, describe, expect, it } from 'vitest'
import { registersFromCixiWorld } from '../../fixtures/cixi-registers.js'
import { loadCixiWorld, type CixiWorld } from '../../fixtures/cixi-world.js'
import { defaultPlanSettings } from '../../geo/planner/plan-model.js'
import { describePlanBasis, hashJson } from '../core/planning/plan-basis.js'
import { planInputFromRegisters } from './plan-input-from-registers.js'
import type { RegisterSet } from '../core/registers/register-records.js'

let world: CixiWorld
let registers: RegisterSet
beforeAll(async () => {
  world = await loadCixiWorld()
  registers = registersFromCixiWorld(world)
})

describe('hashJson', () => {
  it('hashes the same data the same whatever its key order, and other data otherwise', () => {
    const a = hashJson({
      pupils: [{ id: 'p1', home: { lat: 30.1, lon: 121.2 } }],
      settings: { walkLimitM: 500 },
    })
    const b = hashJson({
      settings: { walkLimitM: 500 },
      pupils: [{ home: { lon: 121.2, lat: 30.1 }, id: 'p1' }],
    })
    expect(a).toBe(b)
    expect(a).toMatch(/^[0-9a-f]{64}$/)
    expect(
      hashJson({
        pupils: [{ id: 'p1', home: { lat: 30.1, lon: 121.20001 } }],
        settings: { walkLimitM: 500 },
      }),
    ).not.toBe(a)
    expect(hashJson([1, 2])).not.toBe(hashJson([2, 1]))
    expect(hashJson({ a: undefined, b: 1 })).toBe(hashJson({ b: 1 }))
  })

  it('hashes a value larger than one chunk as the whole text', () => {
    const ways = Array.from({ length: 5000 }, (_, i) => ({ id: `w${i}`, coords: [[121 + i / 1e4, 30]] }))
    expect(hashJson({ ways })).not.toBe(hashJson({ ways: ways.slice(0, -1) }))
    expect(hashJson({ ways })).toBe(
      hashJson({ ways: ways.map((way) => ({ coords: way.coords, id: way.id })) }),
    )
  })
})

describe('describePlanBasis', () => {
  it('fills in the settings, counts the input and holds no pupil’s name or home', () => {
    const input = planInputFromRegisters(registers, {
      pupilScope: { kind: 'line_riders' },
      settings: { walkLimitM: 400 },
    })
    const basis = describePlanBasis(input, world.roads, { router: 'embedded' })
    expect(basis.settings).toEqual({ ...defaultPlanSettings, walkLimitM: 400 })
    expect(basis.counts).toEqual({
      pupils: input.pupils.length,
      schools: input.schools.length,
      hubs: input.hubs.length,
      busTypes: input.fleet.length,
      todayTrips: input.today!.trips.length,
    })
    expect(basis.roads).toMatchObject({ source: world.roads.source, ways: world.roads.ways.length })
    const text = JSON.stringify(basis)
    const pupils = world.pupils.filter((pupil) => input.pupils.some((p) => p.id === pupil.id))
    expect(pupils.length).toBeGreaterThan(0)
    for (const pupil of pupils) {
      expect(text).not.toContain(pupil.name)
      expect(text).not.toContain(String(pupil.home.lat))
    }
  })

  it('tells apart inputs that differ in one pupil’s home or one setting, and roads that differ', () => {
    const scope = { kind: 'line_riders' } as const
    const base = describePlanBasis(planInputFromRegisters(registers, { pupilScope: scope }), world.roads, {
      router: 'embedded',
    })
    const again = describePlanBasis(planInputFromRegisters(registers, { pupilScope: scope }), world.roads, {
      router: 'embedded',
    })
    expect(again).toEqual(base)

    const moved = planInputFromRegisters(registers, { pupilScope: scope })
    moved.pupils[0] = {
      ...moved.pupils[0]!,
      home: { ...moved.pupils[0]!.home, lat: moved.pupils[0]!.home.lat + 1e-5 },
    }
    expect(describePlanBasis(moved, world.roads, { router: 'embedded' }).inputSha256).not.toBe(
      base.inputSha256,
    )

    const slower = planInputFromRegisters(registers, { pupilScope: scope, settings: { maxRideS: 1800 } })
    expect(describePlanBasis(slower, world.roads, { router: 'embedded' }).inputSha256).not.toBe(
      base.inputSha256,
    )

    const fewerRoads = { ...world.roads, ways: world.roads.ways.slice(1) }
    const onFewer = describePlanBasis(planInputFromRegisters(registers, { pupilScope: scope }), fewerRoads, {
      router: 'embedded',
    })
    expect(onFewer.roads.sha256).not.toBe(base.roads.sha256)
    expect(onFewer.inputSha256).toBe(base.inputSha256)
  })
})
