import { beforeAll, expect, it } from 'vitest'
import { loadCixiWorld, type CixiWorld } from '../../fixtures/cixi-world.js'
import { listFixturePrincipals } from './fixture-principals.js'
import { principalSchema } from '../core/auth/principal.js'

let world: CixiWorld
beforeAll(async () => {
  world = await loadCixiWorld()
})

it('gives every person and terminal of the fixtures a valid principal', () => {
  const listed = listFixturePrincipals(world)
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

it('lists first the parents whose children ride a school bus', () => {
  const [first] = listFixturePrincipals(world).filter((p) => p.principal.role === 'parent')
  const pupilIds = first?.principal.role === 'parent' ? first.principal.pupilIds : []
  const rides = world.pupils
    .filter((p) => pupilIds.includes(p.id))
    .some((p) => p.transport.mode === 'school_bus')
  expect(rides).toBe(true)
})
