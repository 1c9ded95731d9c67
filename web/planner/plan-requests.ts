import type { PlanRequest, ShiftWindow, TimeShift } from './planner-contract.js'

const sameTarget = (a: Omit<TimeShift, 'shiftMin'>, b: Omit<TimeShift, 'shiftMin'>) =>
  a.schoolId === b.schoolId && a.grade === b.grade && a.waveId === b.waveId

/**
 * The base plan asked again with one start or wave moved: the base's own shifts stay, except one
 * on the same start or wave, which this one replaces. No proposal is asked for.
 */
export function whatIfRequest(base: PlanRequest, shift: TimeShift, name: string): PlanRequest {
  const kept = (base.settings.timeShifts ?? []).filter((other) => !sameTarget(other, shift))
  return { ...base, name, settings: { ...base.settings, timeShifts: [...kept, shift], shiftWindows: [] } }
}

/** The base plan asked again with a window the bureau allows, so that the plan proposes shifts. */
export function proposalRequest(base: PlanRequest, window: ShiftWindow, name: string): PlanRequest {
  return { ...base, name, settings: { ...base.settings, shiftWindows: [window] } }
}
