import * as z from 'zod/mini'
import type { ApiClient } from '../api-client.js'

/** `GET /api/map/roads`: the platform's own roads in a box, as GeoJSON (WGS-84). */
export const roadFeaturesSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      geometry: z.object({
        type: z.literal('LineString'),
        coordinates: z.array(z.tuple([z.number(), z.number()])),
      }),
      properties: z.object({ roadClass: z.string(), name: z.optional(z.string()) }),
    }),
  ),
})
export type RoadFeatures = z.infer<typeof roadFeaturesSchema>

export interface RoadRequest {
  /** west,south,east,north in degrees. */
  bbox: string
  zoom: number
}

export type FetchRoads = (request: RoadRequest) => Promise<RoadFeatures>

/** The roads of a box, asked for with the page's token; the browser keeps each answer an hour. */
export function roadsFetcher(client: ApiClient): FetchRoads {
  return (request) =>
    client.get(
      `/api/map/roads?${new URLSearchParams({ bbox: request.bbox, zoom: String(request.zoom) })}`,
      roadFeaturesSchema,
    )
}
