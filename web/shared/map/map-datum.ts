import gcoordModule from 'gcoord'
import type { LatLon } from '../../../geo/lat-lon.js'

/** gcoord declares an ES default export, but it is CommonJS and its module.exports is that object. */
const gcoord = gcoordModule as unknown as (typeof gcoordModule)['default']

/**
 * What the map's tiles are drawn in. Every coordinate of the platform is WGS-84 (DESIGN §1); China's
 * web maps (AMap, Tencent) draw their streets in GCJ-02, a few hundred metres off. On such tiles
 * everything the platform draws is shifted into GCJ-02 here, at the map's edge, and whatever is read
 * off the map (its view, a click) is shifted back before it is used.
 */
export type MapDatum = 'wgs84' | 'gcj02'

/** Leaflet's order: latitude first. */
export type MapLatLng = [lat: number, lon: number]

/** A platform (WGS-84) point where the map draws it. */
export function toMapLatLng(datum: MapDatum, point: LatLon): MapLatLng {
  if (datum === 'wgs84') return [point.lat, point.lon]
  const [lon, lat] = gcoord.transform([point.lon, point.lat], gcoord.WGS84, gcoord.GCJ02)
  return [lat, lon]
}

/** A GeoJSON line ([lon, lat], WGS-84) as the map draws it. */
export function toMapLine(datum: MapDatum, coordinates: readonly (readonly number[])[]): MapLatLng[] {
  return coordinates.map(([lon, lat]) => toMapLatLng(datum, { lat: lat!, lon: lon! }))
}

/** A point read off the map, back in the platform's WGS-84. */
export function fromMapLatLng(datum: MapDatum, at: { lat: number; lng: number }): LatLon {
  if (datum === 'wgs84') return { lat: at.lat, lon: at.lng }
  const [lon, lat] = gcoord.transform([at.lng, at.lat], gcoord.GCJ02, gcoord.WGS84)
  return { lat, lon }
}
