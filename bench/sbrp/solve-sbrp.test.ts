import { describe, expect, it } from 'vitest'
import { GeoError } from '../../geo/geo-error.js'
import { checkSbrpSolution } from './check-sbrp-solution.js'
import type { SbrpInstance, SbrpStop } from './read-sbrp-instance.js'
import { solveSbrp } from './solve-sbrp.js'

/** Three schools starting 40 minutes apart, each with 14 stops within about three miles. */
function staggeredInstance(): SbrpInstance {
  let state = 7
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
  const schools = [0, 1, 2].map((k) => ({
    id: `S${k}`,
    x: 60000 + 40000 * k,
    y: 90000 + 20000 * (k % 2),
    startS: 7 * 3600 + 2400 * k,
    lateStartS: 7 * 3600 + 2400 * k,
  }))
  const stops: SbrpStop[] = schools.flatMap((school, k) =>
    Array.from({ length: 14 }, (_, i) => ({
      id: `${k}-${i}`,
      x: school.x + (random() - 0.5) * 30000,
      y: school.y + (random() - 0.5) * 30000,
      schoolId: school.id,
      students: 1 + Math.floor(random() * 15),
    })),
  )
  return { schools, stops }
}

/** A clock that moves one millisecond per reading, so that runs repeat exactly. */
function steppingClock() {
  let ms = 0
  return () => ++ms
}

describe('solveSbrp', () => {
  it('returns a plan the independent checker accepts, chaining routes of staggered schools', () => {
    const instance = staggeredInstance()
    const solution = solveSbrp(instance, { maxRideS: 2700, timeLimitMs: 3000, seed: 3, now: steppingClock() })
    const check = checkSbrpSolution(instance, solution, 2700)
    expect(check.violations).toEqual([])
    const routeCount = solution.buses.reduce((sum, bus) => sum + bus.routes.length, 0)
    // 280 pupils need at least five routes of 66; the stagger lets buses serve more than one school.
    expect(routeCount).toBeGreaterThanOrEqual(5)
    expect(check.buses).toBeLessThan(routeCount)
    // Two buses serve S0 and then S2; the middle school lies too far off to fit between them.
    expect(check.buses).toBeLessThanOrEqual(5)
  })

  it('repeats itself for a seed and an injected clock', () => {
    const instance = staggeredInstance()
    const run = () =>
      solveSbrp(instance, { maxRideS: 2700, timeLimitMs: 2000, seed: 5, now: steppingClock() })
    expect(run()).toEqual(run())
  })

  it('still returns a feasible plan when stopped at once', () => {
    const instance = staggeredInstance()
    const solution = solveSbrp(instance, {
      maxRideS: 2700,
      timeLimitMs: 60000,
      seed: 1,
      shouldStop: () => true,
    })
    expect(checkSbrpSolution(instance, solution, 2700).feasible).toBe(true)
  })

  it('rejects a school with a stop that cannot reach it within the ride limit', () => {
    const instance = staggeredInstance()
    instance.stops[0] = { ...instance.stops[0], x: instance.schools[0].x + 100000 }
    expect(() =>
      solveSbrp(instance, { maxRideS: 2700, timeLimitMs: 500, seed: 1, now: steppingClock() }),
    ).toThrow(GeoError)
  })
})
