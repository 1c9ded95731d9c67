import { describe, expect, it } from 'vitest'
import { placeOnPath } from './approved-path.js'
import { buildTestTrip, placeAt, type Metres } from './route-test-trip.js'

/** Out 1 km east, up a 500 m lane and back down it, on 1 km east. */
const { path } = buildTestTrip({
  line: [
    [0, 0],
    [1000, 0],
    [1000, 500],
    [1000, 0],
    [2000, 0],
  ],
  calls: [
    { stopId: 'A', at: [0, 0], arrive: '07:00:00' },
    { stopId: 'B', at: [1000, 500], arrive: '07:05:00' },
    { stopId: 'C', at: [2000, 0], arrive: '07:10:00' },
  ],
})
const xy = (point: Metres) => {
  const place = placeAt(point)
  return [path.route.projection.xM(place.lon), path.route.projection.yM(place.lat)] as const
}
const window = (fromM: number, aheadM = 200) => ({ fromM, backM: 100, aheadM, expectedM: fromM })

describe('an approved path', () => {
  it('measures how far a point is from it, near or far', () => {
    const [x, y] = xy([500, 40])
    expect(path.footsNear(x, y, 150).map((foot) => Math.round(foot.offsetM))).toEqual([40])
    expect(path.footsNear(...xy([500, 400]), 150)).toEqual([])
    expect(path.distanceM(...xy([500, 400]))).toBeCloseTo(400, 0)
    // Beside the lane, both passes of it are near.
    expect(path.footsNear(...xy([1020, 250]), 150).map((foot) => Math.round(foot.alongM))).toEqual([
      1250, 1750,
    ])
  })

  it('places a fix near where the bus was, on the pass of a twice-driven lane it is on', () => {
    expect(placeOnPath(path, ...xy([1010, 250]), window(1200), 150).alongM).toBeCloseTo(1250, 0)
    expect(placeOnPath(path, ...xy([1010, 250]), window(1700), 150).alongM).toBeCloseTo(1750, 0)
  })

  it('marks a place only ahead as a jump, and places nothing where the path lies behind too', () => {
    // Past the lane: the bus left it out.
    expect(placeOnPath(path, ...xy([1400, 10]), window(900), 150)).toMatchObject({ ahead: true })
    expect(placeOnPath(path, ...xy([1400, 10]), window(900), 150).alongM).toBeCloseTo(2400, 0)
    // Coming down the lane, turned short of its end: the first pass is behind, the second ahead.
    expect(placeOnPath(path, ...xy([1000, 100]), window(1300, 50), 150)).toMatchObject({
      alongM: null,
      ahead: false,
    })
    // Off the path.
    expect(placeOnPath(path, ...xy([500, 300]), window(500), 150)).toMatchObject({ alongM: null })
  })
})
