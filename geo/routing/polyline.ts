import type { LonLatPosition } from '../lat-lon.js'

/**
 * Decodes Google's encoded polyline format, as OSRM writes it with `geometries=polyline` (5
 * decimals) or `polyline6` (6 decimals). Pairs are stored lat first; positions come back GeoJSON
 * order.
 */
export function decodePolyline(encoded: string, precision: 5 | 6): LonLatPosition[] {
  const factor = 10 ** precision
  const positions: LonLatPosition[] = []
  let index = 0
  let lat = 0
  let lon = 0
  const readDelta = () => {
    let result = 0
    let shift = 0
    let byte: number
    do {
      if (index >= encoded.length) throw new Error(`polyline ends inside a number at character ${index}`)
      byte = encoded.charCodeAt(index++) - 63
      result += (byte & 0x1f) * 2 ** shift
      shift += 5
    } while (byte >= 0x20)
    return result % 2 === 1 ? -(result + 1) / 2 : result / 2
  }
  while (index < encoded.length) {
    lat += readDelta()
    lon += readDelta()
    positions.push([lon / factor, lat / factor])
  }
  return positions
}
