import { describe, expect, it } from 'vitest'
import type { LatLon } from '../../../geo/lat-lon.js'
import { haversineM } from '../../../geo/routing/earth-distance.js'
import { fromMapLatLng, toMapLatLng, toMapLine } from './map-datum.js'

/**
 * GCJ-02 as published (the "eviltransform" formulas, Krasovsky ellipsoid), written out apart from
 * the library the map uses, to check that library against.
 */
function gcj02Of(lat: number, lon: number): [number, number] {
  const a = 6378245.0
  const ee = 0.006693421622965943
  const x = lon - 105.0
  const y = lat - 35.0
  let dLat =
    -100.0 +
    2.0 * x +
    3.0 * y +
    0.2 * y * y +
    0.1 * x * y +
    0.2 * Math.sqrt(Math.abs(x)) +
    ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0 +
    ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0 +
    ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0
  let dLon =
    300.0 +
    x +
    2.0 * y +
    0.1 * x * x +
    0.1 * x * y +
    0.1 * Math.sqrt(Math.abs(x)) +
    ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0 +
    ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0 +
    ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0
  const radLat = (lat / 180.0) * Math.PI
  const magic = 1 - ee * Math.sin(radLat) ** 2
  const sqrtMagic = Math.sqrt(magic)
  dLat = (dLat * 180.0) / (((a * (1 - ee)) / (magic * sqrtMagic)) * Math.PI)
  dLon = (dLon * 180.0) / ((a / sqrtMagic) * Math.cos(radLat) * Math.PI)
  return [lat + dLat, lon + dLon]
}

const metresApart = (a: LatLon, b: LatLon) => haversineM(a.lat, a.lon, b.lat, b.lon)

/** The school of the fixture world in Hushan, and a village stop of Longshan. */
const school = { lat: 30.144567, lon: 121.242436 }
const village = { lat: 30.188818, lon: 121.549335 }

describe('the map’s datum', () => {
  it('draws platform points as they are on WGS-84 tiles', () => {
    expect(toMapLatLng('wgs84', school)).toEqual([school.lat, school.lon])
    expect(fromMapLatLng('wgs84', { lat: 30.1, lng: 121.2 })).toEqual({ lat: 30.1, lon: 121.2 })
  })

  it('shifts them into GCJ-02 on Chinese tiles, as the published formulas do', () => {
    for (const point of [school, village]) {
      const [lat, lon] = toMapLatLng('gcj02', point)
      const [expectedLat, expectedLon] = gcj02Of(point.lat, point.lon)
      expect(metresApart({ lat, lon }, { lat: expectedLat, lon: expectedLon })).toBeLessThan(0.01)
      // In Cixi the shift is some hundreds of metres: enough to put a stop on the wrong street.
      const shiftM = metresApart(point, { lat, lon })
      expect(shiftM).toBeGreaterThan(200)
      expect(shiftM).toBeLessThan(800)
    }
  })

  it('shifts a line point by point, and reads a point off the map back to within a metre', () => {
    const line = toMapLine('gcj02', [
      [school.lon, school.lat],
      [village.lon, village.lat],
    ])
    expect(line).toEqual([toMapLatLng('gcj02', school), toMapLatLng('gcj02', village)])
    for (const point of [school, village]) {
      const [lat, lng] = toMapLatLng('gcj02', point)
      expect(metresApart(fromMapLatLng('gcj02', { lat, lng }), point)).toBeLessThan(1)
    }
  })
})
