import { describe, expect, it } from 'vitest'
import {
  fitMapLayout,
  mapContains,
  projectToMap,
  tileAddress,
  tilesCovering,
  unprojectFromMap,
  type LatLon,
} from './map-projection.js'

/** A trip across Longshan: longer east-west than north-south. */
const trip: LatLon[] = [
  { lat: 30.2, lon: 121.3 },
  { lat: 30.21, lon: 121.32 },
  { lat: 30.205, lon: 121.36 },
  { lat: 30.22, lon: 121.35 },
]
const phone = { widthPx: 360, heightPx: 300, paddingPx: 20, maxZoom: 17 }

/** Standard slippy-map tile corner (OpenStreetMap's formula), independent of the code under test. */
function tileCorner(z: number, x: number, y: number): LatLon {
  const n = Math.PI - (2 * Math.PI * y) / 2 ** z
  return {
    lat: (180 / Math.PI) * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n))),
    lon: (x / 2 ** z) * 360 - 180,
  }
}

describe('the map layout', () => {
  const layout = fitMapLayout(trip, phone)
  const projected = trip.map((p) => projectToMap(layout, p))

  it('fits every point inside the padded map, filling it along one side', () => {
    for (const p of projected) {
      expect(p.x).toBeGreaterThanOrEqual(phone.paddingPx - 1e-6)
      expect(p.x).toBeLessThanOrEqual(phone.widthPx - phone.paddingPx + 1e-6)
      expect(p.y).toBeGreaterThanOrEqual(phone.paddingPx - 1e-6)
      expect(p.y).toBeLessThanOrEqual(phone.heightPx - phone.paddingPx + 1e-6)
    }
    const xs = projected.map((p) => p.x)
    const ys = projected.map((p) => p.y)
    const fillsWidth = Math.max(...xs) - Math.min(...xs)
    const fillsHeight = Math.max(...ys) - Math.min(...ys)
    expect(Math.max(fillsWidth / 320, fillsHeight / 260)).toBeCloseTo(1, 6)
    expect(trip.every((p) => mapContains(layout, p))).toBe(true)
    expect(mapContains(layout, { lat: 30.3, lon: 121.33 })).toBe(false)
  })

  it('puts north up and east right, with the same scale both ways', () => {
    const centre = { lat: 30.21, lon: 121.33 }
    const c = projectToMap(layout, centre)
    // 500 m north and 500 m east of the centre.
    const north = projectToMap(layout, { lat: centre.lat + 500 / 111_195, lon: centre.lon })
    const east = projectToMap(layout, {
      lat: centre.lat,
      lon: centre.lon + 500 / (111_195 * Math.cos((centre.lat * Math.PI) / 180)),
    })
    expect(north.y).toBeLessThan(c.y)
    expect(north.x).toBeCloseTo(c.x, 6)
    expect(east.x).toBeGreaterThan(c.x)
    expect(east.y).toBeCloseTo(c.y, 6)
    expect((c.y - north.y) / (east.x - c.x)).toBeCloseTo(1, 2)
  })

  it('goes back from map pixels to the same place', () => {
    for (const p of trip) {
      const back = unprojectFromMap(layout, projectToMap(layout, p))
      expect(back.lat).toBeCloseTo(p.lat, 9)
      expect(back.lon).toBeCloseTo(p.lon, 9)
    }
  })

  it('zooms in as far as allowed on a single point, and centres it', () => {
    const one = fitMapLayout([{ lat: 30.2, lon: 121.3 }], phone)
    expect(one.zoom).toBe(17)
    expect(projectToMap(one, { lat: 30.2, lon: 121.3 })).toEqual({ x: 180, y: 150 })
    expect(() => fitMapLayout([], phone)).toThrow()
  })
})

describe('tiles under the map', () => {
  const layout = fitMapLayout(trip, phone)
  const tiles = tilesCovering(layout, { maxTileZoom: 19 })

  it('cover the whole map with no gap', () => {
    for (let x = 0; x <= phone.widthPx; x += 10) {
      for (let y = 0; y <= phone.heightPx; y += 10) {
        const covering = tiles.filter(
          (t) => x >= t.leftPx && x <= t.leftPx + t.sizePx && y >= t.topPx && y <= t.topPx + t.sizePx,
        )
        expect(covering.length, `(${x}, ${y})`).toBeGreaterThan(0)
      }
    }
  })

  it('sit where the tile server’s own corners are, at the nearest tile zoom', () => {
    expect(tiles[0]!.z).toBe(Math.round(layout.zoom))
    for (const tile of tiles) {
      const corner = projectToMap(layout, tileCorner(tile.z, tile.x, tile.y))
      expect(corner.x).toBeCloseTo(tile.leftPx, 6)
      expect(corner.y).toBeCloseTo(tile.topPx, 6)
      expect(tile.sizePx).toBeCloseTo(256 * 2 ** (layout.zoom - tile.z), 9)
    }
  })

  it('are asked for by their z, x and y', () => {
    expect(tileAddress('https://tile.example.org/{z}/{x}/{y}.png?k={z}', { z: 14, x: 13709, y: 6747 })).toBe(
      'https://tile.example.org/14/13709/6747.png?k=14',
    )
    const capped = tilesCovering(fitMapLayout([{ lat: 30.2, lon: 121.3 }], { ...phone, maxZoom: 21 }), {
      maxTileZoom: 19,
    })
    expect(new Set(capped.map((t) => t.z))).toEqual(new Set([19]))
  })
})
