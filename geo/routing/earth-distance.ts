import type { LatLon } from '../lat-lon.js'

/** Mean Earth radius (IUGG), the one every distance in the routing layer uses. */
export const EARTH_RADIUS_M = 6_371_008.8
const RAD = Math.PI / 180
/** Metres per degree of latitude on the mean sphere. */
export const M_PER_DEG = EARTH_RADIUS_M * RAD

export function haversineM(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const dLat = (bLat - aLat) * RAD
  const dLon = (bLon - aLon) * RAD
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(aLat * RAD) * Math.cos(bLat * RAD) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

export function measureDistanceM(a: LatLon, b: LatLon): number {
  return haversineM(a.lat, a.lon, b.lat, b.lon)
}

/**
 * An equirectangular projection around one latitude, in metres. Over a city (tens of kilometres)
 * its error stays far below GPS noise, and it turns point-to-segment distances into plain 2-D
 * arithmetic for the spatial index.
 */
export interface LocalProjection {
  xM(lon: number): number
  yM(lat: number): number
  lon(xM: number): number
  lat(yM: number): number
}

export function createLocalProjection(originLat: number, originLon: number): LocalProjection {
  const xScale = M_PER_DEG * Math.cos(originLat * RAD)
  return {
    xM: (lon) => (lon - originLon) * xScale,
    yM: (lat) => (lat - originLat) * M_PER_DEG,
    lon: (xM) => originLon + xM / xScale,
    lat: (yM) => originLat + yM / M_PER_DEG,
  }
}
