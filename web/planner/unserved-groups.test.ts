import { describe, expect, it } from 'vitest'
import { groupUnserved } from './unserved-groups.js'

describe('groupUnserved', () => {
  it('counts each reason, most first, and lists its pupils by school and grade', () => {
    const groups = groupUnserved([
      { pupilId: 'P9', reason: 'lone_home', schoolId: 'S2', grade: 3 },
      { pupilId: 'P3', reason: 'ride_too_long', schoolId: 'S2', grade: 5 },
      { pupilId: 'P1', reason: 'lone_home', schoolId: 'S1', grade: 4 },
      { pupilId: 'P2', reason: 'lone_home', schoolId: 'S2', grade: 3 },
      { pupilId: 'P4', reason: 'lone_home', schoolId: 'S1', grade: 1 },
    ])
    expect(groups).toEqual([
      {
        reason: 'lone_home',
        count: 4,
        classes: [
          { schoolId: 'S1', grade: 1, pupilIds: ['P4'] },
          { schoolId: 'S1', grade: 4, pupilIds: ['P1'] },
          { schoolId: 'S2', grade: 3, pupilIds: ['P2', 'P9'] },
        ],
      },
      { reason: 'ride_too_long', count: 1, classes: [{ schoolId: 'S2', grade: 5, pupilIds: ['P3'] }] },
    ])
  })

  it('keeps pupils of a plan that did not name their school together', () => {
    const [group] = groupUnserved([
      { pupilId: 'P1', reason: 'lone_home' },
      { pupilId: 'P2', reason: 'lone_home' },
    ])
    expect(group!.classes).toEqual([{ schoolId: null, grade: null, pupilIds: ['P1', 'P2'] }])
  })

  it('is empty when every pupil has a bus', () => {
    expect(groupUnserved([])).toEqual([])
  })
})
