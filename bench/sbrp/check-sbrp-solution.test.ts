import { describe, expect, it } from 'vitest'
import { checkSbrpSolution, type SbrpSolution, type SbrpViolation } from './check-sbrp-solution.js'
import type { SbrpInstance } from './read-sbrp-instance.js'

/** Feet covered in `s` seconds at 20 mph, so that the expected times below are round. */
const ft = (s: number) => s * 29.3333333

/** School A at the origin; B 1,000 s east of it; each stop 100 s or 200 s north of its school. */
function tinyInstance(bStartS = 8 * 3600 + 30 * 60, a1Students = 10): SbrpInstance {
  return {
    schools: [
      { id: 'A', x: 0, y: 0, startS: 8 * 3600, lateStartS: 8 * 3600 },
      { id: 'B', x: ft(1000), y: 0, startS: bStartS, lateStartS: bStartS },
    ],
    stops: [
      { id: 'a1', x: 0, y: ft(100), schoolId: 'A', students: a1Students },
      { id: 'a2', x: 0, y: ft(200), schoolId: 'A', students: 20 },
      { id: 'b1', x: ft(1000), y: ft(100), schoolId: 'B', students: 5 },
    ],
  }
}

const good: SbrpSolution = {
  buses: [
    {
      routes: [
        { school: 'A', stops: ['a2', 'a1'] },
        { school: 'B', stops: ['b1'] },
      ],
    },
  ],
}

const kinds = (violations: SbrpViolation[]) => violations.map((violation) => violation.kind).sort()

describe('checkSbrpSolution', () => {
  it('accepts a feasible chain and counts buses and yard-to-yard driving', () => {
    const check = checkSbrpSolution(tinyInstance(), good, 2700)
    expect(check.violations).toEqual([])
    expect(check.feasible).toBe(true)
    expect(check.buses).toBe(1)
    // yard → a2 7,000 s; a2 → a1 → A 200 s; A → b1 1,100 s; b1 → B 100 s; B → yard 6,200 s.
    expect(check.drivingS).toBeCloseTo(14600, 3)
  })

  it('reports the stop whose ride is too long and by how much', () => {
    // a2's pupils ride 100 s + a1's 19 + 2.6 × 10 s + 100 s = 245 s.
    const check = checkSbrpSolution(tinyInstance(), good, 200)
    expect(check.violations).toHaveLength(1)
    expect(check.violations[0]).toMatchObject({ kind: 'ride_too_long', bus: 0, route: 0, stopId: 'a2' })
    expect((check.violations[0] as { excessS: number }).excessS).toBeCloseTo(45, 3)
    expect(checkSbrpSolution(tinyInstance(), good, 245.001).feasible).toBe(true)
  })

  it('reports a chain that cannot reach the second school in time', () => {
    // Ready at 8:00 + 1,100 s + (19 + 13 + 100) s + 154.4 s = 8:23:06.4.
    const late = checkSbrpSolution(tinyInstance(8 * 3600 + 20 * 60), good, 2700)
    expect(late.violations).toHaveLength(1)
    expect(late.violations[0]).toMatchObject({ kind: 'chain_too_tight', bus: 0, route: 1 })
    expect((late.violations[0] as { lateS: number }).lateS).toBeCloseTo(186.4, 3)
    expect(checkSbrpSolution(tinyInstance(8 * 3600 + 1386.4), good, 2700).feasible).toBe(true)
  })

  it('reports an overfull route', () => {
    const check = checkSbrpSolution(tinyInstance(undefined, 50), good, 2700)
    expect(check.violations).toEqual([{ kind: 'overfull', bus: 0, route: 0, students: 70 }])
  })

  it('reports missing, twice-served, unknown and wrong-school stops and unknown schools', () => {
    const check = checkSbrpSolution(
      tinyInstance(),
      {
        buses: [
          { routes: [{ school: 'A', stops: ['a1', 'b1', 'zz'] }] },
          { routes: [{ school: 'A', stops: ['a1'] }] },
          { routes: [{ school: 'Q', stops: [] }] },
        ],
      },
      2700,
    )
    expect(check.feasible).toBe(false)
    expect(check.violations).toEqual(
      expect.arrayContaining([
        { kind: 'stop_missing', stopId: 'a2' },
        { kind: 'stop_served_twice', stopId: 'a1' },
        { kind: 'wrong_school', stopId: 'b1', schoolId: 'A', bus: 0, route: 0 },
        { kind: 'unknown_stop', stopId: 'zz', bus: 0, route: 0 },
        { kind: 'unknown_school', schoolId: 'Q', bus: 2, route: 0 },
        { kind: 'empty_route', bus: 2, route: 0 },
      ]),
    )
    expect(check.violations).toHaveLength(6)
    expect(check.buses).toBe(3)
  })

  it('reports the same school twice in a row on one bus', () => {
    const check = checkSbrpSolution(
      tinyInstance(),
      {
        buses: [
          {
            routes: [
              { school: 'A', stops: ['a2'] },
              { school: 'A', stops: ['a1'] },
            ],
          },
          { routes: [{ school: 'B', stops: ['b1'] }] },
        ],
      },
      2700,
    )
    expect(kinds(check.violations)).toEqual(['chain_too_tight', 'same_school_twice'])
    expect(check.buses).toBe(2)
  })
})
