import type { LonLatPosition } from '../../geo/lat-lon.js'

const round6 = (value: number) => Math.round(value * 1e6) / 1e6

/**
 * A stretch of a bus's track as a polyline of at most `maxPoints` points, however long the bus
 * drives: when full, every other point between the first and the newest is dropped, and from then
 * on only every second, fourth… fix is kept. It keeps its first and last point and its shape, and
 * the same fixes in the same order always give the same points.
 */
export function createTrackStretch(maxPoints: number) {
  const points: LonLatPosition[] = []
  let stride = 1
  let skipped = 0
  let pending: LonLatPosition | undefined

  return {
    add(lat: number, lon: number): void {
      const point: LonLatPosition = [round6(lon), round6(lat)]
      if (points.length > 0 && ++skipped < stride) {
        pending = point
        return
      }
      skipped = 0
      pending = undefined
      points.push(point)
      if (points.length < Math.max(3, maxPoints)) return
      const kept = points.filter((_, i) => i === 0 || i % 2 === 0 || i === points.length - 1)
      points.length = 0
      points.push(...kept)
      stride *= 2
    },
    /** The polyline, ending at the last fix added. */
    points(): LonLatPosition[] {
      return pending ? [...points, pending] : [...points]
    },
    get length(): number {
      return points.length + (pending ? 1 : 0)
    },
  }
}

export type TrackStretch = ReturnType<typeof createTrackStretch>
