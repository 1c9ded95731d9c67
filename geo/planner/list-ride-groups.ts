import type { PlanPupil, PlanSchool } from './plan-model.js'
import type { RideGroup } from './custom-bus-routes.js'
import { listMorningBells, listShiftedWaves, mergeMorningBells, type WindowSettings } from './school-bells.js'
import { formatDayTime } from './format-day-time.js'

/**
 * Splits pupils into the groups that travel together: per school, one group per morning bell
 * (grades starting at the same time after the shifts, merged with the next bells when one arrival
 * suits them all) and one per dismissal wave.
 */
export function listRideGroups(
  pupils: PlanPupil[],
  stopOf: Map<string, string>,
  schools: PlanSchool[],
  settings: WindowSettings,
): RideGroup[] {
  const groups: RideGroup[] = []
  const gather = (members: PlanPupil[]) => {
    const pupilsByStop = new Map<string, string[]>()
    for (const pupil of members) {
      const stopId = stopOf.get(pupil.id)!
      pupilsByStop.set(stopId, [...(pupilsByStop.get(stopId) ?? []), pupil.id])
    }
    return pupilsByStop
  }
  for (const school of schools) {
    const own = pupils.filter((pupil) => pupil.schoolId === school.id)
    if (own.length === 0) continue
    for (const bell of mergeMorningBells(listMorningBells(school, settings.timeShifts), settings)) {
      const members = own.filter((pupil) => bell.grades.includes(pupil.grade))
      if (members.length === 0) continue
      groups.push({
        key: `${school.id}-am${formatDayTime(bell.timeS).slice(0, 5).replace(':', '')}`,
        school,
        direction: 'to_school',
        timeS: bell.timeS,
        waveId: null,
        anchor: { schoolId: school.id, grades: bell.grades },
        pupilsByStop: gather(members),
      })
    }
    for (const wave of listShiftedWaves(school, settings.timeShifts)) {
      const members = own.filter((pupil) => pupil.dismissalWaveId === wave.waveId)
      if (members.length === 0) continue
      groups.push({
        key: `${school.id}-pm-${wave.waveId}`,
        school,
        direction: 'from_school',
        timeS: wave.timeS,
        waveId: wave.waveId,
        anchor: { schoolId: school.id, waveId: wave.waveId },
        pupilsByStop: gather(members),
      })
    }
  }
  return groups
}
