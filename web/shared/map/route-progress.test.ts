import { describe, expect, it } from 'vitest'
import type { LonLatPosition } from '../../../geo/lat-lon.js'
import { haversineM } from '../../../geo/routing/earth-distance.js'
import { splitRoute } from './route-progress.js'

/** East along a street, north, and back west along a parallel one: an upside-down U. */
const road: LonLatPosition[] = [
  [121.25, 30.16],
  [121.26, 30.16],
  [121.26, 30.161],
  [121.25, 30.161],
]
const lengthOf = (line: LonLatPosition[]) =>
  line.slice(1).reduce((sum, [lon, lat], i) => sum + haversineM(line[i]![1], line[i]![0], lat, lon), 0)

describe('the road driven and the road ahead', () => {
  it('cuts the road at the distance the bus has come, both halves meeting there', () => {
    const whole = lengthOf(road)
    const { driven, ahead } = splitRoute(road, { progressM: 500 })
    expect(lengthOf(driven)).toBeCloseTo(500, 0)
    expect(lengthOf(ahead)).toBeCloseTo(whole - 500, 0)
    expect(driven.at(-1)).toEqual(ahead[0])
    expect(driven[0]).toEqual(road[0])
    expect(ahead.at(-1)).toEqual(road.at(-1))
  })

  it('tells the two passes of a street apart by the progress, not by the nearest road', () => {
    // Beside the start of the road and of its end alike, 110 m apart; the progress says the end.
    const bus = { lat: 30.1605, lon: 121.2505 }
    const nearStart = splitRoute(road, { position: bus })
    expect(lengthOf(nearStart.driven)).toBeLessThan(100)
    const onReturn = splitRoute(road, { position: bus, progressM: lengthOf(road) - 48 })
    expect(lengthOf(onReturn.ahead)).toBeCloseTo(48, 0)
  })

  it('cuts at the place nearest the bus without a progress', () => {
    const { driven, ahead } = splitRoute(road, { position: { lat: 30.1603, lon: 121.255 } })
    expect(driven).toHaveLength(2)
    expect(driven[1]![0]).toBeCloseTo(121.255, 9)
    expect(driven[1]![1]).toBeCloseTo(30.16, 9)
    expect(ahead).toHaveLength(4)
  })

  it('keeps within the road past either end, and leaves it all ahead with no bus', () => {
    expect(splitRoute(road, { progressM: -20 }).driven).toEqual([road[0], road[0]])
    expect(splitRoute(road, { progressM: 1e6 }).ahead).toEqual([road.at(-1), road.at(-1)])
    expect(splitRoute(road, {})).toEqual({ driven: [], ahead: road })
    expect(splitRoute(road, { progressM: null, position: null })).toEqual({ driven: [], ahead: road })
    expect(splitRoute([road[0]!], { progressM: 10 })).toEqual({ driven: [], ahead: [road[0]] })
  })
})
