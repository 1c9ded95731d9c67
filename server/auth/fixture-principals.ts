import type { CixiWorld } from '../../fixtures/cixi-world.js'
import type { Principal } from '../core/auth/principal.js'

export interface NamedPrincipal {
  /** Who this is, for a person choosing a token to try. */
  label: string
  principal: Principal
}

/** One principal for each person and terminal in the fixture world, by role. */
export function listFixturePrincipals(world: CixiWorld): NamedPrincipal[] {
  const schoolName = new Map(world.schools.map((s) => [s.id, s.name]))
  const pupilName = new Map(world.pupils.map((p) => [p.id, p.name]))
  const ridesBus = new Set(world.pupils.filter((p) => p.transport.mode === 'school_bus').map((p) => p.id))
  // Parents whose children ride a school bus first: they are the ones with a bus to watch.
  const guardians = [...world.guardians].sort(
    (a, b) =>
      Number(b.pupilIds.some((id) => ridesBus.has(id))) - Number(a.pupilIds.some((id) => ridesBus.has(id))),
  )
  return [
    { label: 'transport bureau (教育局)', principal: { role: 'bureau', sub: 'bureau-admin' } },
    ...world.schools.map((s): NamedPrincipal => ({
      label: `school admin, ${s.name}`,
      principal: { role: 'school', sub: `school-admin-${s.id}`, schoolId: s.id },
    })),
    ...world.staff
      .filter((s) => s.role === 'attendant')
      .map((s): NamedPrincipal => ({
        label: `attendant ${s.name}, ${s.busId}`,
        principal: { role: 'attendant', sub: s.id, busId: s.busId },
      })),
    ...guardians.map((g): NamedPrincipal => ({
      label: `parent ${g.name} of ${g.pupilIds.map((id) => pupilName.get(id) ?? id).join(', ')}`,
      principal: { role: 'parent', sub: g.id, pupilIds: g.pupilIds },
    })),
    ...world.buses.map((b): NamedPrincipal => ({
      label: `GPS terminal of ${b.id} (${b.plate}, ${schoolName.get(b.schoolId) ?? b.schoolId})`,
      principal: { role: 'device', sub: `terminal-${b.id}`, busId: b.id },
    })),
  ]
}
