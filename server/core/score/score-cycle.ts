import { addDays, addMonths } from '../compliance/calendar-days.js'

/** A subject's cycle: from its first day to its last, both inclusive, as Cixi dates. */
export interface ScoreCycle {
  startsOn: string
  endsOn: string
}

/**
 * The cycle the settings give a day: twelve months from the 1st of `startMonth` (1: the calendar
 * year, 9: the school year) that holds `day`.
 */
export function settingsCycleOf(day: string, startMonth: number): ScoreCycle {
  const year = Number(day.slice(0, 4))
  const month = Number(day.slice(5, 7))
  const startYear = month >= startMonth ? year : year - 1
  const startsOn = `${String(startYear).padStart(4, '0')}-${String(startMonth).padStart(2, '0')}-01`
  return { startsOn, endsOn: addDays(addMonths(startsOn, 12), -1) }
}

/**
 * The cycle a point dated `day` counts in for a subject whose cycles so far are `existing`: the
 * one holding the day, else the settings' cycle of the day, cut short where it would overlap a
 * cycle the subject already has (after the start month changed), so that a point counts once.
 */
export function cycleForDay(
  day: string,
  startMonth: number,
  existing: readonly ScoreCycle[],
): ScoreCycle & { existing: boolean } {
  const holding = existing.find((cycle) => cycle.startsOn <= day && day <= cycle.endsOn)
  if (holding) return { ...holding, existing: true }
  let { startsOn, endsOn } = settingsCycleOf(day, startMonth)
  for (const cycle of existing) {
    if (cycle.endsOn < day && cycle.endsOn >= startsOn) startsOn = addDays(cycle.endsOn, 1)
    if (cycle.startsOn > day && cycle.startsOn <= endsOn) endsOn = addDays(cycle.startsOn, -1)
  }
  return { startsOn, endsOn, existing: false }
}
