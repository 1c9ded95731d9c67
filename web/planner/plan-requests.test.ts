import { describe, expect, it } from 'vitest'
import { proposalRequest, whatIfRequest } from './plan-requests.js'
import type { PlanRequest } from './planner-contract.js'

const inputs: PlanRequest = {
  name: 'riders',
  pupilScope: { kind: 'riders' },
  settings: {
    walkLimitM: 400,
    timeShifts: [
      { schoolId: 'S1', shiftMin: 10 },
      { schoolId: 'S2', waveId: 'W1', shiftMin: -5 },
    ],
    shiftWindows: [{ schoolId: 'S1', earliestMin: -15, latestMin: 15 }],
  },
}
const baseId = '6f1c2a9e-4b7d-4e21-9c3a-0d5e8f7a6b21'
/** A base that was itself a what-if: the new one names the plan it is made on, not that one's base. */
const base = { id: baseId, inputs: { ...inputs, basePlanId: '00000000-0000-4000-8000-000000000001' } }

describe('whatIfRequest', () => {
  it('keeps the base’s settings and shifts, replacing one on the same start, names the base, and asks no proposal', () => {
    const request = whatIfRequest(base, { schoolId: 'S1', shiftMin: 20 }, 'what if')
    expect(request).toEqual({
      name: 'what if',
      basePlanId: baseId,
      pupilScope: { kind: 'riders' },
      settings: {
        walkLimitM: 400,
        timeShifts: [
          { schoolId: 'S2', waveId: 'W1', shiftMin: -5 },
          { schoolId: 'S1', shiftMin: 20 },
        ],
        shiftWindows: [],
      },
    })
    expect(inputs.settings.timeShifts).toHaveLength(2)
  })

  it('tells a grade’s start from the whole school’s', () => {
    const request = whatIfRequest(base, { schoolId: 'S1', grade: 1, shiftMin: 5 }, 'grade 1')
    expect(request.settings.timeShifts).toHaveLength(3)
  })
})

describe('proposalRequest', () => {
  it('asks the base plan again with the one window given, on the base’s routes', () => {
    const window = { schoolId: 'S2', waveId: 'W1', earliestMin: 0, latestMin: 20 }
    const request = proposalRequest(base, window, 'proposal')
    expect(request.settings).toEqual({ ...inputs.settings, shiftWindows: [window] })
    expect(request.basePlanId).toBe(baseId)
  })
})
