import { readFile } from 'node:fs/promises'
import { booleanPointInPolygon } from '@turf/turf'
import type { Feature, MultiPolygon, Polygon } from 'geojson'

/** Whether a WGS-84 point lies in the county the registers belong to. */
export type CountyTest = (lat: number, lon: number) => boolean

export interface CountyBoundary {
  name: string
  contains: CountyTest
}

/** Reads a GeoJSON Feature (or FeatureCollection of one) with a WGS-84 Polygon or MultiPolygon. */
export async function loadCountyBoundary(file: string): Promise<CountyBoundary> {
  const json = JSON.parse(await readFile(file, 'utf8')) as {
    type: string
    features?: Feature<Polygon | MultiPolygon>[]
  }
  const feature =
    json.type === 'FeatureCollection' ? json.features?.[0] : (json as Feature<Polygon | MultiPolygon>)
  const kind = feature?.geometry?.type
  if (!feature || (kind !== 'Polygon' && kind !== 'MultiPolygon')) {
    throw new Error(`${file}: expected a GeoJSON Feature with a Polygon or MultiPolygon geometry`)
  }
  const name = typeof feature.properties?.name === 'string' ? feature.properties.name : 'the county'
  return { name, contains: (lat, lon) => booleanPointInPolygon([lon, lat], feature) }
}
