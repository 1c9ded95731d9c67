import type { CixiWorld } from '../../fixtures/cixi-world.js'

/** The school with the fewest pupils: a plan of it alone is small and quick. */
export function smallestSchool(world: CixiWorld): string {
  const counts = new Map<string, number>()
  for (const pupil of world.pupils) counts.set(pupil.schoolId, (counts.get(pupil.schoolId) ?? 0) + 1)
  return [...counts].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))[0]![0]
}
