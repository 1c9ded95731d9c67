import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson'

/** The Cixi county boundary the fixture world and the registers' import check homes against (WGS-84). */
export const CIXI_BOUNDARY_FILE = fileURLToPath(
  new URL('../../fixtures/cixi/county-boundary.geojson', import.meta.url),
)

/** A county to draw synthetic places in: its bounding box and a point-in-area test. */
export interface CountyArea {
  south: number
  west: number
  north: number
  east: number
  contains(lat: number, lon: number): boolean
}

/** The area of a WGS-84 Polygon or MultiPolygon: inside an outer ring and outside its holes. */
export function countyAreaOf(geometry: Polygon | MultiPolygon): CountyArea {
  const polygons: Position[][][] = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  const outerPoints = polygons.flatMap((rings) => rings[0] ?? [])
  if (outerPoints.length < 3) throw new Error('expected a boundary with at least one ring of three points')
  const lons = outerPoints.map((p) => p[0]!)
  const lats = outerPoints.map((p) => p[1]!)
  return {
    south: Math.min(...lats),
    north: Math.max(...lats),
    west: Math.min(...lons),
    east: Math.max(...lons),
    contains: (lat, lon) =>
      polygons.some(
        (rings) =>
          rings.length > 0 &&
          inRing(rings[0]!, lat, lon) &&
          !rings.slice(1).some((hole) => inRing(hole, lat, lon)),
      ),
  }
}

/** Reads a GeoJSON Feature (or the first of a FeatureCollection) with a Polygon or MultiPolygon. */
export function readCountyArea(file: string = CIXI_BOUNDARY_FILE): CountyArea {
  const json = JSON.parse(readFileSync(file, 'utf8')) as
    Feature<Polygon | MultiPolygon> | FeatureCollection<Polygon | MultiPolygon>
  const feature = json.type === 'FeatureCollection' ? json.features[0] : json
  const geometry = feature?.geometry
  if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
    throw new Error(`${file}: expected a GeoJSON Feature with a Polygon or MultiPolygon geometry`)
  }
  return countyAreaOf(geometry)
}

/** Even-odd ray casting along the parallel through the point. */
function inRing(ring: Position[], lat: number, lon: number): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number]
    const [xj, yj] = ring[j] as [number, number]
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}
