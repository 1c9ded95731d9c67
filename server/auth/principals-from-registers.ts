import type { Principal } from '../core/auth/principal.js'
import type { RegisterName, RegisterSet } from '../core/registers/register-records.js'

export interface NamedPrincipal {
  /** Who this is, for a person choosing a token to try. */
  label: string
  principal: Principal
}

/** The registers the principals are made from. */
export const principalRegisters: readonly RegisterName[] = [
  'schools',
  'buses',
  'staff',
  'trips',
  'pupils',
  'guardians',
]

/**
 * One principal for each person and terminal in the registers, by role: the bureau, an admin per
 * school, each attendant with a bus, each guardian of pupils the registers hold (those whose
 * children ride a school bus first: they have a bus to watch), and the GPS terminal of each bus.
 * Buses go by their code, pupils and guardians by their platform ids; a guardian without one gets
 * no principal.
 */
export function listPrincipals(
  registers: Pick<RegisterSet, 'schools' | 'buses' | 'staff' | 'trips' | 'pupils' | 'guardians'>,
): NamedPrincipal[] {
  const schoolName = new Map(registers.schools.map((s) => [s.code, s.nameZh]))
  const busByPlate = new Map(registers.buses.map((b) => [b.plate, b]))
  const pupilByCode = new Map(registers.pupils.map((p) => [p.code, p]))
  const busTrips = new Set(registers.trips.filter((t) => t.busPlate !== null).map((t) => t.code))
  const ridesBus = new Set(
    registers.pupils.filter((p) => p.tripCodes.some((code) => busTrips.has(code))).map((p) => p.code),
  )
  const parents = registers.guardians.flatMap((g) => {
    const pupils = g.pupilCodes.flatMap((code) => pupilByCode.get(code) ?? [])
    const pupilIds = pupils.map((p) => p.id ?? p.code)
    if (g.id === null || pupilIds.length === 0) return []
    const principal: Principal = { role: 'parent', sub: g.id, pupilIds }
    const label = `parent ${g.name} of ${pupils.map((p) => p.name).join(', ')}`
    return [{ label, principal, ridesBus: g.pupilCodes.some((code) => ridesBus.has(code)) }]
  })
  // Parents whose children ride a school bus first: they are the ones with a bus to watch.
  parents.sort((a, b) => Number(b.ridesBus) - Number(a.ridesBus))
  return [
    { label: 'transport bureau (教育局)', principal: { role: 'bureau', sub: 'bureau-admin' } },
    ...registers.schools.map((s): NamedPrincipal => ({
      label: `school admin, ${s.nameZh}`,
      principal: { role: 'school', sub: `school-admin-${s.code}`, schoolId: s.code },
    })),
    ...registers.staff.flatMap((s): NamedPrincipal[] => {
      const bus = s.role === 'attendant' && s.busPlate !== null ? busByPlate.get(s.busPlate) : undefined
      return bus
        ? [
            {
              label: `attendant ${s.name}, ${bus.code}`,
              principal: { role: 'attendant', sub: s.code, busId: bus.code },
            },
          ]
        : []
    }),
    ...parents.map(({ label, principal }): NamedPrincipal => ({ label, principal })),
    ...registers.buses.map((b): NamedPrincipal => ({
      label: `GPS terminal of ${b.code} (${b.plate}${b.schoolCode ? `, ${schoolName.get(b.schoolCode) ?? b.schoolCode}` : ''})`,
      principal: { role: 'device', sub: `terminal-${b.code}`, busId: b.code },
    })),
  ]
}
