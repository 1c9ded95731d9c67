import type { UnservedPupil } from './planner-contract.js'

export interface UnservedClass {
  /** Null for a plan stored before the result named schools and grades. */
  schoolId: string | null
  grade: number | null
  pupilIds: string[]
}

export interface UnservedGroup {
  reason: string
  count: number
  /** By school, then grade. */
  classes: UnservedClass[]
}

/** The pupils a plan leaves without a bus, by reason (most first), then by school and grade. */
export function groupUnserved(unserved: UnservedPupil[]): UnservedGroup[] {
  const byReason = new Map<string, Map<string, UnservedClass>>()
  for (const pupil of unserved) {
    const classes = byReason.get(pupil.reason) ?? new Map<string, UnservedClass>()
    byReason.set(pupil.reason, classes)
    const key = `${pupil.schoolId ?? ''}|${pupil.grade ?? ''}`
    const found = classes.get(key) ?? {
      schoolId: pupil.schoolId ?? null,
      grade: pupil.grade ?? null,
      pupilIds: [],
    }
    found.pupilIds.push(pupil.pupilId)
    classes.set(key, found)
  }
  return [...byReason]
    .map(([reason, classes]) => ({
      reason,
      count: [...classes.values()].reduce((sum, c) => sum + c.pupilIds.length, 0),
      classes: [...classes.values()]
        .map((c) => ({ ...c, pupilIds: c.pupilIds.sort() }))
        .sort(
          (a, b) => (a.schoolId ?? '').localeCompare(b.schoolId ?? '') || (a.grade ?? 0) - (b.grade ?? 0),
        ),
    }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason))
}
