import type { LatLon } from '../../../geo/lat-lon.js'

/** The part of the world in view, in the platform's WGS-84. */
export interface ViewBox {
  southWest: LatLon
  northEast: LatLon
}

/**
 * The server answers a box of at most 8192 screen pixels each way at the zoom asked for
 * (server/http/map-roads.ts); the pages keep well inside it.
 */
const maxTilesAcross = 30
const tilePx = 256

/**
 * The roads to ask for to draw a view: the view and half of it again around it (a short pan needs
 * no new request), snapped outwards to whole tiles of the zoom, so that nearby views ask for the
 * same box and the browser's cache answers. Null for a view too small to draw.
 */
export function roadRequestFor(view: ViewBox, zoom: number): { bbox: string; zoom: number } | null {
  const z = Math.max(0, Math.min(22, Math.round(zoom)))
  const tileDeg = 360 / 2 ** z
  const padLon = (view.northEast.lon - view.southWest.lon) / 4
  const padLat = (view.northEast.lat - view.southWest.lat) / 4
  if (!(padLon > 0 && padLat > 0)) return null
  const centre = {
    lon: (view.northEast.lon + view.southWest.lon) / 2,
    lat: (view.northEast.lat + view.southWest.lat) / 2,
  }
  // A view wider than the server answers (a desktop zoomed far out) asks for its middle.
  const halfSpan = (maxTilesAcross / 2) * tileDeg
  const clamp = (value: number, middle: number, limit: number) =>
    Math.max(middle - halfSpan, Math.min(middle + halfSpan, Math.max(-limit, Math.min(limit, value))))
  const west = Math.floor(clamp(view.southWest.lon - padLon, centre.lon, 180) / tileDeg) * tileDeg
  const east = Math.ceil(clamp(view.northEast.lon + padLon, centre.lon, 180) / tileDeg) * tileDeg
  const south = Math.floor(clamp(view.southWest.lat - padLat, centre.lat, 90) / tileDeg) * tileDeg
  const north = Math.ceil(clamp(view.northEast.lat + padLat, centre.lat, 90) / tileDeg) * tileDeg
  const box = [west, south, east, north].map((deg, i) =>
    Math.max(-(i % 2 ? 90 : 180), Math.min(i % 2 ? 90 : 180, deg)),
  )
  return { bbox: box.join(','), zoom: z }
}

/** Screen pixels the request's box spans at its zoom, each way: what the server measures it by. */
export function requestSpanPx(request: { bbox: string; zoom: number }): {
  widthPx: number
  heightPx: number
} {
  const [west, south, east, north] = request.bbox.split(',').map(Number) as [number, number, number, number]
  const pxPerDeg = (tilePx * 2 ** request.zoom) / 360
  return { widthPx: (east - west) * pxPerDeg, heightPx: (north - south) * pxPerDeg }
}
