import { beforeAll, expect, it } from 'vitest'
import { registersFromCixiWorld } from '../../fixtures/cixi-registers.js'
import { loadCixiWorld, type CixiWorld } from '../../fixtures/cixi-world.js'
import { principalSchema } from '../core/auth/principal.js'
import type { RegisterSet } from '../core/registers/register-records.js'
import { listPrincipals } from './principals-from-registers.js'

let world: CixiWorld
let registers: RegisterSet
beforeAll(async () => {
  world = await loadCixiWorld()
  registers = registersFromCixiWorld(world)
})

it('gives every person and terminal of the registers a valid principal', () => {
  const listed = listPrincipals(registers)
  for (const { principal } of listed) expect(principalSchema.safeParse(principal).success).toBe(true)
  const count = (role: string) => listed.filter((p) => p.principal.role === role).length
  expect([count('bureau'), count('school'), count('attendant'), count('parent'), count('device')]).toEqual([
    1,
    world.schools.length,
    36,
    world.guardians.length,
    36,
  ])
})

it('names buses by code and pupils and guardians by their platform ids, as the fixture world does', () => {
  const listed = listPrincipals(registers)
  const attendants = new Map(
    world.staff.filter((s) => s.role === 'attendant').map((s) => [s.id, s.busId] as const),
  )
  for (const { principal } of listed) {
    if (principal.role === 'attendant') expect(principal.busId).toBe(attendants.get(principal.sub))
    if (principal.role === 'device') expect(principal.sub).toBe(`terminal-${principal.busId}`)
  }
  const guardians = new Map(world.guardians.map((g) => [g.id, g.pupilIds]))
  for (const { principal } of listed) {
    if (principal.role === 'parent') expect(principal.pupilIds).toEqual(guardians.get(principal.sub))
  }
  expect(new Set(listed.flatMap((p) => (p.principal.role === 'device' ? [p.principal.busId] : [])))).toEqual(
    new Set(world.buses.map((b) => b.id)),
  )
})

it('lists first the parents whose children ride a school bus', () => {
  const [first] = listPrincipals(registers).filter((p) => p.principal.role === 'parent')
  const pupilIds = first?.principal.role === 'parent' ? first.principal.pupilIds : []
  const rides = world.pupils
    .filter((p) => pupilIds.includes(p.id))
    .some((p) => p.transport.mode === 'school_bus')
  expect(rides).toBe(true)
})

it('gives no principal to a guardian without an id or pupils, nor to an attendant without a bus', () => {
  const [guardian, other] = registers.guardians
  const attendant = registers.staff.find((s) => s.role === 'attendant')!
  const listed = listPrincipals({
    ...registers,
    guardians: [
      { ...guardian!, id: null },
      { ...other!, pupilCodes: ['P000000000'] },
    ],
    staff: [{ ...attendant, busPlate: null }],
  })
  expect(listed.filter((p) => p.principal.role === 'parent' || p.principal.role === 'attendant')).toEqual([])
})
