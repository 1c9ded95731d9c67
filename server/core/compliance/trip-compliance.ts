import { addDays, isoWeekdayOf } from './calendar-days.js'
import type { ComplianceFinding } from './compliance-finding.js'
import { findComplianceIssues, type ComplianceRegisters } from './find-compliance.js'

/** A week ahead: every weekday a trip may run on comes once. */
export const tripLookAheadDays = 7

/** A trip that would run with a bus or driver out of compliance. */
export interface TripComplianceWarning {
  tripCode: string
  /** The first day in the week from the service day on which the trip runs so. */
  date: string
  /** The red finding, of the trip's bus or of one of its drivers. */
  finding: ComplianceFinding
}

export interface TripToCheck {
  code: string
  busPlate: string | null
  /** ISO weekdays, 1 = Monday. */
  weekdays: readonly number[]
}

/**
 * A check of trips against the registers over the week from `fromDay`: a trip is warned about when,
 * on a day it runs, its bus or a driver of that bus has a red finding. Each finding is named once,
 * on the first such day. An attendant's own papers (training) show in the register but do not make
 * the run itself unlawful; a bus with no attendant at all is a finding of the bus and does. The
 * findings of each day are worked out once, for every trip checked.
 */
export function createTripComplianceCheck(
  registers: ComplianceRegisters,
  fromDay: string,
  days: number = tripLookAheadDays,
): (trip: TripToCheck) => TripComplianceWarning[] {
  const driversOf = new Map<string, Set<string>>()
  for (const person of registers.staff) {
    if (person.role !== 'driver' || person.busPlate === null) continue
    driversOf.set(person.busPlate, (driversOf.get(person.busPlate) ?? new Set()).add(person.code))
  }
  const dayList = Array.from({ length: days }, (_, i) => addDays(fromDay, i))
  const redByDay = new Map<string, ComplianceFinding[]>()
  const redOn = (day: string) => {
    let found = redByDay.get(day)
    if (!found) {
      found = findComplianceIssues(registers, day).filter((f) => f.level === 'red')
      redByDay.set(day, found)
    }
    return found
  }

  return (trip) => {
    const plate = trip.busPlate
    if (plate === null) return []
    const drivers = driversOf.get(plate) ?? new Set<string>()
    const warnings: TripComplianceWarning[] = []
    const named = new Set<string>()
    for (const day of dayList) {
      if (!trip.weekdays.includes(isoWeekdayOf(day))) continue
      for (const finding of redOn(day)) {
        const concerns =
          (finding.subject === 'bus' && finding.key === plate) ||
          (finding.subject === 'driver' && drivers.has(finding.key))
        const id = `${finding.subject}\t${finding.key}\t${finding.paper}`
        if (!concerns || named.has(id)) continue
        named.add(id)
        warnings.push({ tripCode: trip.code, date: day, finding })
      }
    }
    return warnings
  }
}
