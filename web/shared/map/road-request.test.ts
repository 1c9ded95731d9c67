import { describe, expect, it } from 'vitest'
import { maxRoadBoxPx, roadBoxProblem } from '../../../server/http/map-roads.js'
import { requestSpanPx, roadRequestFor, type ViewBox } from './road-request.js'

/** What a 360 px phone shows of Hushan at zoom 15, and what a desktop shows of the county at 10. */
const phoneView: ViewBox = {
  southWest: { lat: 30.155, lon: 121.24 },
  northEast: { lat: 30.17, lon: 121.2525 },
}
const countyView: ViewBox = {
  southWest: { lat: 29.9, lon: 120.9 },
  northEast: { lat: 30.45, lon: 121.8 },
}
const boxOf = (bbox: string) => {
  const [west, south, east, north] = bbox.split(',').map(Number) as [number, number, number, number]
  return { west, south, east, north }
}

describe('the roads a view asks for', () => {
  it('covers the view with a margin, on whole tiles, so that a short pan asks for the same box', () => {
    const request = roadRequestFor(phoneView, 15)!
    expect(request.zoom).toBe(15)
    const box = boxOf(request.bbox)
    expect(box.west).toBeLessThan(121.24 - 0.003)
    expect(box.east).toBeGreaterThan(121.2525 + 0.003)
    expect(box.south).toBeLessThan(30.155 - 0.003)
    expect(box.north).toBeGreaterThan(30.17 + 0.003)
    const tileDeg = 360 / 2 ** 15
    for (const edge of Object.values(box))
      expect(Math.abs(edge / tileDeg - Math.round(edge / tileDeg))).toBeLessThan(1e-9)
    const panned = (d: number): ViewBox => ({
      southWest: { lat: phoneView.southWest.lat, lon: phoneView.southWest.lon + d },
      northEast: { lat: phoneView.northEast.lat, lon: phoneView.northEast.lon + d },
    })
    expect(roadRequestFor(panned(0.0003), 15)!.bbox).toBe(request.bbox)
  })

  it('always asks for a box the server answers, a wide desktop view included', () => {
    for (const [view, zoom] of [
      [phoneView, 15],
      [phoneView, 17.6],
      [countyView, 10],
      [countyView, 14],
      [{ southWest: { lat: -80, lon: -179 }, northEast: { lat: 80, lon: 179 } }, 2],
    ] as const) {
      const request = roadRequestFor(view, zoom)!
      expect(Number.isInteger(request.zoom)).toBe(true)
      expect(
        roadBoxProblem(boxOf(request.bbox), request.zoom),
        `${request.bbox} at ${request.zoom}`,
      ).toBeNull()
      const { widthPx, heightPx } = requestSpanPx(request)
      expect(Math.max(widthPx, heightPx)).toBeLessThanOrEqual(maxRoadBoxPx)
    }
    // Zoomed far out on a desktop, the middle of the view is asked for.
    const wide = boxOf(roadRequestFor(countyView, 14)!.bbox)
    expect(wide.west).toBeGreaterThan(countyView.southWest.lon)
    expect((wide.west + wide.east) / 2).toBeCloseTo(121.35, 1)
  })

  it('asks for nothing for a view of no size', () => {
    expect(roadRequestFor({ southWest: phoneView.southWest, northEast: phoneView.southWest }, 15)).toBeNull()
  })
})
