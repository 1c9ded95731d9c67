import * as z from 'zod/mini'
import type { ApiClient } from './api-client.js'

/** The map tiles under the pages' own roads (TILE_URL and the rest of TILE_*); null for none. */
export const mapTilesSchema = z.object({
  /** An XYZ template: {z}, {x}, {y}, and {s} for one of `subdomains`. */
  url: z.string(),
  /** What the tiles are drawn in: GCJ-02 tiles need everything the platform draws shifted to match. */
  datum: z.enum(['wgs84', 'gcj02']),
  /** Plain text, never markup. */
  attribution: z.nullable(z.string()),
  subdomains: z.string(),
})
export type MapTiles = z.infer<typeof mapTilesSchema>

export const pageConfigSchema = z.object({
  tiles: z.nullable(mapTilesSchema),
  /** The server's clock when it answered: trips run on it, which may differ from the phone's. */
  now: z.string(),
})
export type PageConfig = z.infer<typeof pageConfigSchema>

/** A page's settings (`/parent/config.json`), with when the request left and its answer came back. */
export async function fetchPageConfig(
  api: ApiClient,
  path: string,
): Promise<{ config: PageConfig; sentAtMs: number; receivedAtMs: number }> {
  const sentAtMs = Date.now()
  const config = await api.get(path, pageConfigSchema, { authorized: false })
  return { config, sentAtMs, receivedAtMs: Date.now() }
}
