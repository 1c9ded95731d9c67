import type { Plan, PlanRequest, ShiftWindow, TimeShift } from './planner-contract.js'

const sameTarget = (a: Omit<TimeShift, 'shiftMin'>, b: Omit<TimeShift, 'shiftMin'>) =>
  a.schoolId === b.schoolId && a.grade === b.grade && a.waveId === b.waveId

/**
 * The base plan asked again with one start or wave moved: the base's own shifts stay, except one
 * on the same start or wave, which this one replaces. No proposal is asked for. It names the base,
 * so that only the ride groups whose times move are planned again.
 */
export function whatIfRequest(
  base: Pick<Plan, 'id' | 'inputs'>,
  shift: TimeShift,
  name: string,
): PlanRequest {
  const { inputs } = base
  const kept = (inputs.settings.timeShifts ?? []).filter((other) => !sameTarget(other, shift))
  return {
    ...inputs,
    name,
    basePlanId: base.id,
    settings: { ...inputs.settings, timeShifts: [...kept, shift], shiftWindows: [] },
  }
}

/**
 * The base plan asked again with a window the bureau allows, so that the plan proposes shifts. Its
 * times do not move, so it re-uses all of its base's routes.
 */
export function proposalRequest(
  base: Pick<Plan, 'id' | 'inputs'>,
  window: ShiftWindow,
  name: string,
): PlanRequest {
  return {
    ...base.inputs,
    name,
    basePlanId: base.id,
    settings: { ...base.inputs.settings, shiftWindows: [window] },
  }
}
