import { describe, expect, it } from 'vitest'
import { proposalRequest, whatIfRequest } from './plan-requests.js'
import type { PlanRequest } from './planner-contract.js'

const base: PlanRequest = {
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

describe('whatIfRequest', () => {
  it('keeps the base’s settings and shifts, replacing one on the same start, and asks no proposal', () => {
    const request = whatIfRequest(base, { schoolId: 'S1', shiftMin: 20 }, 'what if')
    expect(request).toEqual({
      name: 'what if',
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
    expect(base.settings.timeShifts).toHaveLength(2)
  })

  it('tells a grade’s start from the whole school’s', () => {
    const request = whatIfRequest(base, { schoolId: 'S1', grade: 1, shiftMin: 5 }, 'grade 1')
    expect(request.settings.timeShifts).toHaveLength(3)
  })
})

describe('proposalRequest', () => {
  it('asks the base plan again with the one window given', () => {
    const window = { schoolId: 'S2', waveId: 'W1', earliestMin: 0, latestMin: 20 }
    expect(proposalRequest(base, window, 'proposal').settings).toEqual({
      ...base.settings,
      shiftWindows: [window],
    })
  })
})
