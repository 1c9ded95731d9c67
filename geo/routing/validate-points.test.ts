import { describe, expect, it } from 'vitest'
import {
  checkPointInArea,
  resolveIndexes,
  validatePoint,
  validatePointList,
  validateRadius,
  validateTrace,
} from './validate-points.js'
import type { LatLon } from '../lat-lon.js'
import { GeoError } from '../geo-error.js'

function errorOf(run: () => void): GeoError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(GeoError)
    return error as GeoError
  }
  throw new Error('expected a GeoError')
}

const cixi = { minLat: 30.0, maxLat: 30.35, minLon: 121.0, maxLon: 121.6 }

describe('validatePoint', () => {
  it('accepts the corners of the valid range', () => {
    for (const point of [
      { lat: 90, lon: 180 },
      { lat: -90, lon: -180 },
      { lat: 0, lon: 0 },
    ]) {
      expect(() => validatePoint(point, 'p')).not.toThrow()
    }
  })

  it('refuses non-numbers, NaN and infinities, naming lat or lon', () => {
    expect(errorOf(() => validatePoint({ lat: Number.NaN, lon: 1 }, 'points[2]')).message).toMatch(
      /points\[2\]: lat NaN/,
    )
    expect(errorOf(() => validatePoint({ lat: 1, lon: -Infinity }, 'x')).message).toMatch(/lon -Infinity/)
    expect(errorOf(() => validatePoint({ lat: '30' } as unknown as LatLon, 'x')).code).toBe('invalid_input')
    expect(errorOf(() => validatePoint(null as unknown as LatLon, 'x')).message).toMatch(/expected a point/)
  })

  it('refuses out-of-range values, suggesting a swap when the swap fits', () => {
    expect(errorOf(() => validatePoint({ lat: 121.26, lon: 30.17 }, 'x')).message).toMatch(/swapped/)
    expect(errorOf(() => validatePoint({ lat: 999, lon: 999 }, 'x')).message).not.toMatch(/swapped/)
  })
})

describe('checkPointInArea', () => {
  it('passes points inside the area and its margin', () => {
    expect(() => checkPointInArea({ lat: 30.17, lon: 121.26 }, 'p', cixi, 1000)).not.toThrow()
    expect(() => checkPointInArea({ lat: 30.355, lon: 121.26 }, 'p', cixi, 1000)).not.toThrow()
  })

  it('calls a point swapped only when the swap lands inside', () => {
    const monaco = { minLat: 43.72, maxLat: 43.75, minLon: 7.4, maxLon: 7.44 }
    const swapped = errorOf(() => checkPointInArea({ lat: 7.42, lon: 43.73 }, 'p', monaco, 1000))
    expect(swapped).toMatchObject({ code: 'invalid_input', field: 'p' })
    const far = errorOf(() => checkPointInArea({ lat: 31.23, lon: 121.47 }, 'p', cixi, 1000))
    expect(far).toMatchObject({ code: 'outside_network', field: 'p' })
  })
})

describe('validatePointList and friends', () => {
  it('needs enough points and refuses repeats only where asked', () => {
    const point = { lat: 30.17, lon: 121.26 }
    expect(
      errorOf(() => validatePointList([], { field: 'points', minCount: 2, refuseRepeats: false })),
    ).toMatchObject({ field: 'points' })
    expect(
      errorOf(() => validatePointList([point, point], { field: 'points', minCount: 2, refuseRepeats: true })),
    ).toMatchObject({ field: 'points[1]' })
    expect(() =>
      validatePointList([point, point], { field: 'points', minCount: 2, refuseRepeats: false }),
    ).not.toThrow()
  })

  it('resolves table indexes, all by default', () => {
    expect(resolveIndexes(undefined, 3, 'sources')).toEqual([0, 1, 2])
    expect(resolveIndexes([2, 0], 3, 'sources')).toEqual([2, 0])
    expect(errorOf(() => resolveIndexes([0, 1.5], 3, 'sources'))).toMatchObject({ field: 'sources[1]' })
    expect(errorOf(() => resolveIndexes([3], 3, 'destinations'))).toMatchObject({ field: 'destinations[0]' })
  })

  it('wants positive radii and well-ordered traces', () => {
    expect(errorOf(() => validateRadius(0))).toMatchObject({ field: 'radiusM' })
    expect(errorOf(() => validateRadius(Number.NaN, 'defaultRadiusM'))).toMatchObject({
      field: 'defaultRadiusM',
    })
    const fix = { lat: 30.17, lon: 121.26 }
    expect(errorOf(() => validateTrace([fix, { ...fix, accuracyM: -1 }]))).toMatchObject({
      field: 'trace[1].accuracyM',
    })
    expect(() => validateTrace([fix, fix])).not.toThrow()
  })
})
