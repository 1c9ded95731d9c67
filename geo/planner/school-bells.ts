import type { PlanPupil, PlanSchool, PlanSettings, TimeShift } from './plan-model.js'

/** The grades of one school that start at the same time: one morning routing problem. */
export interface MorningBell {
  schoolId: string
  timeS: number
  grades: number[]
}

/** A dismissal wave at its time after the shifts. */
export interface ShiftedWave {
  schoolId: string
  waveId: string
  timeS: number
  grades: number[]
}

/** A grade's own shift wins over the school-wide one; a school-wide shift moves mornings only. */
function findMorningShiftS(shifts: TimeShift[], schoolId: string, grade: number): number {
  const own = shifts.find((s) => s.schoolId === schoolId && s.waveId === undefined && s.grade === grade)
  const schoolWide = shifts.find(
    (s) => s.schoolId === schoolId && s.waveId === undefined && s.grade === undefined,
  )
  return ((own ?? schoolWide)?.shiftMin ?? 0) * 60
}

function findWaveShiftS(shifts: TimeShift[], schoolId: string, waveId: string): number {
  return (shifts.find((s) => s.schoolId === schoolId && s.waveId === waveId)?.shiftMin ?? 0) * 60
}

export type WindowSettings = Pick<
  PlanSettings,
  'arriveBeforeBellMaxS' | 'arriveBeforeBellMinS' | 'departAfterDismissalMaxS' | 'timeShifts'
>

/**
 * Bells whose arrival windows overlap, merged: one bus arriving in the overlap serves them all
 * (a primary school's 7:55 and 8:05 grades). `timeS` is the earliest bell; arriving at
 * `timeS - arriveBeforeBellMinS` is within every merged bell's window.
 */
export function mergeMorningBells(bells: MorningBell[], settings: WindowSettings): MorningBell[] {
  const spanS = settings.arriveBeforeBellMaxS - settings.arriveBeforeBellMinS
  const merged: MorningBell[] = []
  for (const bell of bells) {
    const last = merged.at(-1)
    if (last && last.schoolId === bell.schoolId && bell.timeS - last.timeS <= spanS) {
      merged[merged.length - 1] = { ...last, grades: [...last.grades, ...bell.grades].sort((a, b) => a - b) }
    } else merged.push(bell)
  }
  return merged
}

/** When a bus may be at a pupil's school: arriving within [fromS, toS] in the morning; in the
 * afternoon arriving at or after the release (fromS) and leaving by toS. */
export interface SchoolCallWindow {
  fromS: number
  toS: number
}

export type PupilWindows = (pupilId: string, direction: 'to_school' | 'from_school') => SchoolCallWindow

export function createPupilWindows(
  pupils: PlanPupil[],
  schools: PlanSchool[],
  settings: WindowSettings,
): PupilWindows {
  const schoolById = new Map(schools.map((s) => [s.id, s]))
  const pupilById = new Map(pupils.map((p) => [p.id, p]))
  return (pupilId, direction) => {
    const pupil = pupilById.get(pupilId)!
    const school = schoolById.get(pupil.schoolId)!
    if (direction === 'to_school') {
      const { timeS } = listMorningBells(school, settings.timeShifts).find((b) =>
        b.grades.includes(pupil.grade),
      )!
      return { fromS: timeS - settings.arriveBeforeBellMaxS, toS: timeS - settings.arriveBeforeBellMinS }
    }
    const { timeS } = listShiftedWaves(school, settings.timeShifts).find(
      (w) => w.waveId === pupil.dismissalWaveId,
    )!
    return { fromS: timeS, toS: timeS + settings.departAfterDismissalMaxS }
  }
}

/** The school's grades grouped by their start time after the shifts, earliest first. */
export function listMorningBells(school: PlanSchool, shifts: TimeShift[]): MorningBell[] {
  const byTime = new Map<number, number[]>()
  for (const { grade, timeS } of school.startTimes) {
    const shifted = timeS + findMorningShiftS(shifts, school.id, grade)
    byTime.set(shifted, [...(byTime.get(shifted) ?? []), grade])
  }
  return [...byTime]
    .sort(([a], [b]) => a - b)
    .map(([timeS, grades]) => ({ schoolId: school.id, timeS, grades: grades.sort((a, b) => a - b) }))
}

export function listShiftedWaves(school: PlanSchool, shifts: TimeShift[]): ShiftedWave[] {
  return school.dismissalWaves.map((wave) => ({
    schoolId: school.id,
    waveId: wave.id,
    timeS: wave.timeS + findWaveShiftS(shifts, school.id, wave.id),
    grades: wave.grades,
  }))
}
